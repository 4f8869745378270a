"""Settings for the test suite: fast hashing, local memory cache, no network e-mail."""

import os

os.environ.setdefault("SECRET_KEY", "test-key-not-for-production-use-0123456789abcdef")
os.environ["SESSION_COOKIE_SECURE"] = "false"
os.environ["CSRF_COOKIE_SECURE"] = "false"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["SECURE_HSTS_SECONDS"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("HALLWAY_VAR_DIR", "/tmp/hallway-test-var")  # noqa: S108

from .base import *  # noqa: E402,F403
from .base import INSTALLED_APPS, STORAGES  # noqa: E402

# Dev tooling's commands (make run, bench, eval, load): never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "tools.apps.ToolsConfig"]

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests decide per test whether to use a node; the suite starts its own.
ELASTICSEARCH_INDEX_PREFIX = f"test-{os.getpid()}"
# The suite shares a loaded machine with its node: be patient, so that a slow
# answer is not mistaken for a hung node (the fault tests set their own).
ELASTICSEARCH_TIMEOUT = 10.0
# Related questions are not kept between calls (tests reuse ids and titles);
# tests/search/test_similar.py turns the per-process list on where it checks it.
SEARCH_RELATED_SECONDS = 0
