"""One settings module; every knob comes from the environment (see README)."""

import base64
import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(int(default))).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    """A local key is generated once into an ignored file; production must set SECRET_KEY."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _field_encryption_keys() -> list[str]:
    """Comma-separated Fernet keys for encrypted fields (document numbers, webhook secrets):
    the first encrypts, all decrypt, so keys rotate (`manage.py rotate_field_keys`).

    Required when DEBUG=0. Never derived from SECRET_KEY in production: rotating that key
    would silently make every stored value unreadable. For the local server a key is
    generated once into an ignored file; the old SECRET_KEY-derived key still decrypts
    what earlier versions stored there (rotate_field_keys re-encrypts it)."""
    if keys := env_list("FIELD_ENCRYPTION_KEYS"):
        return keys
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG=0")
    key_file = VAR_DIR / "field_encryption_key"
    if not key_file.exists():
        from cryptography.fernet import Fernet

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(Fernet.generate_key().decode())
        key_file.chmod(0o600)
    legacy = base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
    return [key_file.read_text().strip(), legacy]


FIELD_ENCRYPTION_KEYS = _field_encryption_keys()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# How many proxies of ours append to X-Forwarded-For (0: clients connect directly, and
# the header, being the client's own words, is ignored for the recorded IP).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "ex1000.core",
    "ex1000.accounts",
    "ex1000.privacy",
    "ex1000.catalog",
    "ex1000.quotes",
    "ex1000.orders",
    "ex1000.logistics",
    "ex1000.messaging",
    "ex1000.notifications",
    "ex1000.ops",
    "ex1000.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, Permissions-Policy, and no-store for every signed-in answer.
    "ex1000.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the user's time zone for every page's dates and forms.
    "ex1000.accounts.middleware.UserTimeZoneMiddleware",
    # After authentication (it reads the user), outside the rest (it sees their answers).
    "ex1000.privacy.access_middleware.AccessLogMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "ex1000.core.middleware.ApiMethodNotAllowedMiddleware",
    # After OTPMiddleware (it asks whether the session passed its second factor), before the
    # policy gate (setting up two-factor comes first).
    "ex1000.accounts.middleware.TwoFactorMiddleware",
    "ex1000.privacy.middleware.PolicyAcceptanceMiddleware",
]

ROOT_URLCONF = "ex1000.urls"
WSGI_APPLICATION = "ex1000.wsgi.application"

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
                "ex1000.notifications.context_processors.unread_notifications",
                "ex1000.messaging.context_processors.unread_messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ex1000.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a writer (e.g. a bulk import) works.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Compiling a search's plan to machine code (JIT) costs 30 ms for queries that run in 2.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down: a miss, not a 500 (core/cache.py); fail fast, don't hang.
            "BACKEND": "ex1000.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions in the database, read through the cache: an outage of Redis logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "db": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "ex1000.accounts.validation.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A reset link works once, within this time; reset emails per address an hour.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(2 * 3600)))
PASSWORD_RESET_PER_HOUR = int(os.environ.get("PASSWORD_RESET_PER_HOUR", "10"))
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:home"
LOGOUT_REDIRECT_URL = "catalog:home"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# One address, any accounts: failed logins (page and API) before it waits for the window.
LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LOGIN_IP_FAILURE_LIMIT", "20"))
LOGIN_IP_WINDOW_SECONDS = int(os.environ.get("LOGIN_IP_WINDOW_SECONDS", "900"))
# Visitors' requests a minute per address on the expensive open endpoints (core.api).
# How long search keeps a result in the cache (catalog.selectors: keyed by the catalogue's
# version, so a change to any listing retires it at once); 0 turns the cache off.
SEARCH_CACHE_SECONDS = int(os.environ.get("SEARCH_CACHE_SECONDS", "300"))
ANONYMOUS_RATE_LIMITS = {
    "search": int(os.environ.get("RATE_LIMIT_SEARCH_PER_MINUTE", "120")),
    "estimate": int(os.environ.get("RATE_LIMIT_ESTIMATE_PER_MINUTE", "30")),
}
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
# Pages post "email", the API passes email=, the admin passes username=: one normalised key.
AXES_USERNAME_CALLABLE = "ex1000.accounts.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "ex1000.accounts.lockout.lockout_response"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False
# Our access records (privacy.access_log) are the log of who came from where, walked by
# the registry's export, retention and erasure; axes keeps only the failed attempts that
# a lockout needs (deleted on success, and by the erasure).
AXES_DISABLE_ACCESS_LOG = True

# Roles that must log in with a TOTP code: supplier, logistics, buyer, and "staff" for
# operators and superusers. Until they enrol they reach only their profile and the set-up.
TWO_FACTOR_REQUIRED_ROLES = env_list("TWO_FACTOR_REQUIRED_ROLES", "supplier,logistics,staff")
TWO_FACTOR_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = "EX1000"
# Wrong codes in a row make the next attempt wait 1, 2, 4, 8… seconds (django-otp).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))
EMAIL_VERIFICATION_MAX_AGE_DAYS = 3

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ru", "Русский"),
    ("ar", "العربية"),
    ("es", "Español"),
    ("fr", "Français"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
# Every script is a file of ours (htmx, app.js, Swagger UI): no inline or eval'd script.
# Inline style attributes stay allowed (style-src), images may be data: URIs (Swagger UI).
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
)
PERMISSIONS_POLICY = os.environ.get(
    "PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
)
# Formats Django lacks for a language (ex1000/core/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["ex1000.core.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Identity documents live here and are only streamed by an access-checked view.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "ex1000.core.storage.EncryptedFileSystemStorage",
        # Readable by the app's own user only: identity documents, proofs, exports.
        "OPTIONS": {
            "location": PRIVATE_MEDIA_ROOT,
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# A 100,000-row stock list with notes and every optional column is about 25 MB as CSV.
MAX_IMPORT_BYTES = 50 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "EX1000 <no-reply@ex1000.example>")
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "privacy@ex1000.example")
# Privacy requests (docs/privacy.md): answered within 15 days; a confirmed deletion waits
# out the grace period (0 = at the next run of process_privacy_requests).
PRIVACY_REQUEST_DUE_DAYS = int(os.environ.get("PRIVACY_REQUEST_DUE_DAYS", "15"))
PRIVACY_DELETION_GRACE_DAYS = int(os.environ.get("PRIVACY_DELETION_GRACE_DAYS", "7"))
PRIVACY_DELETION_TOKEN_HOURS = 24
# The erasure log (user id, time, registry version; no personal data) that `restore`
# replays. It lives outside the database and the media roots, so that restoring an older
# backup cannot take it back in time.
PRIVACY_ERASURE_LOG = Path(
    os.environ.get("PRIVACY_ERASURE_LOG", VAR_DIR / "privacy" / "erasure-log.jsonl")
)
# POST /api/v1/feedback: at most this many tickets per hour from one address (or user).
PRIVACY_FEEDBACK_PER_HOUR = int(os.environ.get("PRIVACY_FEEDBACK_PER_HOUR", "10"))
# Data export: how long a prepared ZIP's link works, and how recent a session's login (or
# password confirmation) must be for GET /api/v1/privacy/export.
PRIVACY_EXPORT_LINK_HOURS = int(os.environ.get("PRIVACY_EXPORT_LINK_HOURS", "24"))
PRIVACY_REAUTH_MINUTES = int(os.environ.get("PRIVACY_REAUTH_MINUTES", "10"))
# Where personal data is stored, as the record of processing states it (privacy.processing).
PRIVACY_STORAGE_REGION = os.environ.get(
    "PRIVACY_STORAGE_REGION",
    "China (Hangzhou) — application servers; backups in the same region",
)


def env_days(name: str) -> dict[str, int]:
    """``category=days,…`` from the environment, e.g. "access_records=90,ip_truncation=7"."""
    pairs = (item.split("=", 1) for item in env_list(name) if "=" in item)
    return {key.strip(): int(value) for key, value in pairs}


# Retention periods in days (privacy.md; privacy.retention has the defaults and the
# categories: access_records, ip_truncation, behaviour_events, inquiries).
PRIVACY_RETENTION_DAYS = env_days("PRIVACY_RETENTION_DAYS")
# Access records are queued per process and written in batches by a background thread
# (ACCESS_LOG_BACKGROUND=0: only when privacy.access_log.flush() is called, as in tests).
ACCESS_LOG_ENABLED = env_bool("ACCESS_LOG_ENABLED", True)
ACCESS_LOG_BACKGROUND = env_bool("ACCESS_LOG_BACKGROUND", True)
ACCESS_LOG_BATCH = int(os.environ.get("ACCESS_LOG_BATCH", "200"))
ACCESS_LOG_FLUSH_SECONDS = float(os.environ.get("ACCESS_LOG_FLUSH_SECONDS", "2"))
ACCESS_LOG_MAX_BUFFER = int(os.environ.get("ACCESS_LOG_MAX_BUFFER", "50000"))

# Security: strict in production (DEBUG=0), relaxed for the local server.
SECURE = not DEBUG
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
# X-Forwarded-Proto is believed only from a proxy of ours: without one, any client could
# send "https" and pass for a secure request (secure cookies, no SSL redirect).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT > 0 else None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # One line per task state change is noise at INFO; failures still show.
    "loggers": {
        "django_tasks": {"level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Orders (orders.md): the escrow account every payment goes to, and the claim period.
ESCROW_BANK_NAME = os.environ.get("ESCROW_BANK_NAME", "Bank of China, Hangzhou Branch")
ESCROW_ACCOUNT_NAME = os.environ.get("ESCROW_ACCOUNT_NAME", "EX1000 Escrow Services Ltd")
ESCROW_ACCOUNT_NUMBER = os.environ.get("ESCROW_ACCOUNT_NUMBER", "0000 0000 0000 0000 (demo)")
ESCROW_SWIFT = os.environ.get("ESCROW_SWIFT", "BKCHCNBJ910")
ORDER_CLAIM_DAYS = int(os.environ.get("ORDER_CLAIM_DAYS", "7"))
# Payment proofs and trade documents (PDF, JPEG, PNG), checked by decoding.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
