"""CivicGrid settings, read only from the environment (see `.env.example`).

Development is permissive (DEBUG defaults on, SQLite under var/, a generated secret key);
with DEBUG off, a missing SECRET_KEY or ALLOWED_HOSTS refuses to start.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from civicgrid.env import (
    development_secret_key,
    env_bool,
    env_date,
    env_float,
    env_int,
    env_list,
    env_mapping,
    env_storage,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
DEMO_MODE = env_bool("DEMO_MODE", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (a long random string).")
    SECRET_KEY = development_secret_key(VAR_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list this site's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Reverse proxies (e.g. nginx on 127.0.0.1) whose X-Forwarded-For names the real client; none trusted by default.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "civicgrid.core",
    "civicgrid.audit",
    "civicgrid.accounts",
    "civicgrid.territory",
    "civicgrid.organizations",
    "civicgrid.workcal",
    "civicgrid.cases",
    "civicgrid.inspections",
    "civicgrid.notifications",
    "civicgrid.citizens",
    "civicgrid.ledgers",
    "civicgrid.briefings",
    "civicgrid.assessment",
    "civicgrid.open311",
    "civicgrid.field",
    "civicgrid.web",
    "civicgrid.demo",
]

MIDDLEWARE = [
    "civicgrid.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civicgrid.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "civicgrid.core.middleware.InputCheckMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "civicgrid.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "civicgrid.urls"
WSGI_APPLICATION = "civicgrid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "civicgrid.web.context_processors.navigation",
            ],
        },
    },
]

# SQLite (WAL, see civicgrid.core.apps) under var/ by default; PostgreSQL by DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'civicgrid.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# The queue tests run a real Celery worker in another process: the test database must then be a file it can open.
if env_str("CIVICGRID_TEST_DATABASE_FILE"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("CIVICGRID_TEST_DATABASE_FILE")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The default attributes (username, names, e-mail) so a password cannot be a variant of the login name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The backend strips the username and refuses locked accounts, for every login path (pages, admin, API).
AUTHENTICATION_BACKENDS = ["civicgrid.accounts.backends.LockoutAwareBackend"]
LOGIN_URL = "login"
# Login attempts per client address and username, and per address over all usernames (password spraying);
# shared by the login page, its code step and the token endpoint, counted in the database for all workers.
LOGIN_THROTTLE_RATE = env_str("LOGIN_THROTTLE_RATE", "10/min")
LOGIN_THROTTLE_ADDRESS_RATE = env_str("LOGIN_THROTTLE_ADDRESS_RATE", "30/min")
# Consecutive failed logins (passwords or codes, from any address) that lock an account until the office unlocks it.
LOGIN_LOCKOUT_FAILURES = env_int("LOGIN_LOCKOUT_FAILURES", 10, minimum=1)
# Office administrators must enrol a TOTP device before they can use any page.
REQUIRE_2FA_FOR_OFFICE = env_bool("REQUIRE_2FA_FOR_OFFICE", False)
OTP_TOTP_ISSUER = "CivicGrid"
# django-otp's own per-device back-off would refuse a right code just after a wrong one; our throttle and
# lockout already count failed codes per account and address.
OTP_TOTP_THROTTLE_FACTOR = 0
# Sessions end after this much inactivity: every request renews the cookie and the stored expiry.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
# Each language is named in itself, whatever the session's language (the menu is how one finds one's own).
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "civicgrid" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Behind nginx: the internal location that serves MEDIA_ROOT (e.g. /protected-media/); photos are then sent by
# nginx after the permission check (X-Accel-Redirect). Empty: Django streams them.
MEDIA_ACCEL_REDIRECT = env_str("MEDIA_ACCEL_REDIRECT", "")
# Empty: files under MEDIA_ROOT on this machine. s3://BUCKET?endpoint=…: an S3-compatible object store (MinIO,
# Aliyun OSS, Tencent COS, Huawei OBS), so several application servers share the media (see docs/deployment.md).
STORAGES = {
    "default": env_storage("STORAGE_URL") or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up when it is missing

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call then answers 401 with WWW-Authenticate, not 403.
        "civicgrid.accounts.authentication.TokenAuthentication",  # refused while the account is locked
        "civicgrid.field.authentication.FieldSessionAuthentication",  # the installed field app's device key
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "civicgrid.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "civicgrid.core.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CivicGrid API",
    "DESCRIPTION": "创城网格管理平台 — territory, places, organisations and (later) cases, inspections and ledgers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "civicgrid.core.openapi.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "civicgrid.cases.choices.State",
        "UnitKindEnum": "civicgrid.organizations.choices.UnitKind",
        "InspectionKindEnum": "civicgrid.inspections.choices.InspectionKind",
        "InspectionStatusEnum": "civicgrid.inspections.choices.InspectionStatus",
        "StandardStatusEnum": "civicgrid.inspections.choices.StandardStatus",
        "RoundStatusEnum": "civicgrid.inspections.choices.RoundStatus",
    },
}

# Domain configuration (domain.md §2: configurable widths and tolerances).
DISTRICT_CODE = env_str("DISTRICT_CODE", "210112")
# When the campaign began: the briefing's 累计 (cumulative) figures count from this day, not from the period's start.
CAMPAIGN_START = env_date("CAMPAIGN_START", "2026-01-01")
GRID_SEQUENCE_WIDTH = env_int("GRID_SEQUENCE_WIDTH", 3, minimum=2, maximum=4)
REGION_TOLERANCE_METERS = env_float("REGION_TOLERANCE_METERS", 2.0)
# How often a worker process asks the database whether boundaries changed (seconds).
LOCATOR_VERSION_CHECK_SECONDS = env_float("LOCATOR_VERSION_CHECK_SECONDS", 2.0)
# Office hours of a working day, for limits counted in working hours.
WORKING_HOURS = env_str("WORKING_HOURS", "08:30-12:00,13:30-17:30")
# How often a process asks the database whether the office changed the calendar (seconds).
WORKCAL_VERSION_CHECK_SECONDS = env_float("WORKCAL_VERSION_CHECK_SECONDS", 1.0)
# Who holds which role, for core.scoping's one gate (restrict): wiring, not configuration.
ACCESS_POLICY = "civicgrid.organizations.access.policy"
# Cases (domain.md §2; configurable).
DUPLICATE_RADIUS_METERS = env_float("DUPLICATE_RADIUS_METERS", 50.0)
# How long an installed field app works on one sign-in (offline included); the office can revoke it sooner.
FIELD_SESSION_DAYS = env_int("FIELD_SESSION_DAYS", 7, minimum=1, maximum=90)
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000, minimum=1)
PHOTO_MAX_DISTANCE_METERS = env_float("PHOTO_MAX_DISTANCE_METERS", 100.0)
PHOTO_SAME_HASH_BITS = env_int("PHOTO_SAME_HASH_BITS", 4, minimum=0, maximum=64)
# Photos one account may upload in 24 hours: staff (inspections take many) and the public's own accounts.
PHOTO_DAILY_QUOTA = env_int("PHOTO_DAILY_QUOTA", 2000, minimum=1)
PHOTO_DAILY_QUOTA_PUBLIC = env_int("PHOTO_DAILY_QUOTA_PUBLIC", 60, minimum=1)
# Who may report a case under each source through the report form or the API (role names; the office decides).
# Inspection and undercover findings come only from an inspection's failed items, public reports from anyone.
REPORT_SOURCE_ROLES = env_mapping("REPORT_SOURCE_ROLES", {
    "inspector_patrol": ["admin", "leader", "acceptor", "shift_leader", "dispatcher", "handler", "street_staff",
                         "community_staff", "grid_worker", "inspector", "assessor"],
    "department_transfer": ["admin", "acceptor", "shift_leader", "dispatcher", "handler"],
    "hotline_12345": ["admin", "acceptor", "shift_leader", "dispatcher"],
    "leader_assignment": ["admin", "leader", "acceptor", "shift_leader"],
    "media": ["admin", "acceptor", "shift_leader"],
})
# Natural minutes allowed for filing and dispatching (urgent / normal) and for the on-site check.
FILE_DISPATCH_MINUTES = env_int("FILE_DISPATCH_MINUTES", 30, minimum=1)
FILE_DISPATCH_URGENT_MINUTES = env_int("FILE_DISPATCH_URGENT_MINUTES", 10, minimum=1)
CHECK_MINUTES_URBAN = env_int("CHECK_MINUTES_URBAN", 60, minimum=1)
CHECK_MINUTES_OUTER = env_int("CHECK_MINUTES_OUTER", 120, minimum=1)
# Exports larger than this many rows are written in the background, with a progress page and a download link.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 5000, minimum=0)
# The longest extension one request may ask for (working days; hours and minutes in proportion).
EXTENSION_MAX_WORKING_DAYS = env_int("EXTENSION_MAX_WORKING_DAYS", 30, minimum=1, maximum=250)
# Share of the handling limit left for urgent cases, and when "due soon" starts.
URGENT_LIMIT_FACTOR = env_float("URGENT_LIMIT_FACTOR", 0.5)
DUE_SOON_SHARE = env_float("DUE_SOON_SHARE", 0.8)
# Inspections: farther than this from the place when an inspection starts is flagged on the record (metres).
INSPECTION_MAX_DISTANCE_METERS = env_float("INSPECTION_MAX_DISTANCE_METERS", 200.0)
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
# Open311 clients' media_url: fetched in the background from public addresses only (never private, loopback or
# link-local ones), at most this many bytes, within this many seconds (docs/open311.md).
OPEN311_MEDIA_ALLOW_PRIVATE = False
OPEN311_MEDIA_MAX_BYTES = env_int("OPEN311_MEDIA_MAX_BYTES", PHOTO_MAX_BYTES, minimum=1)
OPEN311_MEDIA_TIMEOUT = env_float("OPEN311_MEDIA_TIMEOUT", 10.0, minimum=1.0)
# Who signs bulletins and briefings (GB/T 9704 发文机关署名); empty: "<district name>创城办".
ISSUING_OFFICE = env_str("ISSUING_OFFICE", "")
# The site's public address, for links in text messages and e-mails (tracking links).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Notifications (docs/deployment.md § Notifications). SMS: "outbox" records only (the office reads the outbox
# page), "console" also logs, "aliyun" sends through Alibaba Cloud SMS with the templates below.
NOTIFY_SMS_BACKEND = env_str("NOTIFY_SMS_BACKEND", "outbox")
if NOTIFY_SMS_BACKEND not in ("outbox", "console", "aliyun"):
    raise ImproperlyConfigured("NOTIFY_SMS_BACKEND must be outbox, console or aliyun")
SMS_ALIYUN_ACCESS_KEY_ID = env_str("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_SIGN_NAME = env_str("SMS_ALIYUN_SIGN_NAME", "")
SMS_ALIYUN_ENDPOINT = env_str("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
# The provider's template code per message kind, e.g. SMS_TEMPLATES="code=SMS_1;ack=SMS_2;closed=SMS_3".
SMS_TEMPLATES = {kind: codes[0] for kind, codes in env_mapping("SMS_TEMPLATES", {}).items() if codes}
if NOTIFY_SMS_BACKEND == "aliyun" and not (SMS_ALIYUN_ACCESS_KEY_ID and SMS_ALIYUN_ACCESS_KEY_SECRET
                                           and SMS_ALIYUN_SIGN_NAME):
    raise ImproperlyConfigured("NOTIFY_SMS_BACKEND=aliyun needs SMS_ALIYUN_ACCESS_KEY_ID, "
                               "SMS_ALIYUN_ACCESS_KEY_SECRET and SMS_ALIYUN_SIGN_NAME")
# E-mail notifications (staff who choose them) through Django's mail; development prints them.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG
                        else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "civicgrid@localhost")
# Citizens get no SMS in these hours (local time, may cross midnight); codes are sent at once.
NOTIFY_CITIZEN_QUIET_HOURS = tuple(
    dt.time.fromisoformat(part) for part in env_str("NOTIFY_CITIZEN_QUIET_HOURS", "21:00-08:00").split("-", 1))
# The public side: how long after closure a 不满意 sends the case to the office for review (days), and how
# many reports one phone or one client address may make per day.
CITIZEN_REVIEW_WINDOW_DAYS = env_int("CITIZEN_REVIEW_WINDOW_DAYS", 7, minimum=0)
PUBLIC_REPORTS_PER_PHONE_PER_DAY = env_int("PUBLIC_REPORTS_PER_PHONE_PER_DAY", 10, minimum=1)
PUBLIC_REPORTS_PER_ADDRESS_PER_DAY = env_int("PUBLIC_REPORTS_PER_ADDRESS_PER_DAY", 20, minimum=1)
PHONE_CODES_PER_PHONE_PER_HOUR = env_int("PHONE_CODES_PER_PHONE_PER_HOUR", 5, minimum=1)
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")


def _origin(url: str) -> str | None:
    from urllib.parse import urlsplit

    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}" if parts.scheme and parts.netloc else None


# Content Security Policy: scripts, styles, fonts and data from this site only (no template holds an inline
# script or style); images also from the map tiles and the object store that photos are redirected to.
CONTENT_SECURITY_POLICY = {
    # The Django admin is the office's back room and uses its own inline scripts.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *filter(None, [
            _origin(MAP_TILE_URL), _origin(STORAGES["default"].get("OPTIONS", {}).get("endpoint_url", ""))])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        # The field app: its service worker (/sw.js) and web app manifest come from this site only.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    # Production sits behind a TLS-terminating proxy (deploy/nginx): plain HTTP is redirected, browsers are told
    # to come back over HTTPS only, and the proxy's X-Forwarded-Proto says whether the request was secure.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer's probe speaks plain HTTP on the private side
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # Entering the browsers' preload list is a decision about the district's whole domain, taken (and submitted)
    # by its IT staff, not a default of this product; the header follows SECURE_HSTS_PRELOAD when they do.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("SECURE_PROXY_SSL_HEADER", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background work: in-process after commit unless a Celery broker is configured (e.g. redis://127.0.0.1:6379/0).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
# The Celery app that carries background work when a broker is set (wiring, like ACCESS_POLICY: core and web reach
# it through this name, imported only when work is handed to the queue, never at start-up).
TASK_QUEUE_APP = "civicgrid.celery.app"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE

# Logs go to standard error (systemd's journal); LOG_FORMAT=json writes one JSON object per line.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "civicgrid.core.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
