"""`manage.py seed_demo`: the demo `make run` shows — browsable, valid, created only once."""

import io

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client

from ex1000.accounts.models import (
    Company,
    QualificationDocument,
    Role,
    User,
    VerificationRequest,
    VerificationStatus,
)
from ex1000.catalog.forms import LISTING_FIELDS, VehicleForm
from ex1000.catalog.models import ListingStatus, Vehicle, VehiclePhoto
from ex1000.catalog.validation import vin_problem
from ex1000.demo.management.commands.seed_demo import DEFAULT_PASSWORD
from ex1000.privacy.models import PolicyAcceptance
from tests.helpers import code_for_secret, token_response

pytestmark = pytest.mark.django_db

COUNTED = (
    User,
    Company,
    VerificationRequest,
    QualificationDocument,
    Vehicle,
    VehiclePhoto,
    PolicyAcceptance,
)


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    return seed()


def token_status(email: str, password: str, otp: str | None = None) -> int:
    return token_response(email, password, otp).status_code


def printed_totp_key(output: str, email: str) -> str:
    """The "2FA key" column of the logins table for this email."""
    line = next(line for line in output.splitlines() if line.strip().startswith(email))
    return [cell.strip() for cell in line.split("|")][3]


def test_listings_are_published_valid_and_photographed(seeded):
    published = Vehicle.objects.filter(status=ListingStatus.PUBLISHED)
    assert published.count() >= 200
    assert Vehicle.objects.filter(status=ListingStatus.DRAFT).exists()
    assert Vehicle.objects.filter(status=ListingStatus.WITHDRAWN).exists()
    assert not published.filter(photos__isnull=True).exists()
    assert not published.filter(published_at__isnull=True).exists()
    assert published.values("make").distinct().count() >= 15
    for vehicle in Vehicle.objects.select_related("company"):
        assert vin_problem(vehicle.vin) is None, vehicle.vin
        assert vehicle.search_text == vehicle.build_search_text()
        assert vehicle.company.is_verified
        assert vehicle.city == vehicle.company.city
        assert (vehicle.engine_cc is None) == (vehicle.fuel == "bev")
        assert (vehicle.battery_kwh is None) == (vehicle.fuel not in ("bev", "phev"))
        if vehicle.status in (ListingStatus.RESERVED, ListingStatus.SOLD):
            continue  # set by orders, not by a form
        # The same validation a supplier's form or the bulk import applies.
        form = VehicleForm(data=model_to_dict(vehicle, fields=LISTING_FIELDS), instance=vehicle)
        assert form.is_valid(), (vehicle.vin, form.errors)
    photo = VehiclePhoto.objects.first()
    assert (photo.width, photo.height) == (800, 500)
    assert photo.image.storage.exists(photo.image.name)
    assert photo.thumbnail.storage.exists(photo.thumbnail.name)


def test_suppliers_and_buyers(seeded):
    verified = Company.objects.filter(
        verification_status=VerificationStatus.APPROVED, members__role=Role.SUPPLIER
    )
    assert verified.count() >= 3
    assert verified.values("city").distinct().count() >= 3
    assert not verified.filter(verified_at__isnull=True).exists()
    for company in verified:
        assert company.verifications.filter(status=VerificationStatus.APPROVED).exists()
    pending = VerificationRequest.objects.get(status=VerificationStatus.PENDING)
    assert pending.company.verification_status == VerificationStatus.PENDING
    assert pending.documents.filter(
        kind="business_licence", content_type="application/pdf"
    ).exists()
    buyers = User.objects.filter(role=Role.BUYER)
    assert buyers.values("country").distinct().count() >= 2
    for user in User.objects.exclude(phone=""):
        assert user.phone.startswith("+"), user.phone
    operator = User.objects.get(email="operator@ex1000.demo")
    assert operator.is_staff and operator.is_superuser and operator.role == Role.OPERATOR
    assert "operator@ex1000.demo" in seeded and DEFAULT_PASSWORD in seeded
    assert token_status("buyer.almaty@ex1000.demo", DEFAULT_PASSWORD) == 200


def test_public_api_lists_and_searches_the_demo(seeded, api):
    response = api.get("vehicles", {"page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 200
    assert len(body["items"]) == 100
    assert all(item["photos"] for item in body["items"])

    byd = api.get("vehicles", {"q": "byd", "page_size": 100}).json()
    assert byd["count"] > 0
    assert {item["make"] for item in byd["items"]} == {"BYD"}
    assert byd["count"] == Vehicle.objects.filter(status="published", make="BYD").count()


def test_second_run_creates_nothing(seeded, monkeypatch):
    before = counts()
    vins = set(Vehicle.objects.values_list("vin", flat=True))
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass")
    output = seed()
    assert counts() == before
    assert set(Vehicle.objects.values_list("vin", flat=True)) == vins
    assert "another-demo-pass" in output
    # The printed logins stay true: the demo passwords follow DEMO_PASSWORD.
    assert token_status("supplier.urumqi@ex1000.demo", "another-demo-pass") == 401
    key = printed_totp_key(output, "supplier.urumqi@ex1000.demo")
    assert key == printed_totp_key(seeded, "supplier.urumqi@ex1000.demo")  # the same key
    otp = code_for_secret(key)
    assert token_status("supplier.urumqi@ex1000.demo", "another-demo-pass", otp) == 200


def test_the_printed_two_factor_keys_log_the_demo_supplier_and_operator_in(seeded):
    """Roles that must use two-factor are enrolled; the printed key is what an
    authenticator app needs, and demo_otp prints the same code."""
    for email in ("operator@ex1000.demo", "supplier.hangzhou@ex1000.demo"):
        refused = token_response(email, DEFAULT_PASSWORD)
        assert refused.status_code == 401 and refused.json()["code"] == "otp_required"
        code = code_for_secret(printed_totp_key(seeded, email))
        out = io.StringIO()
        call_command("demo_otp", email, stdout=out)
        assert out.getvalue().strip() == code
        assert token_status(email, DEFAULT_PASSWORD, code) == 200
    assert printed_totp_key(seeded, "buyer.dubai@ex1000.demo") == "-"


def test_the_demo_has_orders_at_different_steps(seeded):
    from ex1000.orders.models import Order, Payment

    orders = Order.objects.all()
    assert {o.status for o in orders} == {"awaiting_deposit", "shipped"}
    assert Payment.objects.filter(status="submitted").count() == 1  # the operators' queue
    for order in orders:
        vehicle = Vehicle.objects.get(pk=order.items[0]["vehicle_id"])
        assert vehicle.quantity_reserved == order.items[0]["quantity"]


def test_the_demo_partner_moves_the_almaty_order_by_rail(seeded):
    """Verified through the queue like the suppliers; its shipment booked by the supplier,
    shipped, with a timeline it started; on its dashboard, and nothing created twice."""
    from ex1000.logistics.models import Shipment, TrackingEvent

    partner = User.objects.get(email="partner.khorgos@ex1000.demo")
    assert partner.role == Role.LOGISTICS and partner.language == "ru"
    company = partner.company
    assert company.name == "Khorgos Gateway Logistics LLP" and company.country == "KZ"
    assert company.is_verified and company.verified_at is not None
    assert company.verifications.get().status == VerificationStatus.APPROVED
    assert {d.kind for d in QualificationDocument.objects.filter(user=partner)} == {
        "business_licence",
        "other",
    }
    shipment = Shipment.objects.get()
    order = shipment.order
    assert order.buyer.email == "buyer.almaty@ex1000.demo" and order.status == "shipped"
    assert (shipment.partner, shipment.mode, shipment.destination) == (company, "rail", "KZALA")
    events = list(shipment.events.values_list("classifier", "code", "location"))
    assert ("ACT", "departed", shipment.origin) in events
    assert ("EST", "arrived", "KZALA") in events
    assert shipment.eta == shipment.events.get(classifier="EST").occurred_at
    assert "partner.khorgos@ex1000.demo" in seeded

    client = Client()
    client.force_login(partner)
    page = client.get("/partner/").content.decode()
    assert order.number in page and shipment.vins[0] in page
    assert str(order.total) not in page

    seed()
    assert Shipment.objects.count() == 1 and TrackingEvent.objects.count() == len(events)


def test_the_demo_threads_have_replies_and_one_flagged_message(seeded):
    """The order pages show a conversation; the Dubai buyer sees a warning beside the request
    to pay outside escrow and the operators' fraud queue lists it; a second run adds none."""
    from ex1000.messaging.models import Message
    from ex1000.orders.models import Order

    flagged = Message.objects.exclude(warnings=[])
    assert flagged.count() == 1
    assert flagged.get().thread.inquiry.buyer.email == "buyer.dubai@ex1000.demo"
    almaty = Message.objects.filter(thread__inquiry__buyer__email="buyer.almaty@ex1000.demo")
    assert almaty.count() == 3 and not almaty.exclude(warnings=[]).exists()

    client = Client()
    client.force_login(User.objects.get(email="buyer.dubai@ex1000.demo"))
    order = Order.objects.get(quote__inquiry=flagged.get().thread.inquiry)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert 'class="fraud-warning"' in page
    total = Message.objects.count()
    seed()
    assert Message.objects.count() == total


def test_the_mombasa_buyer_finds_cars_kenya_admits(seeded, api):
    """Kenya admits right-hand-drive cars up to 8 years old: the demo has some to buy."""
    found = api.get(
        "vehicles", {"steering": "RHD", "destination": "KEMBA", "page_size": 100}
    ).json()
    eligible = [item for item in found["items"] if item["eligible"]]
    assert len(eligible) >= 10, found["count"]
    assert {item["make"] for item in eligible} >= {"BYD", "Tesla"}
    left_hand = api.get("vehicles", {"steering": "LHD", "destination": "KEMBA"}).json()
    assert not [item for item in left_hand["items"] if item["eligible"]]
