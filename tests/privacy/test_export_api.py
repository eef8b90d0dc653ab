"""Access and export through the API and the privacy centre's page: re-authentication,
the background ZIP with its expiring link, and nothing of anyone else."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from ex1000.core.events import record_event
from ex1000.orders.models import OrderDocument
from ex1000.privacy import export, services
from ex1000.privacy.export_tasks import build_export
from ex1000.privacy.models import ExportJob, ExportStatus
from tests.factories import PASSWORD, BuyerFactory, OperatorFactory
from tests.orders.builders import stub_pdfs, trade_in_state
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def _zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def _stale_session(client: Client) -> None:
    session = client.session
    old = (timezone.now() - timedelta(hours=1)).timestamp()
    session[services.LOGIN_SESSION_KEY] = old
    session.pop(services.REAUTH_SESSION_KEY, None)
    session.save()


def test_export_needs_a_login(api):
    response = api.get("privacy/export")
    assert response.status_code == 401


def test_bearer_token_gets_the_json_export(buyer, login_api):
    response = login_api(buyer).get("privacy/export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="ex1000-export-')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    document = response.json()
    assert document["user"] == {"id": buyer.pk, "email": buyer.email}
    assert document["registry_version"] == export.registry_version()
    assert document["data"]["accounts.User"][0]["email"] == buyer.email
    assert document["data"]["accounts.Company"][0]["name"] == buyer.company.name


def test_bearer_token_gets_the_zip(buyer, login_api):
    response = login_api(buyer).get("privacy/export?format=zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = _zip(response.content)
    assert json.loads(archive.read("export.json"))["user"]["id"] == buyer.pk


def test_a_session_needs_a_recent_login_or_the_password(client, buyer):
    client.force_login(buyer)  # a login just now counts
    assert client.get("/api/v1/privacy/export").status_code == 200
    _stale_session(client)
    response = client.get("/api/v1/privacy/export")
    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"
    wrong = client.post(
        "/api/v1/privacy/export", {"password": "nope"}, content_type="application/json"
    )
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_password"
    assert client.get("/api/v1/privacy/export").status_code == 403
    right = client.post(
        "/api/v1/privacy/export", {"password": PASSWORD}, content_type="application/json"
    )
    assert right.status_code == 202
    assert client.get("/api/v1/privacy/export").status_code == 200


def test_background_export_with_an_expiring_link(buyer, login_api, on_commit):
    api = login_api(buyer)
    with on_commit():
        response = api.post("privacy/export", {"password": PASSWORD})
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    status = api.get(f"privacy/export/{job_id}").json()
    assert status["status"] == "ready"
    assert status["size"] > 0
    url = status["download_url"]
    assert url.startswith("http://testserver/api/v1/privacy/export/")
    download = api.get(url.removeprefix("http://testserver"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]
    archive = _zip(b"".join(download.streaming_content))
    document = json.loads(archive.read("export.json"))
    assert document["user"]["id"] == buyer.pk
    assert document["about"]["accounts.User"]["name"] == "users"  # the buyer's language

    # Another user can see neither the job nor the file, even with the link.
    other = login_api(BuyerFactory())
    assert other.get(f"privacy/export/{job_id}").status_code == 404
    assert other.get(url.removeprefix("http://testserver")).status_code == 404
    # A forged or missing token is refused.
    assert api.get(f"privacy/export/{job_id}/download?token=forged").status_code == 404
    assert api.get(f"privacy/export/{job_id}/download").status_code == 404

    with freeze_time(timezone.now() + timedelta(hours=25)):
        gone = api.get(url.removeprefix("http://testserver"))
        assert gone.status_code == 410 and gone.json()["code"] == "export_expired"
        assert services.expire_exports() == 1
        assert services.expire_exports() == 0  # idempotent
    job = ExportJob.objects.get(pk=job_id)
    assert job.status == ExportStatus.EXPIRED and not job.file
    assert api.get(f"privacy/export/{job_id}").json()["download_url"] is None


def test_wrong_password_starts_nothing(buyer, login_api):
    response = login_api(buyer).post("privacy/export", {"password": "wrong"})
    assert response.status_code == 403
    assert response.json()["code"] == "wrong_password"
    assert not ExportJob.objects.exists()


def test_asking_again_while_preparing_returns_the_same_job(buyer, login_api):
    api = login_api(buyer)
    first = api.post("privacy/export", {"password": PASSWORD}).json()  # not run: no commit
    second = api.post("privacy/export", {"password": PASSWORD}).json()
    assert first["id"] == second["id"] and first["status"] == "pending"


def test_export_of_a_trade_leaks_nothing_of_the_other_parties(monkeypatch):
    """The supplier's and the operator's own rows that point at the buyer's order (their
    events) stay out; the supplier company's name may appear (it is the trade), the
    supplier's and the operator's personal fields may not. The documents of the buyer's
    order are the buyer's too (a B/L names them as consignee), whoever uploaded them."""
    stub_pdfs(monkeypatch)
    seller, cars = fx.supplier_with_listings(1)
    operator = OperatorFactory()
    for n, person in enumerate((seller, operator)):  # before the trade: in every notice
        type(person).objects.filter(pk=person.pk).update(
            email=f"mkx{n}mail@example.com",
            name=f"mkx{n}name",
            phone=f"mkx{n}phone",
            wechat=f"mkx{n}wechat",
            whatsapp=f"mkx{n}wa",
            telegram=f"mkx{n}tg",
        )
        person.refresh_from_db()
    trade = trade_in_state("shipped", seller=seller, cars=cars, operator=operator)
    for n, person in enumerate((seller, operator)):
        record_event(trade.order, "note", actor=person, note=f"mkx{n}note", ip="203.0.113.9")
    document = OrderDocument(
        order=trade.order, kind="other", content_type="application/pdf", size=4, uploaded_by=seller
    )
    document.file.save("bl.pdf", ContentFile(b"%PDF bill of lading"), save=False)
    document.save()

    data = export.export_data(trade.buyer)
    text = json.dumps(data, ensure_ascii=False)
    assert "mkx" not in text
    assert "203.0.113.9" not in text
    assert document.pk in {d["id"] for d in data["data"].get("orders.OrderDocument", [])}
    archive = _zip(export.zip_bytes(trade.buyer))
    assert all(b"mkx" not in archive.read(name) for name in archive.namelist())
    # The buyer's own rows are there.
    assert data["data"]["orders.Order"][0]["id"] == trade.order.pk
    assert {p["id"] for p in data["data"]["orders.Payment"]} == set(
        trade.order.payments.values_list("pk", flat=True)
    )
    # Rows read as one story: a payment links to its order, fields say why they are held.
    payment = data["data"]["orders.Payment"][0]
    assert payment["links"]["order"] == trade.order.pk
    assert "supplier" not in data["data"]["orders.Order"][0].get("links", {})
    about = data["about"]["orders.Payment"]["fields"]["reference"]
    assert about["category"] == "payment_proof" and about["purpose"]
    # And the supplier's export has none of the buyer's order rows.
    seller_data = export.export_data(seller)["data"]
    assert "orders.Order" not in seller_data and "orders.Consignee" not in seller_data
    assert trade.buyer.email not in json.dumps(seller_data)


def test_every_subject_path_leads_to_a_user(buyer):
    """A declaration whose subject does not resolve fails loudly, not silently empty."""
    for model, declaration in export.exported_models():
        list(export.rows_of(model, declaration, buyer))


# --- the page -------------------------------------------------------------------------


def test_page_asks_for_the_password_in_every_language(client, buyer, settings):
    client.force_login(buyer)
    for code, _ in settings.LANGUAGES:
        response = client.get("/privacy/export/", headers={"accept-language": code})
        assert response.status_code == 200
        assert 'type="password"' in response.content.decode()
        assert response.headers["Content-Language"] == code


def test_page_needs_a_login(client):
    response = client.get("/privacy/export/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_page_flow_password_status_download(client, buyer, on_commit):
    client.force_login(buyer)
    wrong = client.post("/privacy/export/", {"password": "wrong"})
    assert wrong.status_code == 400
    assert "The password is not correct." in wrong.content.decode()
    with on_commit():
        response = client.post("/privacy/export/", {"password": PASSWORD})
    job = ExportJob.objects.get(user=buyer)
    assert response.status_code == 302 and response["Location"] == f"/privacy/export/{job.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Download the ZIP archive" in body
    link = unquote(body.split(f'href="/privacy/export/{job.pk}/download/?token=')[1].split('"')[0])
    download = client.get(f"/privacy/export/{job.pk}/download/", {"token": link})
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    archive = _zip(b"".join(download.streaming_content))
    assert "export.json" in archive.namelist()
    partial = client.get(f"/privacy/export/{job.pk}/", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    with freeze_time(timezone.now() + timedelta(hours=25)):
        gone = client.get(f"/privacy/export/{job.pk}/download/", {"token": link})
    assert gone.status_code == 410


def test_someone_elses_job_page_is_404(client, buyer):
    job = ExportJob.objects.create(user=BuyerFactory())
    client.force_login(buyer)
    assert client.get(f"/privacy/export/{job.pk}/").status_code == 404


def test_guessing_the_password_locks_out(buyer, login_api, settings):
    api = login_api(buyer)
    codes = [
        api.post("privacy/export", {"password": f"guess-{n}"}).json()["code"]
        for n in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert codes[0] == "wrong_password"
    assert codes[-1] == "export_locked_out"
    locked = api.post("privacy/export", {"password": PASSWORD})
    assert locked.status_code == 429
    assert not ExportJob.objects.exists()


def test_background_export_speaks_the_users_language():
    buyer = BuyerFactory(language="fr")
    job = ExportJob.objects.create(user=buyer)
    build_export.enqueue(job_id=job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        document = json.loads(_zip(handle.read()).read("export.json"))
    assert document["about"]["accounts.User"]["name"] == "utilisateurs"
