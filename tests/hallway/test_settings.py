"""Production settings refuse unsafe defaults; migrations match the models."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _import_production(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import sys; sys.path[:0]=['.', 'site'];"
        "import hallway.settings.production as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT,"
        " bool(s.CONTENT_SECURITY_POLICY))"
    )
    relaxed = {
        "SECRET_KEY",
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    }
    clean = {k: v for k, v in os.environ.items() if k not in relaxed}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_production({})
    assert result.returncode != 0
    assert "SECRET_KEY is missing" in result.stderr


def test_production_refuses_a_development_key():
    result = _import_production({"SECRET_KEY": "django-insecure-abc"})
    assert result.returncode != 0


def test_production_is_secure_by_default():
    result = _import_production({"SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True"]


@pytest.mark.parametrize("value", ["1", "2<50%", "50%"])
def test_the_similar_floor_under_meaning_is_read_from_the_environment(value):
    result = _import_production(
        {"SECRET_KEY": "x" * 50, "SEARCH_SIMILAR_WORDS_UNDER_MEANING": value}
    )
    assert result.returncode == 0, result.stderr


def test_a_similar_floor_elasticsearch_cannot_read_stops_the_start():
    result = _import_production(
        {"SECRET_KEY": "x" * 50, "SEARCH_SIMILAR_WORDS_UNDER_MEANING": "half"}
    )
    assert result.returncode != 0
    assert "SEARCH_SIMILAR_WORDS_UNDER_MEANING='half'" in result.stderr
    assert "2<50%" in result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_security_headers_are_sent(client, db):
    response = client.get("/healthz")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_embedded_sqlite_uses_wal_without_an_fsync_per_commit(db):
    """WAL + synchronous=NORMAL: crash-safe commits without an fsync per write."""
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default only; PostgreSQL keeps its own settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
