"""Listing photos are served with DEBUG off too (`make serve`), cacheable, and nothing
outside MEDIA_ROOT is reachable through /media/."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.helpers import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(settings):
    folder = settings.MEDIA_ROOT / "vehicles" / "7"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "front.jpg").write_bytes(image_bytes((40, 30), "JPEG"))
    (settings.PRIVATE_MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    return "/media/vehicles/7/front.jpg"


@override_settings(DEBUG=False)
def test_photos_are_served_with_debug_off_and_cached(client, photo):
    response = client.get(photo)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    cache = response["Cache-Control"]
    assert "public" in cache and "max-age=2592000" in cache
    assert client.head(photo).status_code == 200
    assert client.post(photo).status_code == 405


@pytest.mark.parametrize(
    "path",
    ["/media/vehicles/7/missing.jpg", "/media/../private/x.pdf", "/media/%2e%2e/secret_key"],
)
def test_nothing_else_is_reachable(client, photo, path):
    assert client.get(path).status_code in (400, 404)  # a path out of the root is refused
