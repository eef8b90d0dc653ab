"""The privacy centre through its pages, as a buyer and an operator would use it, in a
real browser (Debian Chromium): download one's data, withdraw a consent, file a complaint
and read the operator's answer, delete the account, and the pages on a phone."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import formats, timezone
from playwright.sync_api import expect

from ex1000.accounts.models import User
from ex1000.accounts.selectors import time_zone_of
from ex1000.privacy import services, tickets
from ex1000.privacy.consents import Purpose
from ex1000.privacy.models import Consent, PrivacyRequest, RequestStatus, RequestType
from tests.factories import PASSWORD, BuyerFactory, OperatorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/e2e-shots")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WECHAT = "omar-wx-5521"


@pytest.fixture
def buyer(db):
    """A buyer with contacts of their own, and a colleague in the same company whose
    data must stay out of the buyer's export."""
    buyer = BuyerFactory(name="Omar Haddad", phone="+971501234567", wechat=WECHAT)
    BuyerFactory(name="Layla Haddad", email="layla@gulfcars.example", company=buyer.company)
    return buyer


@pytest.fixture
def browse(browser, log_in):
    """browse(user, **context options) → a logged-in page in a browser of its own."""

    def _browse(user, **options):
        page = browser.new_context(**options).new_page()
        log_in(page, user)
        return page

    return _browse


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def centre_link(page, site, name: str) -> None:
    """From the privacy centre, follow one of its links (as a person finds it)."""
    page.goto(f"{site}/privacy/")
    expect(page.locator("h1")).to_have_text("Privacy centre")
    submit(page, page.locator(".privacy-centre").get_by_role("link", name=name))


def test_the_buyer_downloads_everything_held_about_them_and_nothing_else(site, buyer, browse):
    page = browse(buyer)
    centre_link(page, site, "Download your data")
    assert page.url.endswith("/privacy/export/")

    page.get_by_label("Your password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Prepare my data"))
    status = page.locator("#export-status")
    expect(status).to_contain_text("Ready to download")
    with page.expect_download() as download_info:
        status.get_by_role("link", name="Download the ZIP archive").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")

    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    text = archive.read("export.json").decode()
    document = json.loads(text)
    assert document["user"]["email"] == buyer.email
    (me,) = document["data"]["accounts.User"]
    assert (me["email"], me["phone"], me["wechat"]) == (buyer.email, "+971501234567", WECHAT)
    assert "layla@gulfcars.example" not in text
    assert "Layla Haddad" not in text


def test_the_buyer_withdraws_a_consent_with_its_button(site, buyer, browse):
    services.set_consent(user=buyer, purpose=Purpose.MARKETING, granted=True)
    page = browse(buyer)
    centre_link(page, site, "Change your consents")
    assert page.url.endswith("/privacy/consents/")

    marketing = page.locator("#consent-marketing")
    expect(marketing.locator(".badge")).to_have_text("On")
    marketing.get_by_role("button", name="Withdraw consent").click()
    expect(page.locator(".messages")).to_contain_text("Consent withdrawn: Marketing messages.")
    marketing = page.locator("#consent-marketing")
    expect(marketing.locator(".badge")).to_have_text("Off")
    expect(marketing.get_by_role("button")).to_have_text("Give consent")
    fresh = User.objects.get(pk=buyer.pk)  # not the object whose consents are remembered
    assert services.has_consent(fresh, Purpose.MARKETING) is False
    latest = Consent.objects.filter(user=buyer, purpose=Purpose.MARKETING).latest("pk")
    assert latest.granted is False

    # It stays withdrawn on the next visit, and the centre says so.
    page.goto(f"{site}/privacy/")
    expect(page.locator(".privacy-centre li", has_text="Marketing messages")).to_contain_text(
        "not given"
    )


def test_a_complaint_is_answered_by_an_operator_and_the_buyer_reads_the_reply(site, buyer, browse):
    page = browse(buyer)
    centre_link(page, site, "Open a request or complaint")
    assert page.url.endswith("/privacy/requests/")

    page.get_by_label("What do you need?").select_option("complaint")
    page.get_by_label("Your message").fill("A supplier called me on WeChat without my consent.")
    submit(page, page.get_by_role("button", name="Send"))
    complaint = PrivacyRequest.objects.get(user=buyer, type=RequestType.COMPLAINT)
    expect(page.locator(".messages")).to_contain_text(
        f"Request #{complaint.pk} is open. We answer within 15 days."
    )
    card = page.locator(f'[data-request="{complaint.pk}"]')
    expect(card.locator("h3")).to_contain_text("Complaint")
    expect(card.locator(".request-status")).to_have_text("Pending")
    expect(card.locator(".countdown")).to_have_text("15 days left")
    # The page shows the day in the buyer's time zone.
    due_there = timezone.localtime(complaint.due_at, time_zone_of(buyer))
    due = formats.date_format(due_there, "DATE_FORMAT")
    expect(card).to_contain_text(f"Answer due{due}")

    operator = browse(OperatorFactory())
    operator.goto(f"{site}/")
    submit(operator, operator.get_by_role("link", name="Privacy requests"))
    assert operator.url.endswith("/ops/privacy/")
    row = operator.locator(f'article[data-request="{complaint.pk}"]')
    expect(row.locator(".countdown")).to_have_text("15 days left")
    expect(row).to_contain_text(buyer.email)
    submit(operator, row.get_by_role("link", name=re.compile(f"#{complaint.pk}")))
    expect(operator.locator(".notes").first).to_contain_text("without my consent")
    reply = "We have warned the supplier and removed your WeChat ID from their contacts."
    operator.get_by_label("Reply (emailed to the requester)").fill(reply)
    submit(operator, operator.get_by_role("button", name="Complete"))
    expect(operator.locator(".messages")).to_contain_text(
        f"Request #{complaint.pk} completed; the requester has been emailed."
    )

    page.reload()
    card = page.locator(f'[data-request="{complaint.pk}"]')
    expect(card.locator(".request-status")).to_have_text("Completed")
    expect(card).to_contain_text(f"Our reply{reply}")
    expect(card.locator(".countdown")).to_have_count(0)

    (answer,) = mail.outbox
    assert answer.to == [buyer.email]
    assert f"#{complaint.pk}" in answer.subject
    assert reply in answer.body


def test_the_buyer_deletes_the_account_with_the_emailed_code_and_it_is_erased(site, buyer, browse):
    page = browse(buyer)
    centre_link(page, site, "Ask to delete your account")
    expect(page.get_by_label("What do you need?")).to_have_value("deletion")
    submit(page, page.get_by_role("button", name="Send"))
    expect(page.locator("h1")).to_have_text("Confirm the deletion of your account")
    expect(page.locator(".messages")).to_contain_text("We have emailed you a confirmation code")
    expect(page.locator("main")).to_contain_text(f"emailed a confirmation code to {buyer.email}")

    (email,) = mail.outbox
    assert email.to == [buyer.email]
    link = re.search(r"https?://\S+/privacy/requests/\d+/confirm/", email.body).group(0)
    code = re.search(r"^\s+([0-9a-f]{24})$", email.body, re.MULTILINE).group(1)

    # The link from the email; a wrong code first, which locks nothing.
    page.goto(site + urlsplit(link).path)
    code_field = page.get_by_label("Confirmation code from the email")
    code_field.fill("0" * 24)
    submit(page, page.get_by_role("button", name="Delete my account"))
    expect(page.locator("main")).to_contain_text("This confirmation code is not valid.")
    buyer.refresh_from_db()
    assert buyer.is_active

    code_field.fill(code)
    submit(page, page.get_by_role("button", name="Delete my account"))
    expect(page.locator(".messages")).to_contain_text("Your account is locked and will be erased")
    ticket = tickets.requests_of(buyer).get()
    assert ticket.status == RequestStatus.SCHEDULED

    # Logged out: the privacy centre asks for a login, and the password alone no longer
    # opens the account: the page says it is locked for its deletion …
    page.goto(f"{site}/privacy/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.locator("main").get_by_role("button", name="Log in"))
    assert "/accounts/login/" in page.url
    expect(page.locator("main")).to_contain_text("This account is locked: it will be erased on")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    expect(page.get_by_label("Cancel the deletion of my account and log in")).to_be_visible()
    # The grace period ends and the job erases the account: now nothing opens it.
    result = tickets.process_due_deletions(now=ticket.scheduled_for + timedelta(minutes=1))
    assert result["erased"] == 1
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Cancel the deletion of my account and log in").check()
    submit(page, page.locator("main").get_by_role("button", name="Log in"))
    expect(page.locator("main")).to_contain_text("Invalid email or password.")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    ticket.refresh_from_db()
    assert ticket.status == RequestStatus.COMPLETED


# What sticks out of the page on either side, boxes and lines of text (but the skip link,
# off-screen until focused): on a right-to-left page an overflow to the right cannot be
# scrolled to, so scrollWidth alone does not show it.
OUTSIDE = """() => {
  const out = r => r.width > 0 && (r.left < -1 || r.right > innerWidth + 1);
  const found = [...document.body.querySelectorAll("*:not(.skip-link)")]
    .filter(e => out(e.getBoundingClientRect()))
    .map(e => `<${e.tagName.toLowerCase()} class="${e.className}">`);
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (texts.nextNode()) {
    const node = texts.currentNode;
    if (!node.data.trim() || node.parentElement.closest(".skip-link")) continue;
    range.selectNodeContents(node);
    if (out(range.getBoundingClientRect())) found.push(node.data.trim().slice(0, 40));
  }
  return found;
}"""


def no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390 px phone"
    assert page.evaluate(OUTSIDE) == [], f"{page.url}: these stick out of a 390 px phone"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_privacy_pages_fit_a_390_px_phone(site, buyer, browse, language):
    """With requests on the list (a long, unbroken link among them), in English and in
    Arabic (right to left)."""
    for kind, text in (
        (RequestType.COMPLAINT, "See https://example.com/r?ref=" + "A1b2C3d4" * 12),
        (RequestType.ACCESS, ""),
    ):
        tickets.open_request(user=buyer, type=kind, text=text)
    buyer.language = language  # logging in switches the pages to it
    buyer.save(update_fields=["language"])
    page = browse(buyer, **PHONE)
    SHOTS.mkdir(exist_ok=True)
    for path in ("/privacy/", "/privacy/consents/", "/privacy/requests/"):
        page.goto(f"{site}{path}")
        html = page.locator("html")
        expect(html).to_have_attribute("lang", language)
        expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
        no_overflow(page)
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(SHOTS / f"{name}-390-{language}.png"), full_page=True)
    page.goto(f"{site}/privacy/")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.screenshot(path=str(SHOTS / f"privacy-desktop-{language}.png"), full_page=True)
