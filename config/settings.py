"""The only settings module. Every deployment difference is an environment variable."""

import importlib.util
import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DANHGIA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("DANHGIA_REQUIRE_SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production.")
    # Development and tests only: a fixed key is harmless there; production sets SECRET_KEY.
    SECRET_KEY = "danhgia-insecure-development-key-change-me-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# A refused form answers our own page (in Vietnamese, in the layout), not Django's.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "danhgia.core",
    "danhgia.accounts",
    "danhgia.organisations",
    "danhgia.work",
    "danhgia.evaluations",
    "danhgia.annual",
    "danhgia.reminders",
    "danhgia.reports.publication",
    "danhgia.reports.exports",
    "danhgia.reports.dashboards",
    "danhgia.reports.recognition",
    "danhgia.signatures",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "danhgia.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside every middleware that shapes answers (it has the last word), inside sessions.
    "danhgia.core.middleware.NoStoreWhenSignedInMiddleware",
    "danhgia.api.middleware.KeepAcceptLanguageMiddleware",
    "danhgia.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.navigation.navigation",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'danhgia.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id at OWASP's parameters first (danhgia/accounts/hashers.py); the others verify older
# hashes, which are upgraded at the next login.
PASSWORD_HASHERS = [
    "danhgia.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Single sign-on with OpenID Connect (docs/deploy.md, section 7): off unless OIDC_RP_CLIENT_ID is
# set; then the app, its backend and the /oidc/ URLs exist. A person is matched to an EXISTING
# login by OIDC_MATCH_CLAIM (email or employee_code); nobody is ever created (OIDC_CREATE_USER).
# DANHGIA_LOCAL_PASSWORDS=0 (only with OIDC on) hides and refuses the password form.
OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID", "").strip())
LOCAL_PASSWORDS = env_bool("DANHGIA_LOCAL_PASSWORDS", True)
OIDC_MATCH_CLAIMS = ("email", "employee_code")
if not LOCAL_PASSWORDS and not OIDC_ENABLED:
    raise RuntimeError("DANHGIA_LOCAL_PASSWORDS=0 needs OIDC_RP_CLIENT_ID: nobody could log in.")
if OIDC_ENABLED:
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not os.environ.get(name, "").strip()
    ]
    if _missing:
        raise RuntimeError(f"OIDC_RP_CLIENT_ID is set but these are not: {', '.join(_missing)}.")
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("danhgia.accounts.oidc.MatchingBackend")
    if not LOCAL_PASSWORDS:
        AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")
    OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "").strip()
    OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"].strip()
    OIDC_RP_CLIENT_SECRET = os.environ["OIDC_RP_CLIENT_SECRET"].strip()
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["OIDC_OP_AUTHORIZATION_ENDPOINT"].strip()
    OIDC_OP_TOKEN_ENDPOINT = os.environ["OIDC_OP_TOKEN_ENDPOINT"].strip()
    OIDC_OP_USER_ENDPOINT = os.environ["OIDC_OP_USER_ENDPOINT"].strip()
    OIDC_OP_JWKS_ENDPOINT = os.environ["OIDC_OP_JWKS_ENDPOINT"].strip()
    # The provider's end_session_endpoint: logging out of danhgia then logs out there too.
    OIDC_OP_END_SESSION_ENDPOINT = os.environ.get("OIDC_OP_END_SESSION_ENDPOINT", "").strip()
    OIDC_MATCH_CLAIM = os.environ.get("OIDC_MATCH_CLAIM", "email").strip()
    if OIDC_MATCH_CLAIM not in OIDC_MATCH_CLAIMS:
        raise RuntimeError(
            f"OIDC_MATCH_CLAIM must be one of {', '.join(OIDC_MATCH_CLAIMS)}, "
            f"not {OIDC_MATCH_CLAIM!r} (national_id: no field holds it yet)."
        )
    OIDC_CREATE_USER = False  # HR creates logins; SSO never invents a user
    OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's logout
    # PKCE (RFC 7636) guards the code in transit; a provider that ignores it loses nothing.
    OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
    OIDC_OP_LOGOUT_URL_METHOD = "danhgia.accounts.oidc.provider_logout_url"
    OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
    LOGIN_REDIRECT_URL_FAILURE = "/tai-khoan/mot-cua/chua-co-tai-khoan/"  # accounts:sso_unknown

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS=1 (production behind TLS): redirect plain HTTP, send HSTS with preload (a year by
# default; HSTS_SECONDS=0 while trying TLS out; the preload flag alone lists nothing).
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS and not DEBUG)
SECURE_HSTS_SECONDS = int(
    os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600 if HTTPS and not DEBUG else 0))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
# Behind nginx that terminates TLS and sets X-Forwarded-Proto (docs/deploy.md): BEHIND_PROXY=1.
# Never set it without such a proxy: clients could then claim HTTPS themselves.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Real-IP is believed (login throttling counts per client address).
TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1").split(",")

# Failed logins within the cool-off lock a user name at one address after 5, and the address
# itself (every name) after 50: password spraying (danhgia/accounts/throttling.py).
LOGIN_FAILURE_LIMIT_ACCOUNT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_LIMIT_ADDRESS = int(os.environ.get("LOGIN_FAILURE_LIMIT_ADDRESS", "50"))
AXES_FAILURE_LIMIT = "danhgia.accounts.throttling.failure_limit"
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = False  # throttling.forget_account_failures resets the account's count
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "danhgia.accounts.client_ip.client_ip"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

if OIDC_ENABLED and OIDC_OP_END_SESSION_ENDPOINT:
    # Logging out is a form whose answer redirects to the provider: form-action must allow it.
    _parts = OIDC_OP_END_SESSION_ENDPOINT.split("/")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("/".join(_parts[:3]))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "danhgia.core.storage.StaticStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded files (imports, evidence) live outside any web root and are served by views only.
MEDIA_ROOT = VAR_DIR / "private"
MEDIA_URL = "/private-not-served/"

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(8 * 1024 * 1024)))
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# Digital signatures (docs/signatures.md): the CA certificates (PEM or DER files) whose
# signatures the verification page trusts, and the largest PDF it accepts.
SIGNATURE_TRUST_ROOTS = [
    path for path in os.environ.get("SIGNATURE_TRUST_ROOTS", "").split(",") if path.strip()
]
# A remote signing service for people without a stored certificate (empty: none).
SIGNATURE_REMOTE_URL = os.environ.get("SIGNATURE_REMOTE_URL", "")
SIGNATURE_REMOTE_TIMEOUT = float(os.environ.get("SIGNATURE_REMOTE_TIMEOUT", "30"))
SIGNATURE_VERIFY_MAX_BYTES = int(
    os.environ.get("SIGNATURE_VERIFY_MAX_BYTES", str(10 * 1024 * 1024))
)
# Every uploaded zip (.xlsx, .docx, .pptx, .odt, .ods) is bounded before it is parsed
# (danhgia/core/uploads.py): unpacked total, members, compression ratio, seconds to unpack.
UPLOAD_ARCHIVE_MAX_BYTES = int(os.environ.get("UPLOAD_ARCHIVE_MAX_BYTES", str(100 * 1024 * 1024)))
UPLOAD_ARCHIVE_MAX_ENTRIES = int(os.environ.get("UPLOAD_ARCHIVE_MAX_ENTRIES", "1000"))
UPLOAD_ARCHIVE_MAX_RATIO = int(os.environ.get("UPLOAD_ARCHIVE_MAX_RATIO", "100"))
UPLOAD_ARCHIVE_SECONDS = float(os.environ.get("UPLOAD_ARCHIVE_SECONDS", "10"))
# Reading an import file (units, people, products) stops after this many seconds.
IMPORT_MAX_SECONDS = float(os.environ.get("IMPORT_MAX_SECONDS", "120"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "danhgia@localhost")

PAGE_SIZE = 50

# REST API for document systems (danhgia/api, docs/decisions.md): token per integration,
# problem JSON errors, a rate limit per integration (API_RATE, e.g. "600/minute").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["danhgia.api.auth.IntegrationTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["danhgia.api.auth.IsIntegration"],
    "DEFAULT_THROTTLE_CLASSES": ["danhgia.api.auth.IntegrationRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"integration": os.environ.get("API_RATE", "600/minute")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["danhgia.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "danhgia.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "danhgia API",
    "DESCRIPTION": "Units, people, tasks, sheets and published results of one integration's "
    "units; tasks from incoming documents. Errors are problem details (RFC 9457) in the "
    "language of Accept-Language (vi, en).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Background jobs (reminders): huey. SQLite file under var/ by default, Redis when REDIS_URL is
# set; tasks run inline (immediate) under pytest or with HUEY_IMMEDIATE=1. Worker:
# `python manage.py run_huey` (docs/development.md, "Reminders worker").
# With REDIS_URL, Redis is also the cache (the API's rate limit then counts across every
# worker and server). The client is the optional extra `redis` (pyproject.toml): without it,
# stop here with what to do rather than fail later in the worker or on the first request.
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False) or "pytest" in sys.modules
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    if importlib.util.find_spec("redis") is None:
        raise RuntimeError(
            "REDIS_URL is set but the Python package 'redis' is not installed. Install the "
            "redis extra (pip install '.[redis]' in the code directory, or .venv/bin/pip "
            "install -e '.[redis]'), or remove REDIS_URL to keep the queue in SQLite."
        )
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "danhgia",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "utc": False,  # the schedule (07:00 reminders) is in TIME_ZONE, not UTC
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "danhgia",
        }
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "danhgia",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "utc": False,  # the schedule (07:00 reminders) is in TIME_ZONE, not UTC
    }
# The audit chain's anchor (docs/deploy.md, "Audit anchors"): an HMAC-SHA256 key that is never
# in the database nor in its backups (AUDIT_ANCHOR_KEY, or a file named by AUDIT_ANCHOR_KEY_FILE),
# and the directory of the daily anchor files, to keep outside the database's machine.
AUDIT_ANCHOR_DEV_KEY = "danhgia-insecure-development-audit-anchor-key"  # noqa: S105
AUDIT_ANCHOR_KEY = os.environ.get("AUDIT_ANCHOR_KEY", "")
if not AUDIT_ANCHOR_KEY and os.environ.get("AUDIT_ANCHOR_KEY_FILE"):
    # A key file named but unreadable or empty stops the start: never fall back silently.
    try:
        AUDIT_ANCHOR_KEY = Path(os.environ["AUDIT_ANCHOR_KEY_FILE"]).read_text().strip()
    except OSError as error:
        raise RuntimeError(f"AUDIT_ANCHOR_KEY_FILE cannot be read: {error}") from error
    if not AUDIT_ANCHOR_KEY:
        raise RuntimeError("AUDIT_ANCHOR_KEY_FILE is empty.")
if not AUDIT_ANCHOR_KEY:
    # Development and tests only; the system check core.W001 warns when DEBUG=0.
    AUDIT_ANCHOR_KEY = AUDIT_ANCHOR_DEV_KEY
AUDIT_ANCHOR_DIR = Path(os.environ.get("AUDIT_ANCHOR_DIR", VAR_DIR / "anchors"))
# Who chains the audit rows (docs/decisions.md, "A single chainer process"): "inline" (each
# writer after its commit: development, SQLite, the demo, tests) or "process" (production on
# PostgreSQL: writers only insert; `manage.py run_audit_chainer` chains).
AUDIT_CHAINER = os.environ.get("DANHGIA_AUDIT_CHAINER", "inline").strip() or "inline"
if AUDIT_CHAINER not in ("inline", "process"):
    raise RuntimeError(
        f"DANHGIA_AUDIT_CHAINER must be 'inline' or 'process', not {AUDIT_CHAINER!r}."
    )
# With the chainer process, does a writer also wake it with a NOTIFY after its commit? Off by
# default: the NOTIFY costs each write a second round trip and COMMIT (about a fifth of the
# throughput of 8 writers, docs/benchmarks.md), while the chainer's poll (every 0.25 s, one
# indexed query) finds the rows as soon. On: rows chained a few ms sooner, writes slower.
AUDIT_CHAINER_NOTIFY = os.environ.get("DANHGIA_AUDIT_CHAINER_NOTIFY", "0").strip() == "1"
# Finished export files are deleted after this many days (a nightly task).
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
# Links in reminder e-mails need the site's address (e.g. https://danhgia.quangnam.gov.vn).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
