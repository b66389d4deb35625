"""Settings for the test suite: production settings with test-friendly storage and delivery.

DEBUG stays off, as in production; the secret and hosts below exist only for tests.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "off")

from portal.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Separate names let several test runs share the embedded server (TEST_DB_NAME=test_delarum_2 ...).
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME", "test_delarum")}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
WHITENOISE_AUTOREFRESH = True
# The API's per-address limit counts in the per-process cache across tests; tests of the limit set their own.
API_RATE_LIMIT = 0
# The semantic signal costs a query embedding and a lookup per search; only its own tests switch it on.
SEMANTIC_SEARCH = False
