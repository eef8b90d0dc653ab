"""The privacy centre gathers, on one page, what is held and every choice a user has."""

import pytest
from django.urls import reverse

from ex1000.privacy.services import set_consent
from ex1000.privacy.tickets import open_request

pytestmark = pytest.mark.django_db


def test_the_centre_links_every_part_and_shows_the_users_state(client, buyer):
    set_consent(user=buyer, purpose="marketing", granted=True)
    open_request(user=buyer, type="complaint", text="Slow answers.")
    client.force_login(buyer)

    response = client.get(reverse("privacy:centre"))

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("export", "consents", "disclosures", "requests"):
        assert reverse(f"privacy:{name}") in html, name
    assert reverse("accounts:profile") in html
    assert "?type=deletion" in html
    assert "Complaint" in html
    assert reverse("privacy:centre") in client.get("/").content.decode()  # in the footer


def test_the_centre_needs_a_login_and_speaks_arabic_right_to_left(client, buyer):
    assert client.get(reverse("privacy:centre")).status_code == 302
    buyer.language = "ar"
    buyer.save(update_fields=["language"])
    client.force_login(buyer)
    html = client.get(reverse("privacy:centre"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in html
