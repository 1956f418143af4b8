"""Django settings, read from the environment.

DATABASE_URL selects the database; without it Trædesten uses SQLite in
``var/traedesten.sqlite3`` under the working directory (TRAEDESTEN_DATA_DIR
overrides the folder).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TRAEDESTEN_DATA_DIR", Path.cwd() / "var"))
PRODUCTION = os.environ.get("TRAEDESTEN_ENV", "").lower() == "production"
DEBUG = env_flag("TRAEDESTEN_DEBUG")


def _secret_key() -> str:
    key = os.environ.get("TRAEDESTEN_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("TRAEDESTEN_SECRET_KEY must be set in production")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("TRAEDESTEN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("TRAEDESTEN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "ninja",
    "traedesten.core",
    "traedesten.accounts",
    "traedesten.people",
    "traedesten.courses",
    "traedesten.frontdoor",
    "traedesten.measures",
    "traedesten.plans",
    "traedesten.economy",
    "traedesten.civil",
    "traedesten.authority",
    "traedesten.interop",
    "traedesten.insights",
    "traedesten.records",
    "traedesten.overview",
    "traedesten.demo",
    "traedesten.citizen",
]

# The municipality's STS organisation code (a UUID from KOMBIT), used in the FFB reports.
# Files with personal data that leave the database (backups, exports) are encrypted with this Fernet key
# (`traedesten file_key` makes one); in production, writing them without a key is refused.
TRAEDESTEN_FILE_KEY = os.environ.get("TRAEDESTEN_FILE_KEY", "")
TRAEDESTEN_REQUIRE_FILE_KEY = PRODUCTION

TRAEDESTEN_MUNICIPALITY_STS = os.environ.get("TRAEDESTEN_MUNICIPALITY_STS", "d4e3f4fb-6761-4d6c-9086-74c49231f11e")
# The authority's phone number in order messages to providers: KL's messaging guide requires one for the ordering
# caseworker's organisation (docs/authority.md). Without it an order message does not pass the guide's profiles.
TRAEDESTEN_AUTHORITY_PHONE = os.environ.get("TRAEDESTEN_AUTHORITY_PHONE", "" if PRODUCTION else "72100000")
# The profiles FFB reports are validated against (docs/ffb-report.md): KL's guides as data, and the FHIR R4 core
# definitions from npm. Empty: ../shared/standards/fhir beside the repository, and node_modules in it.
TRAEDESTEN_FHIR_STANDARDS = os.environ.get("TRAEDESTEN_FHIR_STANDARDS", "")
TRAEDESTEN_FHIR_R4 = os.environ.get("TRAEDESTEN_FHIR_R4", "")
OTP_TOTP_ISSUER = "Trædesten"

# How long data is kept (see docs/security.md). closed_cases: citizens with nothing open or new for N years are
# anonymised, keeping codes, dates and scores for statistics. anonymous_contacts: contacts without a citizen are deleted.
TRAEDESTEN_RETENTION = {
    "closed_cases": {"years": int(os.environ.get("TRAEDESTEN_RETAIN_CLOSED_YEARS", "5")), "action": "anonymise"},
    "anonymous_contacts": {"years": int(os.environ.get("TRAEDESTEN_RETAIN_CONTACT_YEARS", "2")), "action": "delete"},
}
TRAEDESTEN_MAX_GOALS = int(os.environ.get("TRAEDESTEN_MAX_GOALS", "3"))

OIDC_ENABLED = bool(os.environ.get("TRAEDESTEN_OIDC_CLIENT_ID"))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Staff and citizens keep separate sessions: Min side has its own cookie, sent only under its own path.
    "traedesten.citizen.session.SplitSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "traedesten.accounts.two_factor.RequireSecondFactorMiddleware",
    "traedesten.accounts.audit.ChannelMiddleware",
    "traedesten.measures.middleware.KioskLockMiddleware",
    "traedesten.gate.web.NeedsReasonMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "traedesten.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "traedesten.urls"
WSGI_APPLICATION = "traedesten.wsgi.application"

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
                "traedesten.gate.web.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'traedesten.sqlite3'}",
        conn_max_age=int(os.environ.get("TRAEDESTEN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs more than it saves on the short queries of pages and reports: 0.2 s of a 0.4 s
    # progression query at 100,000 citizens (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes carry extra columns on PostgreSQL; SQLite, the demo database, builds them without.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Per-process memory caches. The citizen overview's keys carry revisions from the database (overview/page.py),
# so each server process may keep its own copy without ever serving a stale one.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "overview": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "overview",
                 "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("TRAEDESTEN_OVERVIEW_CACHE_ENTRIES", "2000"))}},
}

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): five failures lock the username+IP pair.
AXES_FAILURE_LIMIT = int(os.environ.get("TRAEDESTEN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password", "cpr"]

if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(1, "traedesten.accounts.oidc.MunicipalOIDCBackend")
    OIDC_RP_CLIENT_ID = os.environ["TRAEDESTEN_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("TRAEDESTEN_OIDC_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("TRAEDESTEN_OIDC_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["TRAEDESTEN_OIDC_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["TRAEDESTEN_OIDC_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["TRAEDESTEN_OIDC_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("TRAEDESTEN_OIDC_JWKS_ENDPOINT", "")
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_CREATE_USER = False
    OIDC_USE_PKCE = env_flag("TRAEDESTEN_OIDC_PKCE", True)

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The case record's files (documents and letters, see docs/case-record.md): through Django's storage API, on the local
# file system under the data folder by default (0600, outside every static or media path), or in an S3-compatible
# store with TRAEDESTEN_CASE_FILES=s3 (django-storages; install the `s3` extra, boto3). They are never served by URL:
# every download goes through the access policy. With TRAEDESTEN_FILE_KEY they are encrypted before they are stored.
if os.environ.get("TRAEDESTEN_CASE_FILES", "local") == "s3":
    STORAGES["case_files"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ.get("TRAEDESTEN_S3_BUCKET", ""),
        "endpoint_url": os.environ.get("TRAEDESTEN_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("TRAEDESTEN_S3_REGION") or None,
        "access_key": os.environ.get("TRAEDESTEN_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("TRAEDESTEN_S3_SECRET_ACCESS_KEY") or None,
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False, "location": "case-files"}}
else:
    STORAGES["case_files"] = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {
        "location": os.environ.get("TRAEDESTEN_CASE_FILES_DIR", str(DATA_DIR / "case-files")), "base_url": None,
        "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700}}
TRAEDESTEN_UPLOAD_MAX_BYTES = int(os.environ.get("TRAEDESTEN_UPLOAD_MAX_MB", "20")) * 1024 * 1024
# Letters go to the citizen through Digital Post; the municipality configures its own adapter here. The default is a
# fake outbox in the database, for the demo and the tests (like TRAEDESTEN_SMS_BACKEND).
TRAEDESTEN_DIGITAL_POST_BACKEND = os.environ.get("TRAEDESTEN_DIGITAL_POST_BACKEND",
                                                 "traedesten.records.digital_post.FakeDigitalPost")
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_flag("TRAEDESTEN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading binds the whole domain to HTTPS for years; the municipality's IT decides, so it is opt-in.
    SECURE_HSTS_PRELOAD = env_flag("TRAEDESTEN_HSTS_PRELOAD")
    SILENCED_SYSTEM_CHECKS += [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Person search and duplicate detection.
TRAEDESTEN_SEARCH_LIMIT = 25
TRAEDESTEN_NAME_SIMILARITY = 0.85
# Hours an access outside one's caseload stays open after a reason is given.
TRAEDESTEN_OUTSIDE_ACCESS_HOURS = 8

# Min side, the citizen's own door (docs/citizen.md). Citizens log in with MitID through an OpenID Connect broker;
# without an issuer the door shows that login is not set up (there is no other way in).
TRAEDESTEN_CITIZEN_PATH = "/min-side/"
TRAEDESTEN_CITIZEN_SESSION_COOKIE = os.environ.get("TRAEDESTEN_CITIZEN_SESSION_COOKIE", "traedesten_borger")
TRAEDESTEN_CITIZEN_IDLE_MINUTES = int(os.environ.get("TRAEDESTEN_CITIZEN_IDLE_MINUTES", "15"))
TRAEDESTEN_CITIZEN_MAX_HOURS = int(os.environ.get("TRAEDESTEN_CITIZEN_MAX_HOURS", "4"))
TRAEDESTEN_CITIZEN_OIDC: dict[str, str | int] = {
    "issuer": os.environ.get("TRAEDESTEN_CITIZEN_OIDC_ISSUER", ""),
    "client_id": os.environ.get("TRAEDESTEN_CITIZEN_OIDC_CLIENT_ID", ""),
    "client_secret": os.environ.get("TRAEDESTEN_CITIZEN_OIDC_CLIENT_SECRET", ""),
    "scopes": os.environ.get("TRAEDESTEN_CITIZEN_OIDC_SCOPES", "openid ssn"),
    "cpr_claim": os.environ.get("TRAEDESTEN_CITIZEN_OIDC_CPR_CLAIM", "cpr"),
    "acr_values": os.environ.get("TRAEDESTEN_CITIZEN_OIDC_ACR_VALUES", ""),
    "timeout": int(os.environ.get("TRAEDESTEN_CITIZEN_OIDC_TIMEOUT", "10")),
}
# Min log shows staff by role and department ("role"), or also by name ("name"): decision 0045.
TRAEDESTEN_CITIZEN_LOG_STAFF_NAMES = os.environ.get("TRAEDESTEN_CITIZEN_LOG_STAFF_NAMES", "role")
# Instruments the citizen may score at home before a session (kiosk instruments the citizen rates).
TRAEDESTEN_HOME_INSTRUMENTS = [c for c in os.environ.get("TRAEDESTEN_HOME_INSTRUMENTS", "ORS").split(",") if c]
# Where letters to the citizen come from: dotted paths to functions person -> iterable of citizen.inbox.Letter.
TRAEDESTEN_CITIZEN_LETTER_SOURCES: list[str] = ["traedesten.citizen.inbox.case_record_letters"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TRAEDESTEN_LOG_LEVEL", "WARNING")},
}
