"""Test data builders; listings get VINs with a correct check digit."""

import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from ex1000.accounts.models import Company, Role, User, VerificationStatus
from ex1000.catalog.models import ListingStatus, Vehicle
from ex1000.catalog.validation import with_check_digit

PASSWORD = "Correct-Horse-42"
_serial = itertools.count(100000)


def new_vin() -> str:
    return with_check_digit(f"LGXCE4CB0K{next(_serial):07d}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Hangzhou Auto Export {n} Co., Ltd.")
    country = "CN"
    city = "Hangzhou"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")
    role = Role.BUYER
    country = "KZ"
    company = factory.SubFactory(CompanyFactory, country="KZ", city="Almaty")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def two_factor(obj, create, extracted, **kwargs):
        """Enrolled in two-factor (a confirmed TOTP device) when the role must use it, as a
        real account of that role would be after its first login; ``two_factor=False``
        leaves it without, ``two_factor=True`` enrols any role."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from ex1000.accounts.selectors import two_factor_required

        wanted = two_factor_required(obj) if extracted is None else extracted
        if create and wanted:
            TOTPDevice.objects.create(user=obj, name="authenticator", confirmed=True)


class BuyerFactory(UserFactory):
    role = Role.BUYER


class SupplierFactory(UserFactory):
    role = Role.SUPPLIER
    country = "CN"
    company = factory.SubFactory(
        CompanyFactory,
        verification_status=VerificationStatus.APPROVED,
        verified_at=factory.LazyFunction(timezone.now),
    )


class UnverifiedSupplierFactory(SupplierFactory):
    company = factory.SubFactory(CompanyFactory)


class PartnerFactory(UserFactory):
    """A logistics partner (forwarder, carrier) of a verified company."""

    role = Role.LOGISTICS
    company = factory.SubFactory(
        CompanyFactory,
        name=factory.Sequence(lambda n: f"Khorgos Forwarding {n} LLP"),
        country="KZ",
        city="Khorgos",
        verification_status=VerificationStatus.APPROVED,
        verified_at=factory.LazyFunction(timezone.now),
    )


class UnverifiedPartnerFactory(PartnerFactory):
    company = factory.SubFactory(CompanyFactory, country="KZ", city="Almaty")


class OperatorFactory(UserFactory):
    role = Role.OPERATOR
    is_staff = True
    is_superuser = True
    company = None


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    company = factory.SubFactory(CompanyFactory, verification_status=VerificationStatus.APPROVED)
    make = "BYD"
    model = "Song Plus"
    variant = "DM-i 110km Flagship"
    year = 2022
    vin = factory.LazyFunction(new_vin)
    mileage_km = 30000
    fuel = "phev"
    transmission = "automatic"
    drive = "fwd"
    body_type = "suv"
    colour = "White"
    steering = "LHD"
    length_mm = 4775
    width_mm = 1890
    height_mm = 1670
    city = "Hangzhou"
    price = Decimal("118000.00")
    quantity = 1
    status = ListingStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    search_text = factory.LazyAttribute(lambda o: "")

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        obj.search_text = obj.build_search_text()
        if create:
            obj.save(update_fields=["search_text"])
