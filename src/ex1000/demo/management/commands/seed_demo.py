"""`manage.py seed_demo`: demo accounts and a stocked catalogue for `make run`.

Creates an operator, four verified suppliers (Hangzhou, Beijing, Guangzhou, Urumqi), one
supplier waiting in the verification queue (Tianjin), a verified logistics partner
(Khorgos), three buyers (Almaty, Dubai, Mombasa), about 240 used-car listings with
generated photos, the demo rate book (quotes/fixtures/demo_ratebook.json, imported once
per version) and two orders: Dubai's awaiting its deposit, Almaty's shipped by rail with
the partner, its timeline started.

Every demo account gets the password in the DEMO_PASSWORD environment variable, by
default "ex1000-demo". Running the command again creates nothing: users are found by
email and listings by VIN (it only resets the demo passwords to DEMO_PASSWORD and adds
photos a previous, interrupted run did not get to). The data comes from a fixed random
seed, so every machine gets the same cars.

The accounts whose role must use two-factor (operator, suppliers, partner) are enrolled
with a TOTP key derived from their email, printed with the logins: add it to an
authenticator app, or ask `manage.py demo_otp EMAIL` for the current code.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw, ImageFont

from ex1000.accounts import selectors as account_selectors
from ex1000.accounts import services as account_services
from ex1000.accounts.models import (
    Company,
    DocumentKind,
    QualificationDocument,
    Role,
    User,
    VerificationRequest,
    VerificationStatus,
)
from ex1000.accounts.validation import normalise_phone
from ex1000.catalog import services as catalog_services
from ex1000.catalog.models import ListingStatus, Vehicle
from ex1000.catalog.validation import with_check_digit
from ex1000.core.errors import AppError
from ex1000.demo.catalogue import (
    CATALOGUE,
    COLOURS,
    CONDITION_NOTES,
    HOME_CITIES,
    PAINT,
    ZERO_KM_NOTE,
    CarModel,
    Variant,
)
from ex1000.demo.two_factor import current_code, demo_totp_key
from ex1000.privacy import services as privacy_services
from ex1000.privacy.selectors import current_policy
from ex1000.quotes.models import RateBook
from ex1000.quotes.rate_books import import_rate_book

DEFAULT_PASSWORD = "ex1000-demo"
SEED = 2026
LISTINGS = 246
DRAFTS = 8
WITHDRAWN = 6
PUBLISHED_WITHIN_DAYS = 60
PHOTO_SIZE = (800, 500)
DEMO_RATE_BOOK = Path(__file__).resolve().parents[3] / "quotes" / "fixtures" / "demo_ratebook.json"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    country: str
    city: str = ""
    company: str = ""
    phone: str = ""
    whatsapp: str = ""
    wechat: str = ""
    telegram: str = ""
    language: str = "en"
    currency: str = "USD"
    region_code: str = ""  # administrative division of the licence (suppliers)
    verified: bool = False
    joined_days_ago: int = 200


OPERATOR = DemoUser(
    email="operator@ex1000.demo",
    name="EX1000 Operations",
    role=Role.OPERATOR,
    country="CN",
    phone="+8613701860325",
    wechat="ex1000_ops",
    joined_days_ago=400,
)

SUPPLIERS = (
    DemoUser(
        email="supplier.hangzhou@ex1000.demo",
        name="Chen Wei",
        role=Role.SUPPLIER,
        country="CN",
        city="Hangzhou",
        company="Hangzhou Qianjiang Auto Export Co., Ltd.",
        phone="+8613857112368",
        wechat="qianjiang_chenwei",
        currency="CNY",
        region_code="330109",
        verified=True,
        joined_days_ago=320,
    ),
    DemoUser(
        email="supplier.beijing@ex1000.demo",
        name="Li Na",
        role=Role.SUPPLIER,
        country="CN",
        city="Beijing",
        company="Beijing Jingcheng Motor Trading Co., Ltd.",
        phone="+8613801164279",
        wechat="jingcheng_lina",
        currency="CNY",
        region_code="110105",
        verified=True,
        joined_days_ago=290,
    ),
    DemoUser(
        email="supplier.guangzhou@ex1000.demo",
        name="Huang Jianguo",
        role=Role.SUPPLIER,
        country="CN",
        city="Guangzhou",
        company="Guangzhou Nansha Vehicle Export Co., Ltd.",
        phone="+8613926015730",
        whatsapp="+8613926015730",
        wechat="nansha_export_huang",
        currency="CNY",
        region_code="440115",
        verified=True,
        joined_days_ago=250,
    ),
    DemoUser(
        email="supplier.urumqi@ex1000.demo",
        name="Aliya Tursun",
        role=Role.SUPPLIER,
        country="CN",
        city="Urumqi",
        company="Xinjiang Silk Road Auto Trade Co., Ltd.",
        phone="+8613899125541",
        wechat="silkroad_aliya",
        telegram="silkroad_auto",
        language="ru",
        currency="CNY",
        region_code="650104",
        verified=True,
        joined_days_ago=210,
    ),
    DemoUser(
        email="supplier.tianjin@ex1000.demo",
        name="Zhang Hao",
        role=Role.SUPPLIER,
        country="CN",
        city="Tianjin",
        company="Tianjin Binhai Port Auto Supply Co., Ltd.",
        phone="+8613602086417",
        wechat="binhai_zhanghao",
        currency="CNY",
        region_code="120116",
        verified=False,
        joined_days_ago=3,
    ),
)

BUYERS = (
    DemoUser(
        email="buyer.almaty@ex1000.demo",
        name="Aidos Nurlanov",
        role=Role.BUYER,
        country="KZ",
        city="Almaty",
        company="Steppe Auto Import LLP",
        phone="+77015552841",
        whatsapp="+77015552841",
        telegram="aidos_steppe_auto",
        language="ru",
        currency="KZT",
        joined_days_ago=150,
    ),
    DemoUser(
        email="buyer.dubai@ex1000.demo",
        name="Omar Al Mansoori",
        role=Role.BUYER,
        country="AE",
        city="Dubai",
        company="Al Noor Motors Trading LLC",
        phone="+971504417263",
        whatsapp="+971504417263",
        currency="USD",
        joined_days_ago=120,
    ),
    DemoUser(
        email="buyer.mombasa@ex1000.demo",
        name="Grace Wanjiru",
        role=Role.BUYER,
        country="KE",
        city="Mombasa",
        company="Coastline Motors Kenya Ltd",
        phone="+254722318450",
        whatsapp="+254722318450",
        currency="USD",
        joined_days_ago=90,
    ),
)

PARTNERS = (
    DemoUser(
        email="partner.khorgos@ex1000.demo",
        name="Yerlan Abenov",
        role=Role.LOGISTICS,
        country="KZ",
        city="Khorgos",
        company="Khorgos Gateway Logistics LLP",
        phone="+77017308814",
        whatsapp="+77017308814",
        telegram="khorgos_gateway",
        language="ru",
        currency="KZT",
        verified=True,
        joined_days_ago=180,
    ),
)

VERIFIED_CITIES = tuple(s.city for s in SUPPLIERS if s.verified)

# ISO 3779 model-year codes (VIN position 10).
YEAR_CODES = dict(zip(range(2010, 2031), "ABCDEFGHJKLMNPRSTVWXY", strict=True))
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


class Command(BaseCommand):
    help = (
        "Create demo accounts and ~240 listings with photos (idempotent). "
        f"Passwords come from $DEMO_PASSWORD, default {DEFAULT_PASSWORD!r}."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        self.stats: Counter[str] = Counter()
        self.now = timezone.now()
        self.totp_keys: dict[str, str] = {}
        # Registrations and decisions would e-mail the demo accounts; nobody should get
        # those. The one published demo password is deliberately simple ("ex1000-demo" is
        # "too similar to the email" for the real registration's password rules).
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                AUTH_PASSWORD_VALIDATORS=[],
            ),
            transaction.atomic(),
        ):
            operator = self.user(OPERATOR, password)
            suppliers = {}
            for person in SUPPLIERS:
                supplier = self.user(person, password)
                self.verification(person, supplier, operator)
                suppliers[person.city] = supplier
            partners = []
            for person in PARTNERS:
                partner = self.user(person, password)
                self.verification(person, partner, operator)
                partners.append(partner)
            for person in BUYERS:
                self.user(person, password)
            specs = build_listings(self.now)
            self.listings(specs, {city: suppliers[city] for city in VERIFIED_CITIES})
            self.photos(specs, [s.company_id for s in suppliers.values()])
            self.rate_book()
            self.trades(operator, suppliers)
            self.shipping(operator, partners[0])
            self.conversations()
        self.report(password, time.monotonic() - started)

    # --- accounts -------------------------------------------------------------------

    def user(self, person: DemoUser, password: str) -> User:
        """Found by email, else registered as anyone would be (the operator as
        `createsuperuser` makes one); then back-dated, which only demo data needs."""
        user = User.objects.select_related("company").filter(email__iexact=person.email).first()
        policy = current_policy()
        if user is None:
            joined = self.now - timedelta(days=person.joined_days_ago)
            if person.role == Role.OPERATOR:
                user = User.objects.create_superuser(
                    person.email,
                    password,
                    name=person.name,
                    country=person.country,
                    phone=normalise_phone(person.phone, person.country),
                    wechat=person.wechat,
                )
            else:
                user = account_services.register_user(
                    role=person.role,
                    email=person.email,
                    password=password,
                    name=person.name,
                    company_name=person.company,
                    country=person.country,
                    accepted_policy_version=policy.version if policy else None,
                    phone=person.phone,
                    whatsapp=person.whatsapp,
                    wechat=person.wechat,
                    telegram=person.telegram,
                    language=person.language,
                    currency=person.currency,
                    ip="127.0.0.1",
                    user_agent="seed_demo",
                )
                Company.objects.filter(pk=user.company_id).update(
                    city=person.city, created_at=joined
                )
            User.objects.filter(pk=user.pk).update(
                date_joined=joined, email_verified_at=joined + timedelta(minutes=7)
            )
            user.refresh_from_db()
            self.stats["users"] += 1
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stats["passwords reset"] += 1
        if policy is not None and person.role != Role.OPERATOR:
            privacy_services.accept_policy(
                user=user, policy=policy, ip="127.0.0.1", user_agent="seed_demo"
            )
        self.two_factor(user)
        return user

    def two_factor(self, user: User) -> None:
        """Enrolled as anyone is (start, then confirm with the app's code), with a key
        derived from the email so the printed key stays the same on every machine."""
        if not account_selectors.two_factor_required(user):
            return
        if not account_selectors.two_factor_enabled(user):
            device = account_services.start_two_factor(user=user, key=demo_totp_key(user.email))
            account_services.confirm_two_factor(user=user, otp=current_code(device))
            # No person typed that code: the first login may use the same one (django-otp
            # refuses a time step it accepted already).
            TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
            self.stats["two-factor enrolments"] += 1
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        self.totp_keys[user.email] = account_selectors.b32_secret(device)

    def verification(self, person: DemoUser, user: User, operator: User) -> None:
        """Verified suppliers and the partner went through the queue; the Tianjin supplier
        is still in it."""
        company = user.company
        if company.verifications.exists():  # done before, or an operator has decided since
            return
        if person.role == Role.LOGISTICS:
            self.partner_documents(user, person)
            reason = (
                "Business registration checked against the e-Government register of legal "
                "entities (BIN); freight forwarding licence on file."
            )
        else:
            credit_code = unified_credit_code(person.region_code, person.email)
            self.upload_documents(user, person, credit_code)
            reason = (
                "Business licence checked against the National Enterprise Credit "
                "Information Publicity System; export qualification on file."
            )
        request = company.verifications.get(status=VerificationStatus.PENDING)
        joined = user.date_joined
        submitted = (
            joined + timedelta(hours=5) if person.verified else self.now - timedelta(hours=20)
        )
        VerificationRequest.objects.filter(pk=request.pk).update(submitted_at=submitted)
        QualificationDocument.objects.filter(request=request).update(uploaded_at=submitted)
        if not person.verified:
            return
        account_services.decide_verification(
            request_id=request.pk,
            operator=operator,
            decision="approve",
            reason=reason,
        )
        decided = submitted + timedelta(days=1, hours=3)
        VerificationRequest.objects.filter(pk=request.pk).update(decided_at=decided)
        Company.objects.filter(pk=company.pk).update(verified_at=decided)
        self.stats["verified companies"] += 1

    def upload_documents(self, user: User, person: DemoUser, credit_code: str) -> None:
        licence = licence_pdf(
            "BUSINESS LICENCE (demo document)",
            [
                f"Name: {person.company}",
                f"Unified social credit code: {credit_code}",
                "Type: Limited liability company",
                f"Domicile: {person.city}, People's Republic of China",
                "Business scope: sale, brokerage and export of used motor vehicles",
                f"Registration authority: {person.city} Administration for Market Regulation",
            ],
        )
        export = licence_pdf(
            "USED VEHICLE EXPORT QUALIFICATION (demo document)",
            [
                f"Enterprise: {person.company}",
                "Issued under the pilot programme for used vehicle export",
                "Scope: export of used passenger cars and light commercial vehicles",
            ],
        )
        account_services.upload_document(
            user=user,
            kind=DocumentKind.BUSINESS_LICENCE,
            number=credit_code,
            file=SimpleUploadedFile("business-licence.pdf", licence, "application/pdf"),
        )
        account_services.upload_document(
            user=user,
            kind=DocumentKind.EXPORT_QUALIFICATION,
            file=SimpleUploadedFile("export-qualification.pdf", export, "application/pdf"),
        )
        self.stats["documents"] += 2

    def partner_documents(self, user: User, person: DemoUser) -> None:
        """A logistics partner's registration certificate and forwarding licence."""
        bin_number = "".join(str(b % 10) for b in hashlib.sha256(person.email.encode()).digest())
        bin_number = bin_number[:12]
        certificate = licence_pdf(
            "CERTIFICATE OF STATE REGISTRATION OF A LEGAL ENTITY (demo document)",
            [
                f"Name: {person.company}",
                f"Business identification number (BIN): {bin_number}",
                "Legal form: limited liability partnership",
                f"Location: {person.city}, Republic of Kazakhstan",
                "Activity: freight forwarding, rail and road transport of vehicles",
            ],
        )
        forwarding = licence_pdf(
            "FREIGHT FORWARDING LICENCE (demo document)",
            [
                f"Holder: {person.company}",
                "Scope: international forwarding by rail and road, customs brokerage",
                "Border crossing: Khorgos - Altynkol",
            ],
        )
        account_services.upload_document(
            user=user,
            kind=DocumentKind.BUSINESS_LICENCE,
            number=bin_number,
            file=SimpleUploadedFile("registration-certificate.pdf", certificate, "application/pdf"),
        )
        account_services.upload_document(
            user=user,
            kind=DocumentKind.OTHER,
            file=SimpleUploadedFile("forwarding-licence.pdf", forwarding, "application/pdf"),
        )
        self.stats["documents"] += 2

    # --- listings -------------------------------------------------------------------

    def listings(self, specs: list[dict], suppliers: dict[str, User]) -> None:
        """Listed through catalog.services.create_vehicle (the form every listing passes),
        then back-dated: a demo catalogue has been filled over weeks."""
        existing = set(
            Vehicle.objects.filter(vin__in=[s["vin"] for s in specs]).values_list("vin", flat=True)
        )
        for supplier in suppliers.values():
            supplier.company.refresh_from_db()  # verified since it was loaded
        for spec in specs:
            if spec["vin"] in existing:
                continue
            supplier = suppliers[spec["city"]]
            dates = {"published_at": spec["published_at"], "created_at": spec["created_at"]}
            data = {k: v for k, v in spec.items() if k not in dates and v is not None}
            vehicle = catalog_services.create_vehicle(user=supplier, data=data)
            Vehicle.objects.filter(pk=vehicle.pk).update(**dates)
            self.stats["listings"] += 1

    def photos(self, specs: list[dict], company_ids: list[int]) -> None:
        """One photo per listing, through catalog.services.add_photo; only listings that
        have none get one."""
        bare = (
            Vehicle.objects.filter(
                vin__in=[s["vin"] for s in specs], company_id__in=company_ids, photos__isnull=True
            )
            .select_related("company", "created_by")
            .order_by("id")
        )
        owners = {}
        for vehicle in bare:
            image = render_photo(
                f"{vehicle.year} {vehicle.make} {vehicle.model}",
                vehicle.colour,
                vehicle.body_type,
            )
            owner = owners.setdefault(vehicle.company_id, vehicle.created_by)
            upload = SimpleUploadedFile("demo.jpg", image, "image/jpeg")
            catalog_services.add_photo(user=owner, vehicle=vehicle, file=upload)
            self.stats["photos"] += 1

    # --- rate book ------------------------------------------------------------------

    def rate_book(self) -> None:
        """The demo rate book (quotes/fixtures/demo_ratebook.json), once per version."""
        document = json.loads(DEMO_RATE_BOOK.read_text(encoding="utf-8"))
        if not RateBook.objects.filter(version=document["version"]).exists():
            import_rate_book(document=document)
            self.stats["rate book"] += 1

    # --- trades -----------------------------------------------------------------------

    # Each demo buyer's order stops at another step, so every page has something to show:
    # (buyer, incoterm, destination, mode, the actions after acceptance). The demo stock
    # is left-hand drive, which Kenya and Tanzania do not admit, so Mombasa has none.
    TRADES = (
        ("buyer.dubai@ex1000.demo", "CIF", "AEJEA", "roro", ("sign", "sign", "deposit")),
        (
            "buyer.almaty@ex1000.demo",
            "CPT",
            "KZALA",
            "rail",
            ("sign", "sign", "deposit", "confirm", "start_export", "balance"),
        ),
    )

    def trades(self, operator: User, suppliers: dict[str, User]) -> None:
        """Orders through the same services the pages call (idempotent: once per buyer)."""
        from ex1000.orders import services as order_services
        from ex1000.orders.models import Order
        from ex1000.quotes import services as quote_services

        for email, incoterm, destination, mode, steps in self.TRADES:
            buyer = User.objects.get(email=email)
            if Order.objects.filter(buyer=buyer).exists():
                continue
            for vehicle in Vehicle.objects.filter(
                status=ListingStatus.PUBLISHED,
                steering="LHD",
                company_id__in=[s.company_id for s in suppliers.values()],
            ).order_by("pk")[:5]:
                try:
                    inquiry = quote_services.submit_inquiry(
                        buyer=buyer,
                        items=[(vehicle.pk, 1)],
                        incoterm=incoterm,
                        destination=destination,
                        mode=mode,
                        currency=buyer.currency or "USD",
                        payment_terms="30/70",
                        message="Please confirm the car has no accident history.",
                    )
                except AppError:
                    continue
                quote = inquiry.quotes.get()
                if quote.eligible:
                    break
            else:
                continue
            order = order_services.accept_quote(quote=quote, buyer=buyer)
            seller = User.objects.filter(company_id=order.supplier_id).first()
            for step in steps:
                order.refresh_from_db()
                if step == "sign":
                    actor = buyer if order.buyer_signed_at is None else seller
                    order_services.perform(order=order, action="sign", actor=actor)
                elif step in ("deposit", "balance"):
                    amount = order.deposit if step == "deposit" else order.balance
                    order_services.submit_payment(
                        order=order,
                        buyer=buyer,
                        kind=step,
                        amount=str(amount),
                        currency=order.currency,
                        reference=f"DEMO-{order.number}-{step}",
                        file=SimpleUploadedFile(
                            "transfer.pdf",
                            licence_pdf("Bank transfer", [order.number, str(amount)]),
                            content_type="application/pdf",
                        ),
                    )
                elif step == "confirm":
                    payment = order.payments.get(kind="deposit")
                    order_services.perform(
                        order=order,
                        action="confirm_deposit",
                        actor=operator,
                        params={"payment": payment.pk},
                    )
                else:
                    order_services.perform(order=order, action=step, actor=seller)
            self.stats["orders"] += 1

    # Almaty's rail shipment (CPT KZALA) with the Khorgos partner and its first events:
    # (code, classifier, where — None: the shipment's origin, hours from now, description).
    ALMATY_EVENTS = (
        ("loaded", "ACT", None, -30, "Loaded on flat wagon 2, secured with wheel chocks."),
        ("departed", "PLN", None, -27, "Block train X8024 planned to leave the rail terminal."),
        ("departed", "ACT", None, -26, "Left the terminal with block train X8024."),
        ("arrived", "EST", "KZALA", 96, "After the gauge change at Altynkol / Khorgos."),
    )

    def shipping(self, operator: User, partner: User) -> None:
        """The Almaty order goes on: the operator confirms the balance, the buyer names the
        consignee, the supplier books the rail shipment with the partner and ships it, the
        partner adds its first tracking events — all through the services, once."""
        from ex1000.logistics import services as logistics_services
        from ex1000.orders import services as order_services
        from ex1000.orders.models import Consignee, Order, OrderStatus

        buyer = User.objects.get(email="buyer.almaty@ex1000.demo")
        order = Order.objects.filter(buyer=buyer).order_by("pk").first()
        if order is None or order.shipments.exists():
            return
        seller = User.objects.filter(company_id=order.supplier_id, role=Role.SUPPLIER).first()
        balance = order.payments.filter(kind="balance", status="submitted").first()
        if order.status == OrderStatus.EXPORT_PROCESSING and balance is not None:
            order_services.perform(
                order=order,
                action="confirm_balance",
                actor=operator,
                params={"payment": balance.pk},
            )
            order.refresh_from_db()
        if order.status != OrderStatus.BALANCE_PAID:
            return  # an operator has taken it elsewhere; leave it be
        if not Consignee.objects.filter(order=order).exists():
            order_services.set_consignee(
                order=order,
                buyer=buyer,
                data={
                    "name": buyer.name,
                    "company": buyer.company.name,
                    "address": "Warehouse 4, Ryskulov Avenue 103",
                    "city": "Almaty",
                    "country": "KZ",
                    "phone": buyer.phone,
                    "email": "receiving@steppe-auto.example",
                },
            )
        shipment = logistics_services.create_shipment(
            order=order,
            actor=seller,
            data={
                "partner": partner.company_id,
                "provider_name": "KTZ Express",
                "mode": "rail",
                "bl_number": f"SMGS-{order.number}",
                "vessel_name": "KTZ block train",
                "voyage": "X8024",
                "etd": self.now - timedelta(hours=26),
            },
            ip="127.0.0.1",
            user_agent="seed_demo",
        )
        order_services.perform(order=order, action="ship", actor=seller)
        for code, classifier, place, hours, description in self.ALMATY_EVENTS:
            logistics_services.add_tracking_event(
                shipment=shipment,
                actor=partner,
                data={
                    "code": code,
                    "classifier": classifier,
                    "location": place or shipment.origin,
                    "occurred_at": self.now + timedelta(hours=hours),
                    "description": description,
                },
                ip="127.0.0.1",
                user_agent="seed_demo",
            )
        self.stats["shipments"] += 1

    # Replies in the demo orders' threads (buyer email → messages after the inquiry's
    # first one). The Dubai thread holds a request to pay outside escrow, so the buyer sees
    # the warning beside it and the operators' fraud queue has something to show.
    CONVERSATIONS = {
        "buyer.almaty@ex1000.demo": (
            (
                "supplier",
                "Добрый день! Автомобиль без ДТП, отчёт об осмотре приложим к отгрузке. "
                "Поезд X8024 вышел из Хоргоса, прибытие в Алматы — через 4–5 дней.",
            ),
            ("buyer", "Спасибо! Остаток оплачен через эскроу, ждём поезд."),
        ),
        "buyer.dubai@ex1000.demo": (
            (
                "supplier",
                "Hello Omar, the car has no accident history; the inspection report follows "
                "with the shipment documents.",
            ),
            (
                "supplier",
                "To save the bank fee you can pay the balance directly to our company "
                "account at ICBC: 6222 0212 3456 7890 123.",
            ),
        ),
    }

    def conversations(self) -> None:
        """Through messaging.services.post_message, once per thread (only threads that
        still hold the inquiry's message alone)."""
        from ex1000.messaging import services as messaging_services
        from ex1000.orders.models import Order

        for email, lines in self.CONVERSATIONS.items():
            order = Order.objects.filter(buyer__email=email).order_by("pk").first()
            if order is None:
                continue
            thread = messaging_services.thread_for_inquiry(order.quote.inquiry)
            if thread.messages.count() != 1:
                continue
            seller = User.objects.filter(company_id=order.supplier_id, role=Role.SUPPLIER).first()
            for who, text in lines:
                author = order.buyer if who == "buyer" else seller
                messaging_services.post_message(thread, author, text)
                self.stats["messages"] += 1

    # --- output ---------------------------------------------------------------------

    def report(self, password: str, seconds: float) -> None:
        created = ", ".join(f"{n} {what}" for what, n in self.stats.items()) or "nothing new"
        published = Vehicle.objects.filter(status=ListingStatus.PUBLISHED).count()
        self.stdout.write(
            f"seed_demo: {created} ({published} published listings; {seconds:.1f} s)."
        )
        rows = [("email", "role", "password", "2FA key (TOTP)", "who")]

        def row(person: DemoUser, role: str, who: str) -> None:
            key = self.totp_keys.get(person.email, "-")
            rows.append((person.email, role, password, key, who))

        row(OPERATOR, "operator", "staff superuser: /admin, ops pages")
        for person in SUPPLIERS:
            state = "verified" if person.verified else "pending verification"
            row(person, "supplier", f"{person.city}, {state}")
        for person in PARTNERS:
            row(person, "logistics", f"{person.city}, verified, /partner/")
        for person in BUYERS:
            row(person, "buyer", f"{person.city}, {person.country}")
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = [
            " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
        ]
        lines.insert(1, "-+-".join("-" * w for w in widths))
        self.stdout.write("Demo logins (password from $DEMO_PASSWORD):")
        for line in lines:
            self.stdout.write("  " + line.rstrip())
        if self.totp_keys:
            self.stdout.write(
                "Accounts with a 2FA key ask for a code after the password: add the key to an "
                "authenticator app, or run `manage.py demo_otp EMAIL` for the current code."
            )


# --- the catalogue ----------------------------------------------------------------------


def build_listings(now: datetime, count: int = LISTINGS) -> list[dict]:
    """The demo listings as Vehicle field values; the same on every run and machine.
    ``count`` more make a large stock list (bench/import_scale.py), serials kept at six
    digits so every VIN stays unique and valid."""
    rng = random.Random(SEED)
    today = now.date()
    step = min(2500, 899_999 // count)
    odd_ones = rng.sample(range(count), DRAFTS + WITHDRAWN)
    status_of = dict.fromkeys(odd_ones[:DRAFTS], ListingStatus.DRAFT)
    status_of |= dict.fromkeys(odd_ones[DRAFTS:], ListingStatus.WITHDRAWN)
    colours, colour_weights = zip(*COLOURS, strict=True)
    serial = 100000
    specs = []
    for index in range(count):
        car = rng.choices(CATALOGUE, weights=[m.weight for m in CATALOGUE])[0]
        variant = rng.choice(car.variants)
        year = rng.randint(variant.first_year, variant.last_year)
        colour = rng.choices(colours, weights=colour_weights)[0]
        if colour not in MAKE_COLOURS.get(car.make, colours):
            colour = "White"
        home = HOME_CITIES.get(car.make, VERIFIED_CITIES)
        city = rng.choice(home) if rng.random() < 0.75 else rng.choice(VERIFIED_CITIES)
        serial += rng.randint(1, step)
        zero_km = year == 2025 and car.wmi not in FOREIGN_JV_WMIS and rng.random() < 0.35
        registered = registration_date(rng, year, today, zero_km)
        age = max((today - registered).days / 365.25, 0.1)
        mileage = mileage_km(rng, age, zero_km)
        status = status_of.get(index, ListingStatus.PUBLISHED)
        published_at = now - timedelta(seconds=rng.uniform(0, PUBLISHED_WITHIN_DAYS * 86400))
        created_at = published_at - timedelta(hours=rng.uniform(1, 96))
        if status == ListingStatus.DRAFT:
            published_at = None
        specs.append(
            {
                "make": car.make,
                "model": car.model,
                "variant": variant.name,
                "year": year,
                "first_registration": registered,
                "vin": make_vin(car, variant, year, serial),
                "mileage_km": mileage,
                "fuel": variant.fuel,
                "transmission": variant.transmission,
                "drive": variant.drive,
                "body_type": car.body,
                "engine_cc": variant.engine_cc,
                "battery_kwh": (Decimal(str(variant.battery_kwh)) if variant.battery_kwh else None),
                "colour": colour,
                "steering": steering(car, year, index),
                "length_mm": car.dims[0],
                "width_mm": car.dims[1],
                "height_mm": car.dims[2],
                "condition_notes": condition_notes(rng, variant, age, zero_km),
                "city": city,
                "price": asking_price(rng, car, variant, age, mileage, zero_km),
                "quantity": rng.randint(2, 5) if zero_km else (2 if rng.random() < 0.04 else 1),
                "status": status,
                "published_at": published_at,
                "created_at": created_at,
            }
        )
    return specs


# Models China builds in right-hand drive for export (Thailand, Australia, the UK, South
# Africa, Japan): the cars a Mombasa or Dar es Salaam importer may bring in (RHD only).
RHD_EXPORT_MODELS = {
    ("BYD", "Dolphin"),
    ("BYD", "Seal"),
    ("BYD", "Yuan Plus"),
    ("BYD", "Han EV"),
    ("Tesla", "Model 3"),
    ("Tesla", "Model Y"),
    ("Great Wall", "Poer"),
    ("Great Wall", "Wingle 7"),
    ("Toyota", "Land Cruiser Prado"),
    ("Haval", "H6"),
    ("Haval", "Jolion"),
    ("Chery", "Tiggo 7 Pro"),
    ("Chery", "Tiggo 8 Pro"),
    ("Geely", "Coolray"),
    ("ORA", "Good Cat"),
    ("Zeekr", "001"),
}
RHD_SHARE = 0.4


def steering(car: CarModel, year: int, index: int) -> str:
    """Right-hand drive for a share of the export models' recent cars; its own random
    stream, so the rest of the demo catalogue stays as it was."""
    if (car.make, car.model) not in RHD_EXPORT_MODELS or year < 2019:
        return "LHD"
    return "RHD" if random.Random(f"rhd-{index}").random() < RHD_SHARE else "LHD"


# Makes that are never painted in some of the common colours.
MAKE_COLOURS = {"Tesla": ("White", "Pearl White", "Black", "Grey", "Silver", "Blue", "Red")}

# Joint ventures building foreign brands rarely sell "zero-mileage" export cars.
FOREIGN_JV_WMIS = {"LVG", "LTV", "LFM", "LHG", "LVH", "LFV", "LSV", "LGB", "LBE", "LJD"} | {
    "LE4",
    "LBV",
    "LSG",
}


def registration_date(rng: random.Random, year: int, today: date, zero_km: bool) -> date:
    if zero_km:
        first, last = date(year, 6, 1), today - timedelta(days=20)
    else:
        first, last = date(year - 1, 10, 1), date(year, 12, 20)
    last = min(last, today - timedelta(days=30))
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def mileage_km(rng: random.Random, age: float, zero_km: bool) -> int:
    if zero_km:
        return rng.randint(5, 60)
    return max(900, int(age * rng.uniform(7000, 19000)))


def asking_price(
    rng: random.Random, car: CarModel, variant: Variant, age: float, mileage: int, zero_km: bool
) -> Decimal:
    new = variant.new_price_k * 1000
    if zero_km:
        value = new * rng.uniform(0.80, 0.88)
    else:
        # Steep in the first years, flatter later (the market's usual curve).
        late = min(0.95, car.retention + 0.05)
        value = new * 0.88 * car.retention ** min(age, 4) * late ** max(age - 4, 0)
        expected = max(age * 13000, 5000)
        value *= min(1.08, max(0.85, 1 - 0.12 * (mileage - expected) / expected))
        value *= rng.uniform(0.95, 1.05)
    return Decimal(max(8000, round(value, -2))).quantize(Decimal("0.01"))


def condition_notes(rng: random.Random, variant: Variant, age: float, zero_km: bool) -> str:
    if zero_km:
        return ZERO_KM_NOTE
    notes = rng.sample(CONDITION_NOTES, k=rng.choice((1, 1, 2)))
    if variant.battery_kwh and age > 1:
        health = max(86, round(100 - age * rng.uniform(1.2, 2.4)))
        notes.append(f"Battery state of health {health}% (test report available).")
    return " ".join(notes)


def _code(text: str, length: int) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return "".join(VIN_CHARS[b % len(VIN_CHARS)] for b in digest[:length])


def make_vin(car: CarModel, variant: Variant, year: int, serial: int) -> str:
    """WMI of the Chinese factory, a VDS per model/variant, year code, plant, serial."""
    vds = _code(f"{car.make}|{car.model}|{variant.name}", 5)
    plant = _code(f"{car.wmi}|{car.model}", 1)
    return with_check_digit(f"{car.wmi}{vds}0{YEAR_CODES[year]}{plant}{serial:06d}")


# --- documents --------------------------------------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def unified_credit_code(region: str, seed: str) -> str:
    """An 18-character unified social credit code (GB 32100) with valid check characters."""
    rng = random.Random(seed)
    body = "MA" + "".join(rng.choice(USCC_CHARS[:-4]) for _ in range(6))
    values = [int(c, 36) for c in body]
    org_check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    org = body + {10: "X", 11: "0"}.get(org_check, str(org_check))
    code = "91" + region + org
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code, USCC_WEIGHTS, strict=False))
    return code + USCC_CHARS[(31 - total % 31) % 31]


def licence_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF (Helvetica text) with a correct cross-reference table."""

    def escape(text: str) -> str:
        text = text.encode("ascii", "replace").decode()
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = [f"BT /F1 18 Tf 72 760 Td ({escape(title)}) Tj ET"]
    for i, line in enumerate([*lines, "", "EX1000 demo data - not a real document."]):
        text.append(f"BT /F1 11 Tf 72 {720 - i * 20} Td ({escape(line)}) Tj ET")
    stream = "\n".join(text).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- photos -----------------------------------------------------------------------------

# Side views facing left, in an 800×500 frame with the ground at y=412.
# fmt: off
SHAPES: dict[str, dict] = {
    "sedan": {
        "body": [(112, 372), (108, 338), (122, 318), (170, 306), (262, 296), (338, 240),
                 (470, 236), (575, 288), (672, 300), (692, 318), (690, 372)],
        "glass": [[(282, 294), (346, 248), (404, 246), (404, 292)],
                  [(414, 292), (414, 245), (462, 244), (550, 290)]],
        "wheels": (235, 580), "radius": 44, "head": (126, 318), "tail": (684, 312),
    },
    "hatchback": {
        "body": [(158, 372), (154, 336), (170, 318), (262, 300), (340, 232), (548, 226),
                 (612, 262), (640, 300), (644, 372)],
        "glass": [[(284, 298), (348, 240), (436, 237), (436, 295)],
                  [(446, 295), (446, 236), (540, 234), (600, 290)]],
        "wheels": (255, 560), "radius": 42, "head": (170, 320), "tail": (636, 296),
    },
    "suv": {
        "body": [(110, 372), (108, 320), (124, 300), (232, 286), (302, 216), (640, 210),
                 (676, 256), (690, 300), (690, 372)],
        "glass": [[(256, 284), (314, 224), (440, 221), (440, 282)],
                  [(452, 282), (452, 220), (632, 218), (664, 280)]],
        "wheels": (240, 585), "radius": 48, "head": (124, 304), "tail": (682, 290),
    },
    "mpv": {
        "body": [(110, 372), (108, 312), (128, 292), (196, 278), (282, 200), (664, 194),
                 (686, 228), (694, 300), (692, 372)],
        "glass": [[(222, 276), (294, 208), (396, 206), (396, 274)],
                  [(408, 274), (408, 205), (534, 203), (534, 272)],
                  [(546, 272), (546, 203), (654, 202), (678, 270)]],
        "wheels": (235, 590), "radius": 44, "head": (126, 296), "tail": (688, 280),
    },
    "van": {
        "body": [(110, 372), (110, 300), (136, 268), (212, 186), (684, 180), (694, 198),
                 (694, 372)],
        "glass": [[(150, 266), (222, 196), (330, 193), (330, 262)],
                  [(350, 262), (350, 193), (520, 191), (520, 262)]],
        "wheels": (220, 600), "radius": 44, "head": (122, 290), "tail": (688, 260),
    },
    "pickup": {
        "body": [(104, 372), (104, 316), (122, 296), (226, 282), (288, 212), (432, 208),
                 (452, 282), (696, 284), (700, 372)],
        "glass": [[(250, 280), (298, 220), (424, 216), (440, 278)]],
        "wheels": (230, 590), "radius": 48, "head": (118, 300), "tail": (692, 300),
    },
    "wagon": {
        "body": [(110, 372), (110, 332), (128, 314), (232, 298), (318, 238), (600, 232),
                 (672, 268), (690, 300), (690, 372)],
        "glass": [[(256, 296), (328, 246), (420, 243), (420, 294)],
                  [(432, 294), (432, 242), (594, 240), (656, 282)]],
        "wheels": (235, 585), "radius": 44, "head": (126, 316), "tail": (682, 292),
    },
}
# fmt: on


def _shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    if factor < 1:
        return tuple(int(c * factor) for c in colour)
    return tuple(int(c + (255 - c) * (factor - 1)) for c in colour)


@cache
def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: fixed-size bitmap font
        return ImageFont.load_default()


@cache
def _backdrop() -> Image.Image:
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE)
    draw = ImageDraw.Draw(image)
    horizon = 330
    for y in range(height):
        if y < horizon:
            t = y / horizon
            colour = (int(214 + 30 * t), int(222 + 24 * t), int(232 + 16 * t))
        else:
            t = (y - horizon) / (height - horizon)
            colour = (int(208 - 36 * t), int(208 - 36 * t), int(210 - 34 * t))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


@cache
def render_photo(title: str, colour: str, body: str) -> bytes:
    """A studio-style placeholder: the car's outline in its paint, titled, as a JPEG."""
    shape = SHAPES.get(body, SHAPES["sedan"])
    paint = PAINT.get(colour, (150, 150, 150))
    image = _backdrop().copy()
    draw = ImageDraw.Draw(image)
    draw.ellipse((80, 392, 720, 430), fill=(150, 150, 154))
    draw.polygon(shape["body"], fill=paint, outline=_shade(paint, 0.55), width=3)
    for glass in shape["glass"]:
        draw.polygon(glass, fill=(58, 70, 86), outline=_shade(paint, 0.6))
    belt = shape["glass"][0][0][1] + 14
    front, rear = shape["body"][1][0] + 20, shape["body"][-1][0] - 20
    draw.line([(front, belt), (rear, belt)], fill=_shade(paint, 0.8), width=2)
    hx, hy = shape["head"]
    tx, ty = shape["tail"]
    draw.ellipse((hx - 6, hy - 6, hx + 28, hy + 8), fill=(250, 246, 222), outline=(120, 120, 120))
    draw.rectangle((tx - 14, ty - 6, tx + 4, ty + 8), fill=(196, 30, 36))
    radius = shape["radius"]
    for x in shape["wheels"]:
        arch = radius + 6
        draw.ellipse((x - arch, 368 - arch, x + arch, 368 + arch), fill=(36, 36, 40))
        draw.ellipse((x - radius, 368 - radius, x + radius, 368 + radius), fill=(24, 24, 26))
        rim = int(radius * 0.6)
        draw.ellipse((x - rim, 368 - rim, x + rim, 368 + rim), fill=(178, 180, 186))
        draw.ellipse((x - 8, 360, x + 8, 376), fill=(96, 96, 102))
    size = 40
    while size > 20 and draw.textlength(title, font=_font(size)) > PHOTO_SIZE[0] - 60:
        size -= 2
    draw.text((30, 26), title, font=_font(size), fill=(34, 38, 46))
    draw.text((30, 26 + size + 10), colour, font=_font(20), fill=(80, 86, 96))
    draw.text((30, 462), "EX1000 demo photo", font=_font(16), fill=(96, 96, 100))
    return _jpeg(image, max(PHOTO_SIZE))


def _jpeg(image: Image.Image, side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side))
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
