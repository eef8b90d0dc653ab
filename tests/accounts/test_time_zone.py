"""The user's time zone: chosen (an IANA name) or, left blank, the country's main zone;
editable on the profile page and with PATCH /api/v1/me, validated against the tz database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ex1000.accounts.selectors import time_zone_of
from ex1000.core.timezones import main_zone, zone_label
from tests.factories import BuyerFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("KZ", "Asia/Almaty"),
        ("AE", "Asia/Dubai"),
        ("KE", "Africa/Nairobi"),
        ("CN", "Asia/Shanghai"),
        ("RU", "Europe/Moscow"),  # not Kaliningrad, zone.tab's first row
        ("UZ", "Asia/Tashkent"),
        ("NG", "Africa/Lagos"),
        ("ke", "Africa/Nairobi"),
    ],
)
def test_the_countrys_main_zone(country, zone):
    assert main_zone(country) == zone


def test_a_blank_zone_follows_the_country_and_a_chosen_one_wins():
    buyer = BuyerFactory(country="KZ", time_zone="")
    assert time_zone_of(buyer).key == "Asia/Almaty"
    buyer.time_zone = "Asia/Dubai"
    assert time_zone_of(buyer).key == "Asia/Dubai"
    assert time_zone_of(BuyerFactory(country="", time_zone="")).key == "UTC"


def test_zones_are_named_in_the_readers_language():
    assert zone_label("Asia/Almaty") == "Almaty time"
    assert zone_label("UTC") == "UTC"


def test_me_shows_the_chosen_and_the_effective_zone(login_api):
    buyer = BuyerFactory(country="KE")
    body = login_api(buyer).get("me").json()
    assert (body["time_zone"], body["effective_time_zone"]) == ("", "Africa/Nairobi")


def test_patch_me_sets_and_clears_the_time_zone(login_api):
    buyer = BuyerFactory(country="KZ")
    api = login_api(buyer)

    body = api.patch("me", {"time_zone": "Asia/Dubai"}).json()
    assert (body["time_zone"], body["effective_time_zone"]) == ("Asia/Dubai", "Asia/Dubai")
    buyer.refresh_from_db()
    assert buyer.time_zone == "Asia/Dubai"

    body = api.patch("me", {"time_zone": ""}).json()
    assert (body["time_zone"], body["effective_time_zone"]) == ("", "Asia/Almaty")


@pytest.mark.parametrize("value", ["Mars/Olympus_Mons", "asia/almaty", "+05:00", "../etc"])
def test_patch_me_refuses_an_unknown_zone_with_a_field_error(login_api, value):
    buyer = BuyerFactory(time_zone="Asia/Almaty")
    response = login_api(buyer).patch("me", {"time_zone": value})
    body = assert_problem(response, 422, "time_zone")
    assert body["code"] == "unknown_time_zone"
    assert "IANA time zone name" in body["errors"]["time_zone"][0]
    buyer.refresh_from_db()
    assert buyer.time_zone == "Asia/Almaty"


def _profile_data(user, **changes):
    data = {
        "form": "profile",
        "name": user.name,
        "company_name": user.company.name,
        "city": user.company.city,
        "country": user.country.code,
        "phone": "",
        "whatsapp": "",
        "wechat": "",
        "telegram": "",
        "language": user.language,
        "currency": user.currency,
        "time_zone": user.time_zone,
    }
    data.update(changes)
    return data


def test_the_profile_page_offers_automatic_and_saves_a_zone(client):
    buyer = BuyerFactory(country="KZ")
    client.force_login(buyer)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Automatic (from your country): Asia/Almaty" in page
    assert '<option value="Asia/Dubai">UTC+04:00 · Asia/Dubai</option>' in page
    # West to east: New York before London before Almaty.
    positions = [page.index(f'value="{zone}"') for zone in ("America/New_York", "Europe/London")]
    assert positions[0] < positions[1] < page.index('value="Asia/Almaty"')

    response = client.post(
        reverse("accounts:profile"), _profile_data(buyer, time_zone="Asia/Dubai"), follow=True
    )
    assert "Your profile has been saved." in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.time_zone == "Asia/Dubai"
    assert '<option value="Asia/Dubai" selected>' in response.content.decode()


def test_the_profile_page_refuses_a_zone_not_offered(client):
    buyer = BuyerFactory(country="KZ")
    client.force_login(buyer)
    response = client.post(reverse("accounts:profile"), _profile_data(buyer, time_zone="Nowhere"))
    assert response.status_code == 400
    assert response.context["profile_form"].errors["time_zone"]
    buyer.refresh_from_db()
    assert buyer.time_zone == ""
