"""Sentra settings, read from the environment.

SQLite (WAL mode) is the zero-setup default; set DATABASE_URL=postgres://… for PostgreSQL.
"""

import hashlib
import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from sentra.lib.env import envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SENTRA_VAR_DIR", BASE_DIR / "var"))

DEBUG = envbool("DEBUG", "False")
# Under pytest the live server speaks plain HTTP; production defaults stay strict.
TESTING = "pytest" in sys.modules or envbool("SENTRA_TESTING")
_HTTPS_DEFAULT = str(not DEBUG and not TESTING)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("SENTRA_REQUIRE_SECRET_KEY"):
        raise RuntimeError("SECRET_KEY harus diisi di lingkungan produksi.")
    # Development/test only: production sets SECRET_KEY (check --deploy flags a weak one).
    SECRET_KEY = "sentra-dev-insecure-key-change-me"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "sentra.accounts",
    "sentra.audit",
    "sentra.areas",
    "sentra.sectors",
    "sentra.registry",
    "sentra.imports",
    "sentra.linkage",
    "sentra.atlas",
    "sentra.coaching",
    "sentra.certification",
    "sentra.exhibitions",
    "sentra.opendata",
    "sentra.api",
    "sentra.ops",
    "sentra.letters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sentra.lib.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sentra.urls"
WSGI_APPLICATION = "sentra.wsgi.application"

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
                "sentra.lib.context_processors.sentra",
                "sentra.accounts.context_processors.policy",
            ],
            # sentra/lib is plain helpers, not an app: name its template library here.
            "libraries": {"sentra_tags": "sentra.lib.templatetags.sentra_tags"},
            # One set of number/date filters in every template without {% load %}.
            "builtins": ["sentra.lib.templatetags.fmt"],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'sentra.sqlite3'}"
if "DATABASE_URL" not in os.environ:
    # Zero set-up: the default SQLite file lives in var/, made on first use.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while an import writes; IMMEDIATE avoids
        # "database is locked" when two writers upgrade their locks at once.
        # A 64 MB page cache and memory-mapped reads: list pages probe many rows.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Django runs the test database in memory unless told otherwise.
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", envint("CONN_MAX_AGE", "60"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
# The demo accounts share one published password: demo_data creates them only here.
SENTRA_DEMO_MODE = envbool("SENTRA_DEMO", "True" if DEBUG else "False")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): 5 failures lock for 15 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = 0.25  # hours
# Either one locks: a username after 5 failures from anywhere (a password guessed from
# many addresses), an address after 5 failures across usernames (one password tried on
# many accounts).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Our reverse proxies (addresses or networks, comma-separated): only requests from them
# have their X-Forwarded-For read. Empty: REMOTE_ADDR is the client.
SENTRA_TRUSTED_PROXIES = envlist("SENTRA_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "sentra.accounts.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = envbool("AXES_ENABLED", "True")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA, Bali
USE_I18N = True
USE_TZ = True
# Numbers are grouped explicitly (intcomma) so years and codes never get separators.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not TESTING
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Production hardening; `manage.py check --deploy` is clean when DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", _HTTPS_DEFAULT)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", _HTTPS_DEFAULT)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", _HTTPS_DEFAULT)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", _HTTPS_DEFAULT)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (Django's own): scripts, styles and fonts only from our static
# files (vendored htmx, Leaflet, Pico); no inline script, style or on*= handler anywhere.
# Map tiles, when SENTRA_MAP_TILE_URL names a tile server, come from its origin.
# Optional street basemap under the maps, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png
# Empty (the default): the maps draw the packaged area polygons only and work offline.
SENTRA_MAP_TILE_URL = os.environ.get("SENTRA_MAP_TILE_URL", "")
SENTRA_MAP_TILE_ATTRIBUTION = os.environ.get(
    "SENTRA_MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors"
)


def _origin(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *_origin(SENTRA_MAP_TILE_URL)],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS")

SENTRA_OFFICE_NAME = os.environ.get(
    "SENTRA_OFFICE_NAME", "Dinas Perdagangan dan Perindustrian Kota Denpasar"
)
# Letters (kop surat, Nomor, signature) on the PDFs an office signs: invitations, area
# profiles, reports. Deployment settings like the office's name, changed when the office
# moves or its head changes; nothing is invented: empty lines are not printed, and
# without a logo file no logo is printed.
SENTRA_LETTER_GOVERNMENT = os.environ.get("SENTRA_LETTER_GOVERNMENT", "PEMERINTAH KOTA DENPASAR")
SENTRA_LETTER_ADDRESS = os.environ.get("SENTRA_LETTER_ADDRESS", "")
SENTRA_LETTER_PHONE = os.environ.get("SENTRA_LETTER_PHONE", "")
SENTRA_LETTER_EMAIL = os.environ.get("SENTRA_LETTER_EMAIL", "")
SENTRA_LETTER_WEBSITE = os.environ.get("SENTRA_LETTER_WEBSITE", "")
# A PNG, JPEG or SVG file on the server (e.g. the city's emblem), or empty for none.
SENTRA_LETTER_LOGO = os.environ.get("SENTRA_LETTER_LOGO", "")
# The Nomor: %(seq)s is the letter's number within its year (kept in the database, never
# repeated), %(year)s the year, %(month)s the month in Roman numerals.
SENTRA_LETTER_NUMBER_FORMAT = os.environ.get(
    "SENTRA_LETTER_NUMBER_FORMAT", "500.2/%(seq)s/Disdagperin/%(year)s"
)
SENTRA_LETTER_PLACE = os.environ.get("SENTRA_LETTER_PLACE", "Denpasar")
SENTRA_LETTER_SIGNER_POSITION = os.environ.get(
    "SENTRA_LETTER_SIGNER_POSITION", "Kepala Dinas Perdagangan dan Perindustrian Kota Denpasar"
)
SENTRA_LETTER_SIGNER_NAME = os.environ.get("SENTRA_LETTER_SIGNER_NAME", "")
SENTRA_LETTER_SIGNER_NIP = os.environ.get("SENTRA_LETTER_SIGNER_NIP", "")
# The city whose areas this installation serves (Kemendagri code).
SENTRA_CITY_CODE = os.environ.get("SENTRA_CITY_CODE", "51.71")
# Open data: its licence (SPDX id), the CKAN organisation it is published under, and the
# smallest number of IKM a published cell may show.
# Requests per token (django-ninja throttle syntax: N/s, N/m, N/h, N/d).
SENTRA_API_RATE = os.environ.get("SENTRA_API_RATE", "600/m")
SENTRA_OPEN_DATA_LICENSE = os.environ.get("SENTRA_OPEN_DATA_LICENSE", "CC-BY-4.0")
SENTRA_OPEN_DATA_ORG = os.environ.get("SENTRA_OPEN_DATA_ORG", "")
SENTRA_OPEN_DATA_MIN_CELL = envint("SENTRA_OPEN_DATA_MIN_CELL", "3")
# Uploaded import files hold NIK and phone numbers: `manage.py import_files_purge` (run
# daily) deletes them this many days after their job ended. Reports and provenance stay.
SENTRA_IMPORT_RETENTION_DAYS = envint("SENTRA_IMPORT_RETENTION_DAYS", "30")
# Long background work notes its progress here (the web server reads it; one machine).
SENTRA_PROGRESS_DIR = Path(os.environ.get("SENTRA_PROGRESS_DIR", VAR_DIR / "progress"))
# A task waiting this long with none running: the page says no db_worker is running.
SENTRA_WORKER_STALE_SECONDS = envint("SENTRA_WORKER_STALE_SECONDS", "30")
# `manage.py backup` writes here (database and uploaded files; protect it like them).
SENTRA_BACKUP_DIR = Path(os.environ.get("SENTRA_BACKUP_DIR", VAR_DIR / "backups"))
# Aggregates cached until the data change (sentra.lib.cache) are shared by every gunicorn
# worker through files: with a per-process cache each worker recomputes the same second-long
# figures after every change. One machine, like the progress files; tests keep it in memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("SENTRA_CACHE_DIR", str(VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
            # Two databases on one machine (a copy for training, a bench) never share
            # figures: the data version alone (highest ids) could be equal in both.
            "KEY_PREFIX": hashlib.sha256(
                f"{DATABASES['default'].get('HOST')}/{DATABASES['default']['NAME']}".encode()
            ).hexdigest()[:12],
        }
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
