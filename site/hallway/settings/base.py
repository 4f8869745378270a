"""Production-safe base settings, read from the environment.

Nothing here is relaxed for development: ``local`` and ``test`` do that.
"""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

SITE_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SITE_DIR.parent
VAR_DIR = Path(env_str("HALLWAY_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)

_INSECURE_KEYS = {"", "change-me", "django-insecure-dev-only-key"}
SECRET_KEY = env_str("SECRET_KEY", "") or ""
if SECRET_KEY in _INSECURE_KEYS or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or a known development key. Set SECRET_KEY to a long "
        "random string (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Hallway
    "hallway",
    "people",
    "home",
    "notifications",
    "kb.communities",
    "kb.qa",
    "kb.ideas",
    "kb.imports",
    "kb.curation",
    "journals",
    "search",
    "reputation",
    "integrations",
    "uploads",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    # Brute-force protection on every password check (login, admin, API token)
    "axes",
    # Background work
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hallway.middleware.SecurityHeadersMiddleware",
    "hallway.middleware.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "hallway.middleware.CommonMiddleware",  # no slash redirects for POST etc.
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the session and LocaleMiddleware: a signed-in person's choice wins.
    "hallway.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a refused login into the lockout page (or JSON for the API).
    "axes.middleware.AxesMiddleware",
]

# Request bodies: 2.5 MB for forms and JSON (413 above), more for file uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
HALLWAY_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Files added in the editor: outside MEDIA_ROOT, served only after an access check.
HALLWAY_UPLOADS_ROOT = Path(env_str("HALLWAY_UPLOADS_ROOT") or VAR_DIR / "uploads")
# One file added in the editor (an image pasted or a document attached).
HALLWAY_ATTACHMENT_MAX_BYTES = env_int("HALLWAY_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Days a file added in the editor but never posted is kept (an open draft's
# grace period), then a daily task deletes it (``manage.py schedule_uploads``).
HALLWAY_UNUSED_UPLOAD_DAYS = env_int("HALLWAY_UNUSED_UPLOAD_DAYS", 7)
# The community for everyday questions that belong to no specific community
# (HR, facilities, "where is..."): offered first on the Ask form, made by the demo.
HALLWAY_GENERAL_COMMUNITY_SLUG = env_str("HALLWAY_GENERAL_COMMUNITY_SLUG", "algemeen")
HALLWAY_GENERAL_COMMUNITY_TITLE = env_str(
    "HALLWAY_GENERAL_COMMUNITY_TITLE", "Algemeen / HR & facilities"
)

ROOT_URLCONF = "hallway.urls"
WSGI_APPLICATION = "hallway.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "hallway.context_processors.hallway",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'hallway.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes. With WAL,
    # synchronous=NORMAL keeps every commit safe from a crash of Hallway (only an
    # OS crash or power cut can drop the last commits) and spares an fsync per
    # write (~4 ms on the bench disk, paid by every search's log row).
    # Production runs on PostgreSQL; this is the embedded default.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    # Connections are kept (DATABASE_CONN_MAX_AGE, 60 s) as on PostgreSQL: a new
    # connection's first query reads the whole schema (hundreds of tables and
    # indexes), ~15 ms on the bench machine, which every request paid when
    # connections were closed after each one (issue #12).
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses every password check while the username is locked out.
    "axes.backends.AxesStandaloneBackend",
    "integrations.auth.PasswordBackend",
    "integrations.oidc.OIDCBackend",
]
# Failed password checks are counted in the database (every web process and
# worker sees the same count): after AXES_FAILURE_LIMIT failures for one
# username from one address, that pair is refused for AXES_COOLOFF_MINUTES,
# even with the right password; a success resets the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "hallway.lockout.lockout_response"
AXES_VERBOSE = False
# The leads' search report shows a query only once this many people searched it.
SEARCH_REPORT_MIN_PEOPLE = env_int("SEARCH_REPORT_MIN_PEOPLE", 3)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# The interface language: a signed-in person's choice (``User.language``), else
# the switcher's cookie, else the browser's Accept-Language, else LANGUAGE_CODE
# (the site default). English is the source language of every message.
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en") or "en"
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE must be one of {', '.join(code for code, _n in LANGUAGES)}."
    )
LANGUAGE_COOKIE_NAME = "hallway_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
# The Wagtail admin offers the same languages (Wagtail ships Dutch).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")

# Security: safe by default; local/test relax what needs relaxing.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Scripts only from our own files: no inline scripts or handlers anywhere on
# the site (styles may be inline: htmx adds its indicator style).
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data: https:; media-src 'self' https:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "frame-src 'self' https:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'",
)
# The Wagtail admin (/admin/ only) still renders some inline scripts of its own
# (panels, date widgets), so it keeps 'unsafe-inline' for scripts there.
CONTENT_SECURITY_POLICY_ADMIN = env_str(
    "CONTENT_SECURITY_POLICY_ADMIN",
    "default-src 'self'; img-src 'self' data: https:; media-src 'self' https:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
    "frame-src 'self' https:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'",
)

# E-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Hallway <hallway@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: Django's tasks API, stored in the database, run by db_worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Elasticsearch. Empty means "no node": search uses its database fallback.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "") or ""
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "hallway")
# Copies of each shard on other nodes: 1 or more on a cluster, 0 on one node.
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", 0)
# Seconds a search waits for the node before falling back (writes allow more).
ELASTICSEARCH_TIMEOUT = float(env_str("ELASTICSEARCH_TIMEOUT", "2") or 2)
# Question documents carry a sentence vector that re-orders similar questions
# found from a title (search/meaning.py); off: no vectors, order by words only.
SEARCH_MEANING = env_bool("SEARCH_MEANING", True)
# Similar and related questions whose vector is further than this cosine from
# the draft's are left out, though their words meet the floor (0: off): from a
# title alone, and from a title and body (related questions, the Ask form).
# Chosen on make eval's tune half: 2026-11-29 titles 0.2 (best of 0-0.25),
# with a body 0.25; 2026-11-30, once the floor of words under meaning asks one
# subject word, 0.25 and 0.3, where its off-topic drafts get no more lists than
# before (see README "Search" and SIMILAR_FLOOR_UNDER_MEANING).
SEARCH_MEANING_FLOOR = float(env_str("SEARCH_MEANING_FLOOR", "0.25") or 0)
SEARCH_MEANING_FLOOR_BODY = float(env_str("SEARCH_MEANING_FLOOR_BODY", "0.3") or 0)
# How many of a draft title's subject words a similar question must hold where
# the floor of meaning judges it too (an English draft, an English or imported
# question), as Elasticsearch's minimum_should_match: "1" (one), "2<50%" (half,
# from three words on: the floor everywhere else, and here until 2026-11-30).
SEARCH_SIMILAR_WORDS_UNDER_MEANING = (
    env_str("SEARCH_SIMILAR_WORDS_UNDER_MEANING", "1") or "1"
)
if not re.fullmatch(r"\d+|\d+%|\d+<\d+%", SEARCH_SIMILAR_WORDS_UNDER_MEANING):
    raise ImproperlyConfigured(
        f"SEARCH_SIMILAR_WORDS_UNDER_MEANING={SEARCH_SIMILAR_WORDS_UNDER_MEANING!r}: "
        "write a number of words (1), a share (50%) or both (2<50%)."
    )

# Single sign-on (OpenID Connect, mozilla-django-oidc): on when the issuer and the
# client id are set; endpoints come from the issuer's discovery document.
OIDC_ISSUER = (env_str("OIDC_ISSUER", "") or "").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "") or ""
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "") or ""
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "") or _("single sign-on")
OIDC_CLAIMS = {
    name: env_str(f"OIDC_CLAIM_{name.upper()}", default)
    for name, default in [
        ("username", "preferred_username"),
        ("email", "email"),
        ("name", "name"),
        ("given_name", "given_name"),
        ("family_name", "family_name"),
        ("department", "department"),
        ("office", "office"),
        ("language", "locale"),
        ("groups", "groups"),
    ]
}
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
# false: no username/password login (organisations that require SSO); API tokens
# keep working.
HALLWAY_PASSWORD_LOGIN = env_bool("HALLWAY_PASSWORD_LOGIN", True)
if not HALLWAY_PASSWORD_LOGIN:
    WAGTAILADMIN_LOGIN_URL = "/accounts/login/"

# Outgoing webhooks and chat: private/loopback targets are refused unless allowed
# (all of them, or the hosts / networks on the allow-list).
HALLWAY_WEBHOOKS_ALLOW_PRIVATE = env_bool("HALLWAY_WEBHOOKS_ALLOW_PRIVATE", False)
HALLWAY_WEBHOOKS_ALLOWLIST = env_list("HALLWAY_WEBHOOKS_ALLOWLIST", [])

# Wagtail
WAGTAIL_SITE_NAME = "Hallway"
# No Gravatar: avatars come from our own profiles (an intranet often cannot
# reach it, and the editor showed a broken image).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "pptx",
    "ppt",
    "odp",
    "key",
    "docx",
    "xlsx",
    "txt",
    "md",
]
WAGTAIL_I18N_ENABLED = False
TAGGIT_CASE_INSENSITIVE = True

# Posting limits (per user); "N/period" where period is s, m, h or d.
HALLWAY_RATE_LIMITS = {
    "post": env_str("HALLWAY_RATE_LIMIT_POST", "30/h"),
    "comment": env_str("HALLWAY_RATE_LIMIT_COMMENT", "60/h"),
    "vote": env_str("HALLWAY_RATE_LIMIT_VOTE", "300/h"),
    # The editor's @mention and #tag suggestions: one request per pause in typing.
    "suggest": env_str("HALLWAY_RATE_LIMIT_SUGGEST", "120/m"),
    "upload": env_str("HALLWAY_RATE_LIMIT_UPLOAD", "60/h"),
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "hallway_cache",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "elastic_transport": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
