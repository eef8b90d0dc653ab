"""Listing photos: re-encoded without metadata (no GPS), sane sizes only, owner only."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ex1000.catalog.models import VehiclePhoto
from tests.factories import SupplierFactory, VehicleFactory
from tests.helpers import assert_problem, image_bytes

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(1200, 900), orientation=1) -> bytes:
    """A phone photo: camera make and serial, orientation, and where it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS 5D Mark IV"  # Model
    exif[0xA431] = "SERIAL-0042"  # BodySerialNumber
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {
        1: "N",
        2: (30.0, 16.0, 27.5),  # Hangzhou, a dealer's yard — or the seller's home
        3: "E",
        4: (120.0, 9.0, 19.2),
    }
    return image_bytes(size, "JPEG", exif=exif.tobytes(), comment=b"taken at Wang Wei's home")


@pytest.fixture
def listing(supplier):
    return VehicleFactory(company=supplier.company)


@pytest.fixture
def seller(login_api, supplier):
    return login_api(supplier)


def _upload(client, vehicle, content, name="photo.jpg"):
    return client.upload(
        f"vehicles/{vehicle.pk}/photos",
        {"file": SimpleUploadedFile(name, content, "image/jpeg")},
    )


def _code(response) -> str:
    """A refused upload: 422 naming the file field; its code."""
    return assert_problem(response, 422, "file")["code"]


def _stored(field) -> bytes:
    return Path(field.path).read_bytes()


def test_source_photo_really_carries_gps():
    data = jpeg_with_gps()

    exif = Image.open(io.BytesIO(data)).getexif()
    assert GPS_IFD in exif and exif.get_ifd(GPS_IFD)
    assert b"Exif" in data


def test_stored_image_and_thumbnail_have_no_exif(seller, listing):
    response = _upload(seller, listing, jpeg_with_gps())

    assert response.status_code == 201, response.content
    photo = VehiclePhoto.objects.get(pk=response.json()["id"])
    for field in (photo.image, photo.thumbnail):
        data = _stored(field)
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG"
            assert not image.getexif()
            assert "exif" not in image.info and "comment" not in image.info
        assert b"Exif" not in data
        assert b"Canon" not in data and b"SERIAL-0042" not in data
        assert b"Wang Wei" not in data


def test_photo_is_resized_and_thumbnailed(seller, listing):
    response = _upload(seller, listing, jpeg_with_gps(size=(4000, 3000)))

    body = response.json()
    assert (body["width"], body["height"]) == (1920, 1440)
    photo = VehiclePhoto.objects.get(pk=body["id"])
    assert Image.open(photo.image.path).size == (1920, 1440)
    assert max(Image.open(photo.thumbnail.path).size) == 480
    assert body["url"].startswith("/media/") and body["thumbnail_url"].startswith("/media/")
    assert body["url"] != body["thumbnail_url"]


def test_orientation_is_applied_before_the_exif_is_dropped(seller, listing):
    # orientation 6: the camera was turned; the pixels are landscape, the photo is portrait
    response = _upload(seller, listing, jpeg_with_gps(size=(800, 600), orientation=6))

    assert (response.json()["width"], response.json()["height"]) == (600, 800)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_other_image_formats_are_stored_as_jpeg(seller, listing, fmt):
    response = _upload(seller, listing, image_bytes((640, 480), fmt), name=f"p.{fmt.lower()}")

    assert response.status_code == 201, response.content
    photo = VehiclePhoto.objects.get(pk=response.json()["id"])
    assert Image.open(photo.image.path).format == "JPEG"


def test_photo_appears_on_the_public_listing_in_order(seller, listing, api):
    first = _upload(seller, listing, image_bytes((640, 480))).json()
    second = _upload(seller, listing, image_bytes((640, 480), colour="red")).json()

    photos = api.get(f"vehicles/{listing.pk}").json()["photos"]

    assert [p["id"] for p in photos] == [first["id"], second["id"]]


@pytest.mark.parametrize(
    "content",
    [
        b"this is not an image at all",
        b"\xff\xd8\xff\xe0 truncated jpeg header",
        b"%PDF-1.4 a pdf named photo.jpg",
        b"",
    ],
)
def test_non_images_are_refused(seller, listing, content):
    assert _code(_upload(seller, listing, content)) == "photo_unreadable"
    assert not VehiclePhoto.objects.exists()


def test_a_truncated_image_is_refused(seller, listing):
    data = image_bytes((1200, 900), "PNG")

    assert _code(_upload(seller, listing, data[: len(data) // 2])) == "photo_unreadable"


def test_huge_dimensions_are_refused_before_decoding(seller, listing):
    # 12000 × 5000 = 60 MP of one colour: a tiny file that would take ~180 MB decoded
    bomb = image_bytes((12000, 5000), "PNG", colour="white")
    assert len(bomb) < 1024 * 1024

    assert _code(_upload(seller, listing, bomb, name="bomb.png")) == "photo_too_many_pixels"
    assert not VehiclePhoto.objects.exists()


def test_tiny_photos_are_refused(seller, listing):
    body = assert_problem(_upload(seller, listing, image_bytes((150, 100))), 422, "file")
    assert body["code"] == "photo_too_small"
    assert body["errors"]["file"] == ["A photo needs at least 200 px a side."]


def test_photos_over_10_mb_are_refused(seller, listing, settings):
    settings.MAX_PHOTO_BYTES = 1000

    assert _code(_upload(seller, listing, image_bytes((640, 480)))) == "file_too_large"


def test_only_the_owner_adds_photos(login_api, listing, buyer):
    other = login_api(SupplierFactory())

    assert_problem(_upload(other, listing, image_bytes()), 404)
    assert_problem(_upload(login_api(buyer), listing, image_bytes()), 404)
    assert not VehiclePhoto.objects.exists()


def test_photo_upload_needs_authentication(api, listing):
    assert_problem(_upload(api, listing, image_bytes()), 401)
