import io

import pytest
from PIL import Image

from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(live_server):
    """The live server's address. Browser tests use flushed (transactional) tables: the
    policy version the first migration publishes is put back, as registration needs it."""
    from ex1000.privacy.models import PolicyVersion

    PolicyVersion.objects.get_or_create(
        version="1", defaults={"text": "The policy.", "material": True}
    )
    return live_server.url


@pytest.fixture
def log_in(site):
    """log_in(page, user): through the login page, as a person would — with the code of
    their authenticator app when two-factor is on."""
    from tests.helpers import totp_code

    def _log_in(page, user, password=PASSWORD):
        page.goto(f"{site}/accounts/login/")
        page.fill("[name=email]", user.email)
        page.fill("[name=password]", password)
        page.click("form:has([name=password]) button[type=submit]")
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, page.inner_text("main")
        if "/accounts/2fa/verify/" in page.url:
            page.fill("[name=otp]", totp_code(user))
            page.click("form:has([name=otp]) button[type=submit]")
            page.wait_for_load_state()
            assert "/accounts/2fa/" not in page.url, page.inner_text("main")

    return _log_in


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "song-plus.jpg"
    Image.new("RGB", (900, 600), (30, 90, 160)).save(path, "JPEG")
    return path


@pytest.fixture
def licence_pdf(tmp_path):
    path = tmp_path / "licence.pdf"
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, "PDF")
    path.write_bytes(buffer.getvalue())
    return path
