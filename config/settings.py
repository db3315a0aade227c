"""Settings, read from the environment (YUANQU_*), with safe defaults for a laptop.

SQLite under ./var/ by default so a fresh clone needs no service; PostgreSQL when
YUANQU_DATABASE_URL says so (psycopg 3).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YUANQU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("YUANQU_DEBUG", False)
SECRET_KEY = os.environ.get(
    "YUANQU_SECRET_KEY", "insecure-dev-key-set-YUANQU_SECRET_KEY-in-production"
)
ALLOWED_HOSTS = env_list("YUANQU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rules",
    "auditlog",
    "yuanqu",
    "yuanqu.core",
    "yuanqu.accounts",
    "yuanqu.registry",
    "yuanqu.imports",
    "yuanqu.economy",
    "yuanqu.reports",
    "yuanqu.dashboard",
    "yuanqu.demo",
    "yuanqu.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yuanqu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yuanqu.dashboard.context.navigation",
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'yuanqu.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("YUANQU_DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while an import commits; IMMEDIATE avoids
    # "database is locked" on lock upgrades under concurrent writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Object-level permissions (accounts.policy) answer user.has_perm(name, obj) through rules.
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "yuanqu" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
# File-based cache: import progress written by a background job must be readable by every
# worker process serving the page that polls it (a per-process memory cache would not be).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "TIMEOUT": 24 * 3600,
    }
}
# Serve static files straight from the app directories: `yuanqu serve` needs no collectstatic
# step and the npm-installed ECharts/htmx copies are found wherever the checkout is.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Uploaded files: refuse anything larger (the import engine enforces it too).
YUANQU_IMPORT_MAX_BYTES = env_int("YUANQU_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
# Worksheets with more XML than this are read by the streaming reader (flat memory, slower)
# instead of calamine (fast, ≈ 1.6 bytes of RAM per byte of XML). Lower it on small servers.
YUANQU_IMPORT_STREAM_BYTES = env_int("YUANQU_IMPORT_STREAM_BYTES", 320 * 1024 * 1024)
# Web uploads larger than this are previewed and committed in a background thread, the page
# showing a progress bar; smaller ones run inside the request (they take a second or two).
YUANQU_IMPORT_BACKGROUND_BYTES = env_int("YUANQU_IMPORT_BACKGROUND_BYTES", 1_000_000)
# A replace that would delete more than this percent of a period's stored rows needs a typed
# confirmation on the web and --allow-deletions on the CLI (DECISIONS.md, Data integrity).
YUANQU_REPLACE_GUARD_PCT = env_int("YUANQU_REPLACE_GUARD_PCT", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Speech mode (字/分钟): speaking and reading rates; DECISIONS.md.
YUANQU_SPEAKING_RATE = env_int("YUANQU_SPEAKING_RATE", 200)
YUANQU_READING_RATE = env_int("YUANQU_READING_RATE", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YUANQU_LOG_LEVEL", "WARNING")},
}
