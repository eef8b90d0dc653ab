import pytest

pytestmark = pytest.mark.e2e


def test_home_page_renders_in_chromium(live_server, page):
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector("#swagger-ui .info", timeout=15000)
    assert "EX1000 API" in page.inner_text("#swagger-ui .info")
