"""Settings of the Portale PSM Messina, driven by environment variables.

With no environment at all the portal runs on SQLite under ``var/`` with Celery
tasks executed in-process; ``DATABASE_URL`` and ``REDIS_URL`` switch to
PostgreSQL and a real Celery worker. README.md lists every variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from psm_portal.lib.env import envbool, envint, envlist, envstr
from psm_portal.lib.siteurl import LOCAL_SITE_URL

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = envstr("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY non impostata: con DEBUG spento serve una chiave segreta (variabile SECRET_KEY)."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# Unset, links made while serving a request use that request's address (psm_portal.lib.siteurl).
SITE_URL = envstr("SITE_URL", LOCAL_SITE_URL).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "psm_portal.lib.staticfiles.StaticFilesConfig",  # django.contrib.staticfiles
    "bootstrap_italia_template",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "psm_portal",
    "psm_portal.accounts",
    "psm_portal.audit",
    "psm_portal.pages",
    "municipalities",
    "outcomes",
    "subscriptions",
    "projects",
    "phases",
    "surveys",
    "vocations",
    "implementation",
    "tables",
    "news",
    "plan",
    # After psm_portal, whose mediabackup command replaces dbbackup's.
    "dbbackup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (static files come compressed from WhiteNoise, which answers before this). Django's
    # GZipMiddleware pads each response with random bytes against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which parses the body too: a multipart body cut short is refused, never half-read.
    "psm_portal.lib.multipart.CompleteMultipartMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "psm_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "psm_portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "psm_portal.wsgi.application"

# --- Database -----------------------------------------------------------------
DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    # A kept connection is checked before each request reuses it (so the first requests after a database restart
    # do not fail on a dead socket), and an unreachable server is given up quickly: the 503 page, not a hang.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", envint("DB_CONNECT_TIMEOUT", 5))
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # Transactions take the write lock when they begin: two that read then write (the spreading
            # of questionnaire responses, say) wait for each other instead of failing with "locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password check.
    "axes.backends.AxesStandaloneBackend",
    "psm_portal.accounts.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"
# An invitation link stays valid for a week; a password-reset link too (Django's token).
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 7 * 24 * 3600)

# Failed logins (django-axes), counted three ways within AXES_COOLOFF_MINUTES, each with its limit: one e-mail
# from one address (AXES_FAILURE_LIMIT), one e-mail from any address (AXES_ACCOUNT_FAILURE_LIMIT), one address
# across e-mails (AXES_ADDRESS_FAILURE_LIMIT, highest: a school or an office shares one). Past a limit the login is
# refused for AXES_COOLOFF_MINUTES. An address is an IPv4 address or an IPv6 /64, read from the first of
# AXES_IP_HEADERS present (psm_portal.accounts.throttling).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_ACCOUNT_FAILURE_LIMIT = envint("AXES_ACCOUNT_FAILURE_LIMIT", 10)
AXES_ADDRESS_FAILURE_LIMIT = envint("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "psm_portal.accounts.throttling.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "psm_portal.accounts.throttling.client_address"
AXES_IP_HEADERS = envlist("AXES_IP_HEADERS", ["REMOTE_ADDR"])
# Failures while locked out are not counted: one person retrying their own locked account adds nothing to the
# count of the address they share with others.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", True)
# Requests for a new password, counted in the cache over PASSWORD_RESET_WINDOW_SECONDS per address and per e-mail
# typed (an account's or not); past either limit the form asks to try later. The per-e-mail limit keeps an inbox
# from being flooded; the per-address one, higher (an office shares an address), a script from going through lists.
PASSWORD_RESET_ADDRESS_LIMIT = envint("PASSWORD_RESET_ADDRESS_LIMIT", 10)
PASSWORD_RESET_ACCOUNT_LIMIT = envint("PASSWORD_RESET_ACCOUNT_LIMIT", 3)
PASSWORD_RESET_WINDOW_SECONDS = envint("PASSWORD_RESET_WINDOW_SECONDS", 3600)

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["psm_portal.formats"]

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served publicly: files go through views that check permissions
WHITENOISE_USE_FINDERS = DEBUG

AWS_STORAGE_BUCKET_NAME = envstr("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    # An S3-compatible bucket shared by every web and worker machine.
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": envstr("AWS_S3_ENDPOINT_URL") or None,
            "region_name": envstr("AWS_S3_REGION_NAME") or None,
            "access_key": envstr("AWS_ACCESS_KEY_ID") or None,
            "secret_key": envstr("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "psm_portal.lib.staticfiles.ManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", not DEBUG)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}

# --- Backups (django-dbbackup: make backup / make restore; README "Backup and restore") ---------------------
# The database (pg_dump/pg_restore on PostgreSQL, SQLite's backup API) and the uploaded files, each a compressed
# file named with the date, go to BACKUP_DIR, or to a bucket (BACKUP_BUCKET_NAME, by default the media's own)
# under BACKUP_BUCKET_PREFIX when AWS_STORAGE_BUCKET_NAME is set. `--clean` keeps the newest BACKUP_KEEP of each.
BACKUP_DIR = Path(envstr("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_BUCKET_NAME = envstr("BACKUP_BUCKET_NAME", AWS_STORAGE_BUCKET_NAME)
BACKUP_BUCKET_PREFIX = envstr("BACKUP_BUCKET_PREFIX", "backups").strip("/")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["dbbackup"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_default_storage["OPTIONS"], "bucket_name": BACKUP_BUCKET_NAME, "location": BACKUP_BUCKET_PREFIX},
    }
else:
    STORAGES["dbbackup"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": BACKUP_DIR},
    }
# The media backup leaves out the backups themselves when they share the media's bucket.
BACKUP_MEDIA_SKIP_PREFIX = BACKUP_BUCKET_PREFIX if AWS_STORAGE_BUCKET_NAME == BACKUP_BUCKET_NAME != "" else ""
DBBACKUP_HOSTNAME = "psm"  # one name for every machine: `make restore` takes the newest, whoever wrote it
DBBACKUP_CLEANUP_KEEP = envint("BACKUP_KEEP", 14)
DBBACKUP_CLEANUP_KEEP_MEDIA = DBBACKUP_CLEANUP_KEEP
DBBACKUP_SEND_EMAIL = False  # a failed backup fails its command (non-zero exit): the scheduler reports it

DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# Largest spreadsheet an office may upload to import projects (10,000 rows are about 3 MB).
PROJECTS_IMPORT_MAX_BYTES = envint("PROJECTS_IMPORT_MAX_BYTES", 10 * 1024 * 1024)

# --- Celery -------------------------------------------------------------------
REDIS_URL = envstr("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = envstr("CELERY_QUEUE", "psm")
# With acks_late a task must survive redelivery; Redis redelivers an unacknowledged task after this many
# seconds. Above the longest task's hard time limit (below), or a task still running would be handed to a
# second worker; a job whose worker died is resumed earlier by the sweeper (the claim timeouts below).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 1800)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    # kombu's Redis transport with channels that close cleanly when Redis dies under a running task: with the
    # stock one a celery 5.7.0 worker exits ("'NoneType' object has no attribute 'hostname'") and never comes
    # back (https://github.com/celery/kombu/pull/1733 + https://github.com/celery/celery/pull/10242; see
    # psm_portal/lib/broker.py). With a rediss:// URL add ?ssl_cert_reqs=required: kombu turns TLS on by itself
    # only for a transport named "rediss".
    CELERY_BROKER_TRANSPORT = "psm_portal.lib.broker:Transport"
# A worker whose broker is down keeps trying to reconnect (every 2, 4, … 30 s) for as long as it takes, instead
# of giving up after 100 tries (about 46 minutes) and exiting.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TIMEZONE = TIME_ZONE

# --- Long jobs: time limits, claims and the sweeper -----------------------------
# Each long task has a soft time limit (the job ends as failed with an Italian message) and a hard one 30 s
# later (the worker's child process is killed). A job whose claim is older than its claim timeout has lost its
# worker (killed, out of memory, machine gone): the sweeper, a periodic task run by Celery beat every
# PSM_SWEEP_SECONDS (or `manage.py sweep_jobs` by cron, or by hand with no worker), resumes it from the start.
# Measured on 2 busy CPUs: an import of 20,000 rows takes 9-16 s (check + write), the full plan (194 pages) 25 s,
# spreading 3.2 ms a response (a worker's longest run, 100,000 responses, 320 s); the limits leave ten times the
# first two for a slow disk, bucket or database. Keep time limit + 30 s < claim timeout < CELERY_VISIBILITY_TIMEOUT.
PROJECTS_IMPORT_TIME_LIMIT = envint("PROJECTS_IMPORT_TIME_LIMIT", 300)
PROJECTS_IMPORT_STALE_SECONDS = envint("PROJECTS_IMPORT_STALE_SECONDS", 600)
PSM_PLAN_RENDER_TIME_LIMIT = envint("PSM_PLAN_RENDER_TIME_LIMIT", 600)
# A document still queued or rendering, untouched by any worker for this long, is resumed (by the sweeper, or
# by the next request over the same data).
PSM_PLAN_STALE_SECONDS = envint("PSM_PLAN_STALE_SECONDS", 900)
SURVEYS_SPREAD_TIME_LIMIT = envint("SURVEYS_SPREAD_TIME_LIMIT", 600)
SURVEYS_SPREAD_STALE_SECONDS = envint("SURVEYS_SPREAD_STALE_SECONDS", 900)
PSM_SWEEP_SECONDS = envint("PSM_SWEEP_SECONDS", 60)

# Periodic tasks, sent by one `celery beat` for the whole site (make beat; deploy/psm-beat.service).
# Each part of the portal adds its own entry here. An entry's "expires" drops runs that wait in the queue longer
# than their period (no pile-up while workers are down).
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", 60)
# /healthz reports the worker "stale" (status "degraded", still 200) when its last heartbeat is older than this.
WORKER_HEARTBEAT_STALE_SECONDS = envint("WORKER_HEARTBEAT_STALE_SECONDS", 5 * WORKER_HEARTBEAT_SECONDS)
# Expired sessions (a questionnaire's draft among them) are deleted this often; with Redis sessions expire by
# themselves and the task has nothing to do. Without beat: `manage.py clearsessions` from cron.
SESSIONS_CLEAR_SECONDS = envint("SESSIONS_CLEAR_SECONDS", 3600)
# Subscribers' digests: how often (a week by default), how many e-mails per SMTP connection, how long an address
# waits for its confirmation before it is deleted, and how many subscription requests one client may make per hour.
SUBSCRIPTIONS_DIGEST_SECONDS = envint("SUBSCRIPTIONS_DIGEST_SECONDS", 7 * 24 * 3600)
SUBSCRIPTIONS_DIGEST_BATCH = envint("SUBSCRIPTIONS_DIGEST_BATCH", 100)
SUBSCRIPTIONS_CONFIRM_DAYS = envint("SUBSCRIPTIONS_CONFIRM_DAYS", 7)
SUBSCRIPTIONS_RATE_LIMIT = envint("SUBSCRIPTIONS_RATE_LIMIT", 10)
SUBSCRIPTIONS_RATE_WINDOW_SECONDS = envint("SUBSCRIPTIONS_RATE_WINDOW_SECONDS", 3600)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "psm_portal.tasks.heartbeat",
        "schedule": WORKER_HEARTBEAT_SECONDS,
        "options": {"expires": WORKER_HEARTBEAT_SECONDS},
    },
    "sweep-stale-jobs": {
        "task": "psm_portal.tasks.sweep_stale_jobs",
        "schedule": PSM_SWEEP_SECONDS,
        "options": {"expires": PSM_SWEEP_SECONDS},
    },
    "clear-expired-sessions": {
        "task": "psm_portal.tasks.clear_expired_sessions",
        "schedule": SESSIONS_CLEAR_SECONDS,
        "options": {"expires": SESSIONS_CLEAR_SECONDS},
    },
    # Announces the reporting cycles that open today and reminds offices of overdue progress reports (each
    # person at most once a day, claimed in the database).
    "implementation-reminders": {
        "task": "implementation.tasks.send_report_reminders",
        "schedule": 24 * 3600,
        "options": {"expires": 3600},
    },
    # The subscribers' digest of updates (news, validated progress, milestones, documents): each subscriber at most
    # once per period (claimed in the database), weekly by default.
    "subscriptions-digest": {
        "task": "subscriptions.tasks.send_digest",
        "schedule": SUBSCRIPTIONS_DIGEST_SECONDS,
        "options": {"expires": 3600},
    },
    # The day-before reminders of the working tables' sessions (each session once, claimed in the database).
    "tables-reminders": {
        "task": "tables.tasks.send_session_reminders",
        "schedule": 3600,
        "options": {"expires": 3600},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = envstr("CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule"))

# --- Cache --------------------------------------------------------------------
if REDIS_URL:
    # Soft-failing (psm_portal/lib/cache.py): with Redis unreachable every operation answers as an empty cache, so
    # no page fails because of it; a server that does not answer is given up after CACHE_SOCKET_TIMEOUT seconds,
    # then left alone for CACHE_RETRY_SECONDS; a warning is logged at most every CACHE_WARNING_SECONDS.
    CACHES = {
        "default": {
            "BACKEND": "psm_portal.lib.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": envint("CACHE_SOCKET_TIMEOUT", 1),
                "socket_timeout": envint("CACHE_SOCKET_TIMEOUT", 1),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHE_RETRY_SECONDS = envint("CACHE_RETRY_SECONDS", 5)
CACHE_WARNING_SECONDS = envint("CACHE_WARNING_SECONDS", 60)
# Sessions (a sign-in, a questionnaire being answered) live in the database, the truth; with Redis, Redis holds a
# copy that spares the database a read on each page (psm_portal/lib/sessions.py, Django's cached_db made safe
# for a Redis outage): with Redis down people go on answering and stay signed in. Without Redis, the database
# alone (a per-process memory cache in front of it would go stale across processes).
SESSION_ENGINE = envstr(
    "SESSION_ENGINE",
    "psm_portal.lib.sessions" if REDIS_URL else "django.contrib.sessions.backends.db",
)

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Portale PSM Messina <psm@cittametropolitana.me.it>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Scripts and styles from the portal itself only: no inline code, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Forms --------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_BOOTSTRAP_ITALIA_USE_CDN = False

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Phases -------------------------------------------------------------------
# Seconds each process keeps the phases' dates (asked by every gated request); 0 reads them each time.
PHASE_CACHE_SECONDS = envint("PHASE_CACHE_SECONDS", 5)
# /attuazione/ keeps its sums this long under a fingerprint of the data (a change shows at once regardless).
IMPLEMENTATION_CACHE_SECONDS = envint("IMPLEMENTATION_CACHE_SECONDS", 300)

# --- The plan -----------------------------------------------------------------
PSM_PLAN_TITLE = envstr("PSM_PLAN_TITLE", "Piano Strategico Metropolitano di Messina")
PSM_PLAN_YEARS = envstr("PSM_PLAN_YEARS", "2027-2029")
# The final plan's PAdES electronic seal (plan/seal.py): PEM files of the certificate and its private key (and the
# key's passphrase, if any). Unset: the final plan is not sealed.
PLAN_SEAL_CERT = envstr("PLAN_SEAL_CERT", "")
PLAN_SEAL_KEY = envstr("PLAN_SEAL_KEY", "")
PLAN_SEAL_KEY_PASSWORD = envstr("PLAN_SEAL_KEY_PASSWORD", "")

# --- Citizen questionnaire (surveys) ------------------------------------------
# Submissions per hashed address per questionnaire in the window (0 = no limit). The default lets
# a school computer room behind one address answer; load tests raise or disable it.
SURVEYS_RATE_LIMIT = envint("SURVEYS_RATE_LIMIT", 60)
SURVEYS_RATE_WINDOW_SECONDS = envint("SURVEYS_RATE_WINDOW_SECONDS", 3600)
SURVEYS_ONE_PER_BROWSER = envbool("SURVEYS_ONE_PER_BROWSER", True)
SURVEYS_COOKIE_DAYS = envint("SURVEYS_COOKIE_DAYS", 365)
# A citizen answering while not signed in has a session that ends this long after the last section sent
# (the answers given so far live in it); signed-in users keep SESSION_COOKIE_AGE.
SURVEYS_DRAFT_SECONDS = envint("SURVEYS_DRAFT_SECONDS", 2 * 3600)
# Below this many responses a filtered group's results are not shown to the public (the team sees them).
SURVEYS_MIN_GROUP = envint("SURVEYS_MIN_GROUP", 5)
# Salt of the address hash (defaults to SECRET_KEY); the header holding the client address behind a proxy.
SURVEYS_IP_SALT = envstr("SURVEYS_IP_SALT")
SURVEYS_IP_HEADER = envstr("SURVEYS_IP_HEADER", "REMOTE_ADDR")
# A submission stores the response with its answers in one INSERT; a worker spreads them into
# answer rows and counts in batches, asked at most once per this many seconds per process.
SURVEYS_SPREAD_DELAY_SECONDS = envint("SURVEYS_SPREAD_DELAY_SECONDS", 2)
# The questionnaire being answered is kept per process this long (the team's changes reach other
# processes within it; the opening and closing times are always checked against the clock).
SURVEYS_CACHE_SECONDS = envint("SURVEYS_CACHE_SECONDS", 5)
