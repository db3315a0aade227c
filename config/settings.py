"""Settings, read from the environment (YUANQU_*), with safe defaults for a laptop.

SQLite under ./var/ by default so a fresh clone needs no service; PostgreSQL when
YUANQU_DATABASE_URL says so (psycopg 3).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

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


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


DEBUG = env_bool("YUANQU_DEBUG", False)

# The key older releases fell back to. It is public (it is in git), so with it anyone can forge
# session cookies and password-reset tokens: never accepted outside YUANQU_DEBUG=1.
INSECURE_SECRET_KEY = "insecure-dev-key-set-YUANQU_SECRET_KEY-in-production"
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY_HELP = (
    "请设置环境变量 YUANQU_SECRET_KEY（至少 50 个随机字符，多台应用服务器须相同），"
    "例如 python -c 'import secrets; print(secrets.token_urlsafe(64))' 的输出。 / "
    "Set YUANQU_SECRET_KEY (50+ random characters, the same on every app server)."
)


def _secret_key_from_file(path: Path) -> str:
    """The key of this installation, created on first start when there is none.

    A fresh clone must run `make demo` and `make test` with no environment at all, and a key
    that changes at each start would log everyone out, so the first process creates a random
    key in $YUANQU_VAR_DIR/secret_key (mode 600) and every later one reads it. Created through a
    hard link of a complete temporary file, so parallel first starts (pytest -n 2, the demo's
    web server and worker) agree on one key and never read half a file. Several app servers
    would each create their own: production sets YUANQU_SECRET_KEY instead (docs/deploy.md;
    `check --deploy` warns, yuanqu.W001).
    """
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(64))
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process won the race: use its key
            finally:
                tmp.unlink()
        key = path.read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"无法读取或创建密钥文件 {path}（{exc}）。{SECRET_KEY_HELP}"
        ) from exc
    if len(key) < 50:
        raise ImproperlyConfigured(f"密钥文件 {path} 内容过短或为空。{SECRET_KEY_HELP}")
    return key


SECRET_KEY = os.environ.get("YUANQU_SECRET_KEY", "").strip()
SECRET_KEY_FROM_FILE = not SECRET_KEY
if SECRET_KEY_FROM_FILE:
    SECRET_KEY = _secret_key_from_file(SECRET_KEY_FILE)
if not DEBUG and (SECRET_KEY == INSECURE_SECRET_KEY or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "YUANQU_DEBUG 未开启时不能使用默认（公开的）SECRET_KEY。"
        f"{SECRET_KEY_HELP} Refusing to start with the default SECRET_KEY while YUANQU_DEBUG is off."
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
    # Serves Swagger UI's own copy (static/ninja/) instead of a CDN: /api/v1/docs works offline.
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "yuanqu",
    "yuanqu.core",
    "yuanqu.accounts",
    "yuanqu.registry",
    "yuanqu.imports",
    "yuanqu.economy",
    "yuanqu.projects",
    "yuanqu.funding",
    "yuanqu.service_requests",
    "yuanqu.supervision",
    "yuanqu.land",
    "yuanqu.investment",
    "yuanqu.reports",
    "yuanqu.dashboard",
    "yuanqu.mine",
    "yuanqu.demo",
    "yuanqu.audit",
    "yuanqu.jobs",
]

MIDDLEWARE = [
    # First: `Server-Timing: app;dur=…` covers every other middleware and the view.
    "yuanqu.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yuanqu.accounts.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Stamps model changes auditlog records by itself with the request's user and address.
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A write lock held by a long import: 503 "系统正在写入数据，请稍后重试", never a 500.
    "yuanqu.core.middleware.DatabaseBusyMiddleware",
    # A NUL character in a parameter: 400, not PostgreSQL's DataError (a 500).
    "yuanqu.core.middleware.NulCharacterMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a request flagged as locked out into the lock-out page
    # (or JSON for the API) whatever view answered it.
    "axes.middleware.AxesMiddleware",
]
# Server-Timing also reports the database's time and query count (yuanqu.core.middleware).
YUANQU_SERVER_TIMING_DB = env_bool("YUANQU_SERVER_TIMING_DB", DEBUG)
# Sessions in a signed cookie: logging in writes no session row, so it works while a long
# import holds SQLite's write lock (yuanqu.core.middleware). The price: a session cannot be
# revoked on the server before it expires — keep SESSION_COOKIE_AGE short in production.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

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
    # Tests on a file, not SQLite's shared in-memory database: the browser tests' live server
    # shares the database with the test, and in shared-cache mode a reader in one thread
    # locks whole tables against the other ("database table is locked" when flushing).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    VAR_DIR.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Planner costs for SSD storage (PostgreSQL's default random_page_cost 4.0 assumes
    # spinning disks): with it, a period's rows of one park are read through the
    # (park, year, month) index instead of a scan of the park's every year — 27 ms → 9 ms for
    # the economy page's enterprise ranking at city scale (BENCHMARKS.md). Set
    # YUANQU_PG_OPTIONS to override (e.g. "" to keep the server's settings).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "YUANQU_PG_OPTIONS", "-c random_page_cost=1.1"
    )

# A PostgreSQL read replica for the dashboards (docs/deploy.md, "More than one machine"): only
# the read-only views marked `core.replica.reads_from_replica` read there, and never who is
# logged in; every write goes to the primary. Tests mirror it onto the default database.
if os.environ.get("YUANQU_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["YUANQU_REPLICA_DATABASE_URL"], conn_max_age=60
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["yuanqu.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# AxesStandaloneBackend first: it refuses a locked-out username+IP before any password is
# checked. The rules backend answers object permissions (the access policy); ModelBackend logs in.
AUTHENTICATION_BACKENDS = [
    "yuanqu.accounts.axes.AxesBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# 等级保护 (GB/T 22239-2019, 身份鉴别): at least 8 characters from at least three classes, not like
# the username, not a common password. Applied where people choose passwords (admin, password
# change, createsuperuser); the demo users' demo2022 is set with set_password and bypasses it.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "yuanqu.accounts.validators.MinimumLengthChineseValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "yuanqu.accounts.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
]

# Lock-out after repeated failures (django-axes), on the login form, the admin and HTTP Basic.
# Keyed on the username+IP pair: a guesser is stopped on that account from that address, but
# cannot lock a user out from everywhere by typing wrong passwords for them, and one office
# behind a NAT address does not lock all its colleagues out with one mistyping user.
AXES_FAILURE_LIMIT = env_int("YUANQU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("YUANQU_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Logins are in the audit log (yuanqu.audit); axes keeps only the failures it counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_HANDLER = "yuanqu.accounts.axes.BusyTolerantHandler"
# A failure during the lock-out restarts the cool-off (axes' default): a guesser who keeps trying
# stays locked out; being keyed on username+IP, that never keeps the real user out elsewhere.
AXES_LOCKOUT_CALLABLE = "yuanqu.accounts.views.locked_out"
# Only the client address Django sees, unless a trusted proxy is declared (YUANQU_BEHIND_PROXY):
# a forged X-Forwarded-For must not give a guesser a fresh counter per request.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# Idle timeout (等级保护: 登录连接超时自动退出): a session ends this long after its last request.
# Renewed by accounts.middleware.SessionIdleMiddleware at most once a minute rather than by
# SESSION_SAVE_EVERY_REQUEST, which writes to the database on every request.
SESSION_COOKIE_AGE = env_int("YUANQU_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "yuanqu" / "static"]
# Uploaded files; with several app servers, a directory on shared storage (docs/deploy.md).
MEDIA_ROOT = Path(os.environ.get("YUANQU_MEDIA_ROOT", VAR_DIR / "media"))
# Nothing shared lives in the cache: import progress is in the database (ImportRecord), where
# every app server sees it (DECISIONS.md "Background work"). Per-process memory by default; with
# several app servers YUANQU_CACHE_URL=redis://… shares the computed pages between them (they are
# keyed by the data version, so a shared cache is never needed for correctness: docs/deploy.md).


def cache_from_url(url: str) -> dict[str, object]:
    if not url or url.startswith("locmem:"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            # Django's RedisCache, a Redis that does not answer being a cache miss (core.cache).
            "BACKEND": "yuanqu.core.cache.TolerantRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("YUANQU_CACHE_PREFIX", "yuanqu"),
            # A Redis that does not answer costs a page two seconds, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    raise ImproperlyConfigured(
        f"YUANQU_CACHE_URL 无法识别：{url!r}（可用 locmem:// 或 redis://主机:端口/库号）"
    )


CACHES = {"default": cache_from_url(os.environ.get("YUANQU_CACHE_URL", ""))}
# Serve static files straight from the app directories: `yuanqu serve` needs no collectstatic
# step and the npm-installed ECharts/htmx copies are found wherever the checkout is.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Uploaded files: refuse anything larger (the import engine enforces it too).
YUANQU_IMPORT_MAX_BYTES = env_int("YUANQU_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
# Worksheets with more XML than this are read by the streaming reader (flat memory, slower)
# instead of calamine (fast, ≈ 1.6 bytes of RAM per byte of XML). Lower it on small servers.
YUANQU_IMPORT_STREAM_BYTES = env_int("YUANQU_IMPORT_STREAM_BYTES", 320 * 1024 * 1024)
# PostgreSQL: enterprise reports checked and written in one pass inside the import's one
# transaction (imports.engine._import_in_one_pass: no spool, no second round of lookups). 0 stages
# them as on SQLite — for a server where long transactions hurt (e.g. a replica's lag).
YUANQU_IMPORT_ONE_PASS = env_bool("YUANQU_IMPORT_ONE_PASS", True)
# Web uploads larger than this are previewed and committed by a background task (TASKS below),
# the page showing a progress bar; smaller ones run inside the request (a second or two).
YUANQU_IMPORT_BACKGROUND_BYTES = env_int("YUANQU_IMPORT_BACKGROUND_BYTES", 1_000_000)
# A replace that would delete more than this percent of a period's stored rows needs a typed
# confirmation on the web and --allow-deletions on the CLI (DECISIONS.md, Data integrity).
YUANQU_REPLACE_GUARD_PCT = env_int("YUANQU_REPLACE_GUARD_PCT", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Background work: Django's Tasks API through the django-tasks backport (docs/deploy.md).
# "database" (default): django-tasks-db keeps the queue in this database — SQLite or
# PostgreSQL, nothing else to run but `yuanqu tasks worker` (`make demo` starts one);
# "immediate": each task runs at once inside the request that enqueues it (no worker; a large
# import then holds that request); any other value is a backend's dotted path, e.g.
# "django_tasks_rq.RQBackend" for Redis with several app servers (docs/deploy.md).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
YUANQU_TASKS_BACKEND = os.environ.get("YUANQU_TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS.get(YUANQU_TASKS_BACKEND, YUANQU_TASKS_BACKEND),
        "QUEUES": ["default"],
    }
}
# A worker writes its heartbeat this often; a task whose worker has been silent for
# YUANQU_TASK_STALE_SECONDS is put back in the queue (`yuanqu tasks recover`), at most
# YUANQU_TASK_MAX_ATTEMPTS times. Stale must stay well above the longest write transaction
# (an import's, seconds: a worker's beat waits for it on SQLite).
YUANQU_TASK_HEARTBEAT_SECONDS = env_float("YUANQU_TASK_HEARTBEAT_SECONDS", 10)
YUANQU_TASK_STALE_SECONDS = env_float("YUANQU_TASK_STALE_SECONDS", 120)
YUANQU_TASK_MAX_ATTEMPTS = env_int("YUANQU_TASK_MAX_ATTEMPTS", 3)
# A report download handed to the worker is awaited this long in the request before the
# page moves on to the report's job page (yuanqu.reports.jobs).
YUANQU_REPORT_WAIT_SECONDS = env_float("YUANQU_REPORT_WAIT_SECONDS", 15)
# How often the worker looks for due periodic commands (ModuleSpec.periodic_commands).
YUANQU_PERIODIC_CHECK_SECONDS = env_float("YUANQU_PERIODIC_CHECK_SECONDS", 60)

# Reporting periods users may enter (imports, API, pages, CLI): YYYY-MM. An empty maximum means
# December of next year, worked out on each use (DECISIONS.md "Data integrity").
YUANQU_PERIOD_MIN = os.environ.get("YUANQU_PERIOD_MIN", "2000-01")
YUANQU_PERIOD_MAX = os.environ.get("YUANQU_PERIOD_MAX", "")

# 企业诉求 and 督查督办 (docs/service.md, docs/supervision.md). "Today" for lights and automatic
# tasks (YYYY-MM-DD; empty: the calendar's date, or the demo's pinned end of 2023).
YUANQU_TODAY = os.environ.get("YUANQU_TODAY", "")
YUANQU_SUPERVISION_YELLOW_DAYS = env_int("YUANQU_SUPERVISION_YELLOW_DAYS", 3)
YUANQU_SUPERVISION_AUTO_DAYS = env_int("YUANQU_SUPERVISION_AUTO_DAYS", 10)
YUANQU_SUPERVISION_INDICATOR_MARGIN_PP = env_float("YUANQU_SUPERVISION_INDICATOR_MARGIN_PP", 5)
YUANQU_REPORTING_DEADLINE_DAY = env_int("YUANQU_REPORTING_DEADLINE_DAY", 10)
# The cadre sentence (干部作风) appears when the on-time rate is under this (%).
YUANQU_ON_TIME_THRESHOLD_PCT = env_float("YUANQU_ON_TIME_THRESHOLD_PCT", 95)
YUANQU_SUPERVISION_EMAIL = env_bool("YUANQU_SUPERVISION_EMAIL", True)
YUANQU_SUPERVISION_WEBHOOK_URL = os.environ.get("YUANQU_SUPERVISION_WEBHOOK_URL", "")
# Daily digests go through Django's mail settings: the console by default (the demo), SMTP
# when YUANQU_EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get(
    "YUANQU_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("YUANQU_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("YUANQU_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("YUANQU_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("YUANQU_EMAIL_FROM", "yuanqu@localhost")

# Speech mode (字/分钟): speaking and reading rates; DECISIONS.md.
YUANQU_SPEAKING_RATE = env_int("YUANQU_SPEAKING_RATE", 200)
YUANQU_READING_RATE = env_int("YUANQU_READING_RATE", 300)

# HTTPS in production (docs/deploy.md). Off by default: `make demo` is plain http on 127.0.0.1.
HTTPS = env_bool("YUANQU_HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("YUANQU_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("YUANQU_HSTS_INCLUDE_SUBDOMAINS", True)
    # Off unless asked: once the domain is on browsers' preload list, undoing it takes months.
    SECURE_HSTS_PRELOAD = env_bool("YUANQU_HSTS_PRELOAD", False)
CSRF_TRUSTED_ORIGINS = env_list("YUANQU_CSRF_TRUSTED_ORIGINS", [])
if env_bool("YUANQU_BEHIND_PROXY", False):
    # Only behind a proxy that sets these headers itself and drops the client's copies;
    # otherwise a client could claim https or any address.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = env_int("YUANQU_PROXY_COUNT", 1)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): only our own files. No inline script at all (handlers
# live in static/js/behaviours.js); a page's own <style> block carries the request's nonce, and
# htmx's injected indicator <style> is switched off (base.html's htmx-config meta; the rule is
# in app.css). style attributes stay allowed: ECharts' tooltips and Swagger UI write markup with
# style="…" that we cannot change, and an attribute cannot run script. data: images are the
# favicon placeholder and Swagger UI's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "yuanqu.core.logging.RefusalsWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusals"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("YUANQU_LOG_LEVEL", "WARNING")},
}

# Audit log (yuanqu.audit, django-auditlog): a changed foreign key shows the object's name, not
# its id; the followed models and the login events are wired in yuanqu/audit.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
AUDITLOG_DISABLE_REMOTE_ADDR = False
YUANQU_AUDIT_PAGE_SIZE = env_int("YUANQU_AUDIT_PAGE_SIZE", 50)

# Uploaded .docx report templates render with limits (yuanqu/reports/user_templates.py): wall-clock
# seconds, the most items of a `range()`, the most characters of rendered output.
YUANQU_TEMPLATE_RENDER_SECONDS = env_int("YUANQU_TEMPLATE_RENDER_SECONDS", 10)
YUANQU_TEMPLATE_MAX_RANGE = env_int("YUANQU_TEMPLATE_MAX_RANGE", 10_000)
YUANQU_TEMPLATE_MAX_OUTPUT = env_int("YUANQU_TEMPLATE_MAX_OUTPUT", 20_000_000)
