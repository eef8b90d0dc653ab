import os
import shutil

import pytest
from django.core.cache import cache
from django.db import connection

from ex1000.privacy import access_log
from tests.factories import PASSWORD, BuyerFactory, OperatorFactory, SupplierFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_configure(config):
    """No background access-log writer in the test process, between tests either: a live
    server still answering a page's polling after its test would otherwise start one
    (the default is on), and it would write the next tests' hits behind their backs."""
    from django.conf import settings

    settings.ACCESS_LOG_BACKGROUND = False


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploads land in a fresh folder per test; the cache starts empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {
                **settings.STORAGES["private"]["OPTIONS"],
                "location": tmp_path / "private",
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ACCESS_LOG_BACKGROUND = False  # access records are flushed by the tests that read them
    access_log.discard()  # hits an earlier test (a live server's) left are not this test's
    # The abuse limits are tested where they are the subject (tests/api/test_rate_limits.py,
    # tests/accounts/test_ip_limit.py); elsewhere a test may call an endpoint many times.
    settings.ANONYMOUS_RATE_LIMITS = {name: 100_000 for name in settings.ANONYMOUS_RATE_LIMITS}
    settings.LOGIN_IP_FAILURE_LIMIT = 100_000
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PRIVACY_ERASURE_LOG = tmp_path / "erasure-log.jsonl"
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _second_factor_on_force_login(monkeypatch):
    """``client.force_login(user)`` stands for a finished login — for a user with
    two-factor that includes the code, so the session is marked verified as django-otp's
    login does. The gate itself is tested through the real pages (tests/accounts/
    test_two_factor.py)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _language_reset():
    """A request leaves its language active in the thread; the next test starts in English."""
    from django.utils import translation

    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Still Argon2 ("argon2$…"), with test-sized cost: the suite hashes hundreds of times."""
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES is set but the database is not PostgreSQL")
        pytest.skip("PostgreSQL-only test: set DATABASE_URL to a PostgreSQL database")


@pytest.fixture
def buyer(db):
    return BuyerFactory()


@pytest.fixture
def supplier(db):
    return SupplierFactory()


@pytest.fixture
def operator(db):
    return OperatorFactory()


@pytest.fixture
def password():
    return PASSWORD


class ApiClient:
    """Django's test client speaking JSON to /api/v1, optionally with a bearer token."""

    def __init__(self, client, token=None):
        self.client = client
        self.token = token

    def _headers(self, headers):
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def _url(self, path):
        return path if path.startswith("/") else f"/api/v1/{path}"

    def get(self, path, data=None, headers=None):
        return self.client.get(self._url(path), data, headers=self._headers(headers))

    def post(self, path, data=None, headers=None):
        return self.client.post(
            self._url(path),
            data or {},
            content_type="application/json",
            headers=self._headers(headers),
        )

    def upload(self, path, data, headers=None):
        return self.client.post(self._url(path), data, headers=self._headers(headers))

    def patch(self, path, data=None, headers=None):
        return self.client.patch(
            self._url(path),
            data or {},
            content_type="application/json",
            headers=self._headers(headers),
        )

    def put(self, path, data=None, headers=None):
        return self.client.put(
            self._url(path),
            {} if data is None else data,
            content_type="application/json",
            headers=self._headers(headers),
        )

    def delete(self, path, headers=None):
        return self.client.delete(self._url(path), headers=self._headers(headers))


@pytest.fixture
def api(client):
    return ApiClient(client)


@pytest.fixture
def login_api(client, db):
    """login_api(user) → an ApiClient holding a bearer token obtained by password."""

    def _login(user):
        from django.test import Client

        from tests.helpers import api_token

        return ApiClient(Client(), token=api_token(user))

    return _login


# Playwright drives Debian's Chromium (it cannot download its own browser here).
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but chromium is not installed")
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
