"""BankDesk settings. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url

from bankdesk.secrets import create_private_file, field_encryption_key, previous_field_keys, secret_key, secure_var_dir

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BANKDESK_VAR_DIR", BASE_DIR / "var"))
secure_var_dir(VAR_DIR)

SECRET_KEY = secret_key(VAR_DIR, os.environ.get("BANKDESK_SECRET_KEY", ""))
FIELD_ENCRYPTION_KEY = field_encryption_key(VAR_DIR, os.environ.get("BANKDESK_FIELD_KEY", ""))
# Read-only fallbacks while a key rotation runs (see docs/operations.md).
FIELD_ENCRYPTION_PREVIOUS_KEYS = previous_field_keys(os.environ.get("BANKDESK_FIELD_KEY_PREVIOUS", ""))
# manage.py backup / restore: where backups go, and pg_dump / pg_restore of the server's version
BACKUP_DIR = os.environ.get("BANKDESK_BACKUP_DIR") or VAR_DIR / "backups"
PG_BIN = os.environ.get("BANKDESK_PG_BIN", "")
DEBUG = os.environ.get("BANKDESK_DEBUG", "") == "1"
# The tests' "testserver" is added by Django's test environment (pytest-django sets it up), not served here.
ALLOWED_HOSTS = os.environ.get("BANKDESK_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("BANKDESK_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # the API docs page with Swagger UI from our static files, not a CDN the CSP would refuse
    "axes",
    "bankdesk.core",
    "bankdesk.orgs",
    "bankdesk.complaints",
    "bankdesk.knowledge",
    "bankdesk.callcenter",
    "bankdesk.workforce",
    "bankdesk.scorecards",
    "bankdesk.surveys",
    "bankdesk.quality",
    "bankdesk.analytics",
    "bankdesk.remediation",
    # After bankdesk.core, whose db_worker command (with a lease, see core/workers.py) takes the place of theirs.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bankdesk.core.middleware.RequestScopeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bankdesk.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bankdesk.core.middleware.SessionIdleTimeoutMiddleware",
    "bankdesk.core.access.AccessMiddleware",
    "bankdesk.core.middleware.AuditContextMiddleware",
    "bankdesk.core.web.ServiceErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bankdesk.urls"
WSGI_APPLICATION = "bankdesk.wsgi.application"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bankdesk.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite's page cache per connection (its default, 2 MB, holds a few of the indexes' pages of a large
# complaints table, which each request then reads again from the OS). Temporary storage stays in files:
# in memory, building the complaints' indexes after an import took a third longer (docs/benchmark.md).
SQLITE_CACHE_MEGABYTES = int(os.environ.get("BANKDESK_SQLITE_CACHE_MB", "256"))
SQLITE_OPTIONS = {
    "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; "
                     f"PRAGMA cache_size=-{SQLITE_CACHE_MEGABYTES * 1024};"),
    "transaction_mode": "IMMEDIATE",
}
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'bankdesk.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    if Path(DATABASES["default"]["NAME"]).parent == VAR_DIR:
        create_private_file(Path(DATABASES["default"]["NAME"]))  # before SQLite creates it world-readable
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
# Rate limits of the public forms must be shared by all workers and survive a restart: Redis when there is
# one, else a table in the database (core.RateCount), never the per-process memory cache.
RATE_LIMIT_STORE = "cache" if os.environ.get("REDIS_URL") else "database"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "bankdesk.orgs.passwords.RuleLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "bankdesk.orgs.passwords.CharacterClassValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "bankdesk.orgs.backends.StaffBackend",
]
# Lockout numbers are rule settings an administrator can change (see core.rules).
AXES_FAILURE_LIMIT = "bankdesk.orgs.lockout.failure_limit"
AXES_COOLOFF_TIME = "bankdesk.orgs.lockout.cooloff_time"
# Lock a user name at one address: a branch's staff share one NAT address, so locking addresses would lock
# them all; locking the name alone let anyone lock out the administrator by typing wrong passwords.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "orgs/locked_out.html"

SESSION_ENGINE = "bankdesk.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = os.environ.get("BANKDESK_SECURE_COOKIES", "") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Sent only on answers over HTTPS (Django's SecurityMiddleware); 0 turns it off. Behind a reverse proxy that
# ends TLS, BANKDESK_PROXY_HTTPS=1 trusts its X-Forwarded-Proto header.
SECURE_HSTS_SECONDS = int(os.environ.get("BANKDESK_HSTS_SECONDS", str(365 * 24 * 3600)))
if os.environ.get("BANKDESK_PROXY_HTTPS", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Widgets are rendered by Jinja2: the same templates as Django's, a third of the time on a page of forms such as
# the complaint page's step panel.
FORM_RENDERER = "django.forms.renderers.Jinja2"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "bankdesk" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# WhiteNoise serves static files from the apps directly (no collectstatic needed to run).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Complaints by e-mail: registered by this user, about this unit (code; "" = the consumer-protection
# department HO-CP if it exists, else the head office).
BANKDESK_EMAIL_INTAKE_USER = os.environ.get("BANKDESK_EMAIL_INTAKE_USER", "cp_officer")
BANKDESK_EMAIL_DEFAULT_UNIT = os.environ.get("BANKDESK_EMAIL_DEFAULT_UNIT", "")
# The complaints mailbox polled by `manage.py poll_mailbox` (TLS always; port 143 with STARTTLS).
BANKDESK_IMAP_HOST = os.environ.get("BANKDESK_IMAP_HOST", "")
BANKDESK_IMAP_PORT = os.environ.get("BANKDESK_IMAP_PORT", "993")
BANKDESK_IMAP_USER = os.environ.get("BANKDESK_IMAP_USER", "")
BANKDESK_IMAP_PASSWORD = os.environ.get("BANKDESK_IMAP_PASSWORD", "")
BANKDESK_IMAP_FOLDER = os.environ.get("BANKDESK_IMAP_FOLDER", "INBOX")
# A callable(bytes) -> "clean" | "infected" that scans every attachment, e.g. a ClamAV client.
ATTACHMENT_SCANNER = os.environ.get("BANKDESK_ATTACHMENT_SCANNER", "")
# The customer-service hotline printed on letters to customers.
BANKDESK_HOTLINE = os.environ.get("BANKDESK_HOTLINE", "400-000-0000")
# The regulator a complaint decision letter names as the customer's last resort (国家金融监督管理总局, 12378)
BANKDESK_REGULATOR_CONTACT = os.environ.get("BANKDESK_REGULATOR_CONTACT",
                                            "国家金融监督管理总局及其派出机构，银行保险消费者投诉维权热线 12378")

# Where `manage.py serve` (make run) listens, and its gunicorn workers.
BANKDESK_HOST = os.environ.get("BANKDESK_HOST", "127.0.0.1")
BANKDESK_PORT = os.environ.get("BANKDESK_PORT", "8000")
BANKDESK_WEB_WORKERS = os.environ.get("BANKDESK_WEB_WORKERS", "2")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("BANKDESK_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = os.environ.get("BANKDESK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("BANKDESK_FROM_EMAIL", "bankdesk@localhost")
# Text messages: by default written to core.SmsOutbox, which the bank's SMS gateway job sends.
SMS_BACKEND = os.environ.get("BANKDESK_SMS_BACKEND", "bankdesk.core.messaging.OutboxSmsBackend")
# Where staff open BankDesk, e.g. https://bankdesk.example.cn: links in e-mails become absolute.
BANKDESK_BASE_URL = os.environ.get("BANKDESK_BASE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BANKDESK_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
