"""Settings for `make run` on a developer's machine: SQLite, console e-mail, DEBUG."""

import os

os.environ.setdefault(
    "SECRET_KEY", "local-development-key-not-for-production-use-0123456789"
)
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("HALLWAY_WEBHOOKS_ALLOW_PRIVATE", "true")

from .base import *  # noqa: E402,F403
from .base import INSTALLED_APPS, STORAGES  # noqa: E402

# Dev tooling's commands (make run, bench, eval, load): never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "tools.apps.ToolsConfig"]

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from .base import VAR_DIR  # noqa: E402

VAR_DIR.mkdir(parents=True, exist_ok=True)

# Serve static files straight from the app folders (no collectstatic needed locally),
# also when DEBUG is switched off to try production-like behaviour.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
