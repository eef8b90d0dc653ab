import functools
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ex1000.accounts.models import Company, private_storage
from ex1000.core.personal_data import PersonalData

from .search_terms import aliases_for, vin_words


class Fuel(models.TextChoices):
    PETROL = "petrol", _("Petrol")
    DIESEL = "diesel", _("Diesel")
    HYBRID = "hybrid", _("Hybrid")
    PHEV = "phev", _("Plug-in hybrid")
    BEV = "bev", _("Battery electric")


class Transmission(models.TextChoices):
    MANUAL = "manual", _("Manual")
    AUTOMATIC = "automatic", _("Automatic")
    CVT = "cvt", _("CVT")
    DCT = "dct", _("Dual-clutch")


class Drive(models.TextChoices):
    FWD = "fwd", _("Front-wheel drive")
    RWD = "rwd", _("Rear-wheel drive")
    AWD = "awd", _("All-wheel drive")
    FOUR_WD = "4wd", _("Four-wheel drive")


class BodyType(models.TextChoices):
    SEDAN = "sedan", _("Sedan")
    HATCHBACK = "hatchback", _("Hatchback")
    SUV = "suv", _("SUV")
    MPV = "mpv", _("MPV")
    WAGON = "wagon", _("Wagon")
    COUPE = "coupe", _("Coupe")
    PICKUP = "pickup", _("Pickup")
    VAN = "van", _("Van")


class Steering(models.TextChoices):
    LHD = "LHD", _("Left-hand drive")
    RHD = "RHD", _("Right-hand drive")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RESERVED = "reserved", _("Reserved")
    SOLD = "sold", _("Sold")
    WITHDRAWN = "withdrawn", _("Withdrawn")


LIVE_STATUSES = (ListingStatus.DRAFT, ListingStatus.PUBLISHED, ListingStatus.RESERVED)
# A reserved listing stays in view (orders.md): it shows as reserved, takes no inquiries,
# and is offered again if its order is cancelled.
PUBLIC_STATUSES = (ListingStatus.PUBLISHED, ListingStatus.RESERVED)
PUBLIC = Q(status__in=[status.value for status in PUBLIC_STATUSES])
SAMPLE_KEYS = 2**31


def new_sample_key() -> int:
    return secrets.randbelow(SAMPLE_KEYS)


class Vehicle(models.Model):
    company = models.ForeignKey(
        Company, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="vehicles"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    make = models.CharField(_("make"), max_length=50)
    model = models.CharField(_("model"), max_length=80)
    variant = models.CharField(_("variant"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(_("model year"))
    first_registration = models.DateField(_("first registration"), null=True, blank=True)
    vin = models.CharField(_("VIN"), max_length=17)
    mileage_km = models.PositiveIntegerField(_("mileage (km)"))
    fuel = models.CharField(_("fuel"), max_length=10, choices=Fuel.choices)
    transmission = models.CharField(_("transmission"), max_length=10, choices=Transmission.choices)
    drive = models.CharField(_("drive"), max_length=4, choices=Drive.choices)
    body_type = models.CharField(_("body type"), max_length=10, choices=BodyType.choices)
    engine_cc = models.PositiveIntegerField(_("engine size (cc)"), null=True, blank=True)
    battery_kwh = models.DecimalField(
        _("battery capacity (kWh)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    colour = models.CharField(_("colour"), max_length=40, blank=True)
    steering = models.CharField(_("steering"), max_length=3, choices=Steering.choices)
    length_mm = models.PositiveIntegerField(_("length (mm)"))
    width_mm = models.PositiveIntegerField(_("width (mm)"))
    height_mm = models.PositiveIntegerField(_("height (mm)"))
    condition_notes = models.TextField(_("condition notes"), blank=True)
    city = models.CharField(_("location (city)"), max_length=80)
    price = models.DecimalField(_("asking price"), max_digits=12, decimal_places=2)
    price_currency = models.CharField(_("currency"), max_length=3, default="CNY")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    # Units held by open orders and units sold; available = quantity − reserved − sold.
    quantity_reserved = models.PositiveIntegerField(_("quantity reserved"), default=0)
    quantity_sold = models.PositiveIntegerField(_("quantity sold"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Lower-cased words of the listing, kept by services; PostgreSQL indexes it (GIN).
    search_text = models.TextField(editable=False, default="")
    # A random number fixed at creation: the first listings of a search in this order are
    # a uniform sample of it, which estimates counts too large to count (selectors.tally).
    sample_key = models.IntegerField(default=new_sample_key, editable=False)
    # The filters' keys (make=toyota finds "Toyota"): plain columns with statistics, so the
    # planner knows how many cars a make has, and plain indexes serve them.
    make_key = models.GeneratedField(
        expression=Lower("make"), output_field=models.CharField(max_length=50), db_persist=True
    )
    model_key = models.GeneratedField(
        expression=Lower("model"), output_field=models.CharField(max_length=80), db_persist=True
    )
    city_key = models.GeneratedField(
        expression=Lower("city"), output_field=models.CharField(max_length=80), db_persist=True
    )

    personal_data = PersonalData(
        not_personal=(
            "id",
            "company",
            "created_by",
            "make",
            "model",
            "variant",
            "year",
            "first_registration",
            "vin",
            "mileage_km",
            "fuel",
            "transmission",
            "drive",
            "body_type",
            "engine_cc",
            "battery_kwh",
            "colour",
            "steering",
            "length_mm",
            "width_mm",
            "height_mm",
            "condition_notes",
            "city",
            "price",
            "price_currency",
            "quantity",
            "quantity_reserved",
            "quantity_sold",
            "status",
            "published_at",
            "created_at",
            "updated_at",
            "search_text",
            "sample_key",
            "make_key",
            "model_key",
            "city_key",
        ),
        subject="created_by",
    )

    class Meta:
        verbose_name = _("vehicle listing")
        verbose_name_plural = _("vehicle listings")
        constraints = [
            models.UniqueConstraint(
                fields=["vin"],
                condition=Q(status__in=["draft", "published", "reserved"]),
                name="unique_vin_among_live_listings",
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="vehicle_price_positive"),
            # A car is never sold twice, whatever the code above the database does.
            models.CheckConstraint(
                condition=Q(quantity_reserved__lte=F("quantity") - F("quantity_sold")),
                name="vehicle_not_oversold",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1950) & Q(year__lte=2100), name="vehicle_year_plausible"
            ),
        ]
        indexes = [
            # Search reads only public listings: partial indexes, one per way of narrowing
            # or ordering the results (catalog.selectors); PostgreSQL adds the covering
            # sample index (migration 0005).
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="vehicle_public_published",
                condition=PUBLIC,
            ),
            models.Index(
                fields=["make_key", "model_key", "year"],
                name="vehicle_public_make",
                condition=PUBLIC,
            ),
            models.Index(fields=["price", "id"], name="vehicle_public_price", condition=PUBLIC),
            models.Index(fields=["year", "id"], name="vehicle_public_year", condition=PUBLIC),
            models.Index(
                fields=["mileage_km", "id"], name="vehicle_public_mileage", condition=PUBLIC
            ),
            models.Index(
                fields=["fuel", "body_type"], name="vehicle_public_fuel_body", condition=PUBLIC
            ),
            models.Index(fields=["body_type"], name="vehicle_public_body", condition=PUBLIC),
            models.Index(fields=["city_key"], name="vehicle_public_city", condition=PUBLIC),
            models.Index(fields=["company", "status"], name="vehicle_company"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.make} {self.model} {self.variant}".strip()

    @property
    def title(self) -> str:
        return str(self)

    @property
    def quantity_available(self) -> int:
        return max(self.quantity - self.quantity_reserved - self.quantity_sold, 0)

    def build_search_text(self) -> str:
        return search_text_of(self)

    def validate_constraints(self, exclude=None):
        """A new listing has nothing reserved or sold, and VehicleForm checks its VIN among
        live listings, its price and its year; Django would check the constraints again
        with a query each (four per listing, most of a bulk import's time). Edits keep the
        check: a quantity below what orders hold is refused as a field error."""
        if not self._state.adding:
            super().validate_constraints(exclude)


@functools.cache
def _labels(choices: type[models.TextChoices], value: str) -> tuple[str, ...]:
    """A choice's label in every language of the site: the text is the same whichever
    language the listing was saved in, and a buyer finds "гибрид" or "混动" as well.
    Kept for the process: the catalogues do not change while it runs, and switching the
    language six times was most of the cost of a listing's words."""
    if value not in choices.values:
        return ()
    label = choices(value).label
    labels = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.append(str(label))
    return tuple(dict.fromkeys(labels))


def search_text_of(vehicle) -> str:
    """The words a listing is found by (also used by the migration that rebuilt them)."""
    words = [
        vehicle.make,
        vehicle.model,
        *aliases_for(vehicle.make, vehicle.model),
        vehicle.variant,
        str(vehicle.year),
        vehicle.colour,
        vehicle.city,
        vehicle.fuel,
        *_labels(Fuel, vehicle.fuel),
        vehicle.body_type,
        *_labels(BodyType, vehicle.body_type),
        *vin_words(vehicle.vin),
        vehicle.condition_notes,
    ]
    return " ".join(w for w in words if w).lower()


def photo_path(instance: "VehiclePhoto", filename: str) -> str:
    return f"vehicles/{instance.vehicle_id}/{filename}"


class VehiclePhoto(models.Model):
    """Re-encoded on upload: no EXIF (no GPS) ever reaches the public URL."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=photo_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        not_personal=(
            "id",
            "vehicle",
            "image",
            "thumbnail",
            "width",
            "height",
            "position",
            "created_at",
        ),
        subject="vehicle__created_by",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"photo {self.pk} of {self.vehicle_id}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A supplier's CSV/XLSX upload, imported row by row by a background task."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="import_jobs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    file = models.FileField(upload_to="imports/%Y%m/", storage=private_storage)
    original_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        not_personal=(
            "id",
            "company",
            "user",
            "file",
            "original_name",
            "status",
            "total",
            "processed",
            "created",
            "errors",
            "created_at",
            "started_at",
            "finished_at",
        ),
    )

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def progress(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.processed * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
