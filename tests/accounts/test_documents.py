"""Qualification documents: upload by content type, encryption at rest, private storage."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from ex1000.accounts.models import QualificationDocument, VerificationRequest
from tests.factories import BuyerFactory, UnverifiedSupplierFactory
from tests.helpers import assert_problem, image_bytes
from tests.orders.builders import pdf_file

pytestmark = pytest.mark.django_db

PDF = pdf_file().read()  # a real one-page PDF: uploads are decoded, not only sniffed
PNG = image_bytes((300, 200), "PNG")
JPEG = image_bytes((300, 200), "JPEG")
CREDIT_CODE = "91330106MA2CFXYZ4Q"


def _upload(client, content, name="licence.pdf", kind="business_licence", number=CREDIT_CODE):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content, "application/octet-stream")}
    if number is not None:
        data["number"] = number
    return client.upload("me/documents", data)


@pytest.fixture
def applicant(login_api):
    user = UnverifiedSupplierFactory()
    return user, login_api(user)


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "licence.pdf", "application/pdf"),
        (JPEG, "licence.jpg", "image/jpeg"),
        (PNG, "licence.png", "image/png"),
        # the type comes from the content, not the name the client gave it
        (PDF, "scan.bin", "application/pdf"),
        (PNG, "photo.jpeg", "image/png"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted_by_content(applicant, content, name, content_type):
    user, client = applicant

    response = _upload(client, content, name)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == content_type
    assert body["kind"] == "business_licence"
    document = QualificationDocument.objects.get(pk=body["id"])
    assert document.user == user
    stored = document.file.read()
    assert body["size"] == len(stored)
    # Kept as what it is, re-written without metadata.
    assert stored.startswith(
        {"application/pdf": b"%PDF-", "image/png": b"\x89PNG"}.get(content_type, b"\xff\xd8\xff")
    )


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"just some text pretending to be a PDF", "licence.pdf"),
        (b"<html><script>alert(1)</script></html>", "licence.png"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00", "licence.gif"),
        (b"PK\x03\x04 zip archive", "licence.docx"),
        (b"", "empty.pdf"),
    ],
)
def test_other_content_is_refused(applicant, content, name):
    _, client = applicant

    response = _upload(client, content, name)

    assert assert_problem(response, 422, "file")["code"] == "unsupported_file"
    assert not QualificationDocument.objects.exists()
    assert not VerificationRequest.objects.exists()


def test_files_over_10_mb_are_refused(applicant, settings):
    _, client = applicant
    content = PDF + b"0" * (settings.MAX_DOCUMENT_BYTES + 1 - len(PDF))

    response = _upload(client, content)

    body = assert_problem(response, 422, "file")
    assert body["code"] == "file_too_large"
    assert "10" in body["errors"]["file"][0]
    assert not QualificationDocument.objects.exists()


def test_a_file_of_exactly_10_mb_is_accepted(applicant, settings):
    _, client = applicant
    content = PDF + b"%" + b"0" * (settings.MAX_DOCUMENT_BYTES - len(PDF) - 1)

    assert _upload(client, content).status_code == 201


def test_kind_must_be_known(applicant):
    _, client = applicant

    body = assert_problem(_upload(client, PDF, kind="selfie"), 422, "kind")
    assert body["code"] == "invalid_choice"


def test_file_is_required(applicant):
    _, client = applicant

    response = client.upload("me/documents", {"kind": "business_licence"})

    assert_problem(response, 422, "file")


def test_upload_needs_authentication(api):
    assert_problem(_upload(api, PDF), 401)


def test_operators_do_not_upload_qualifications(login_api, operator):
    body = assert_problem(_upload(login_api(operator), PDF), 403)
    assert body["code"] == "documents_not_for_role"


def test_document_number_is_encrypted_at_rest_but_readable(applicant):
    _, client = applicant

    document_id = _upload(client, PDF).json()["id"]

    table = QualificationDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE id = %s", [document_id])
        (stored,) = cursor.fetchone()
    assert stored and CREDIT_CODE not in stored
    assert CREDIT_CODE[-6:] not in stored
    assert QualificationDocument.objects.get(pk=document_id).number == CREDIT_CODE


def test_the_licence_number_copied_to_the_company_is_encrypted_too(applicant):
    """The company's credit code (shown to operators) comes from the business licence:
    not a clear copy of the number beside its encrypted original."""
    user, client = applicant
    assert _upload(client, PDF).status_code == 201

    with connection.cursor() as cursor:
        cursor.execute("SELECT credit_code FROM accounts_company WHERE id = %s", [user.company_id])
        (stored,) = cursor.fetchone()
    assert stored and CREDIT_CODE not in stored and CREDIT_CODE[-6:] not in stored
    user.company.refresh_from_db()
    assert user.company.credit_code == CREDIT_CODE


def test_the_number_is_not_in_the_api_response(applicant):
    _, client = applicant

    response = _upload(client, PDF)

    assert CREDIT_CODE not in response.content.decode()


def test_files_live_in_private_storage_not_under_media(applicant, settings):
    _, client = applicant

    body = _upload(client, PDF).json()

    path = Path(QualificationDocument.objects.get(pk=body["id"]).file.path).resolve()
    assert path.is_file()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not body["url"].startswith(settings.MEDIA_URL)
    assert body["url"] == reverse("accounts:document", args=[body["id"]])


def test_stored_file_name_does_not_reuse_the_clients_name(applicant):
    _, client = applicant

    body = _upload(client, PDF, name="../../etc/passport of Wang Wei.pdf").json()

    stored = QualificationDocument.objects.get(pk=body["id"]).file.name
    assert "Wang" not in stored and ".." not in stored
    assert stored.endswith(".pdf")


# --- the access-checked download page ---------------------------------------------------


@pytest.fixture
def document(applicant):
    user, client = applicant
    return user, _upload(client, PDF).json()["id"]


def test_owner_can_download_the_document(client, document):
    owner, document_id = document
    client.force_login(owner)

    response = client.get(reverse("accounts:document", args=[document_id]))

    assert response.status_code == 200
    stored = QualificationDocument.objects.get(pk=document_id).file.read()
    assert b"".join(response.streaming_content) == stored
    assert stored.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_operator_can_download_the_document(client, document, operator):
    _, document_id = document
    client.force_login(operator)

    response = client.get(reverse("accounts:document", args=[document_id]))

    assert response.status_code == 200
    stored = QualificationDocument.objects.get(pk=document_id).file.read()
    assert b"".join(response.streaming_content) == stored


@pytest.mark.parametrize("other", [BuyerFactory, UnverifiedSupplierFactory])
def test_other_users_get_404(client, document, other):
    _, document_id = document
    client.force_login(other())

    response = client.get(reverse("accounts:document", args=[document_id]))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, document, settings):
    _, document_id = document
    url = reverse("accounts:document", args=[document_id])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert "next=" in response["Location"]


POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"


def _png_bomb() -> bytes:
    """A 20,000 × 20,000 PNG (400 megapixels) that compresses to a few hundred kB."""
    import io
    import zlib

    width = height = 20_000
    row = b"\x00" + b"\x00" * width  # filter byte, then one grey pixel per byte

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
        )

    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat))
    out.write(chunk(b"IEND", b""))
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (POLYGLOT, "licence.pdf"),  # a PDF header before HTML: not a PDF that opens
        (JPEG[: len(JPEG) // 2], "licence.jpg"),  # truncated
    ],
)
def test_files_that_do_not_decode_are_refused(applicant, content, name):
    _, client = applicant
    assert assert_problem(_upload(client, content, name), 422, "file")["code"] == "unsupported_file"
    assert not QualificationDocument.objects.exists()


def test_a_400_megapixel_png_is_refused():
    """Checked without an HTTP round trip: the bomb is small on the wire, huge decoded."""
    from ex1000.core.errors import AppError
    from ex1000.core.uploads import checked_document

    bomb = _png_bomb()
    assert len(bomb) < 2_000_000
    with pytest.raises(AppError) as refused:
        checked_document(SimpleUploadedFile("b.png", bomb), max_bytes=10 * 1024 * 1024)
    assert refused.value.code.value == "unsupported_file"


def test_a_photo_of_the_licence_loses_its_gps_and_is_stored_0600(applicant):
    import io
    import stat

    from PIL import Image

    from tests.catalog.test_photos import GPS_IFD, jpeg_with_gps

    _, client = applicant
    response = _upload(client, jpeg_with_gps(), "licence.jpg")
    assert response.status_code == 201, response.content
    document = QualificationDocument.objects.get()
    stored = document.file.read()
    assert GPS_IFD not in Image.open(io.BytesIO(stored)).getexif()
    assert b"Canon" not in stored
    mode = stat.S_IMODE(Path(document.file.path).stat().st_mode)
    assert mode == 0o600
