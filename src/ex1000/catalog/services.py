"""Every change to listings: create, edit, withdraw, photos, bulk import."""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.forms.models import model_to_dict
from django.utils import timezone
from PIL import Image, ImageOps

from ex1000.accounts.services import require_publisher
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError

from .error_codes import CatalogError
from .forms import LISTING_FIELDS, ListingRows, VehicleForm
from .models import LIVE_STATUSES, ImportJob, ListingStatus, Vehicle, VehiclePhoto

PHOTO_MAX_SIDE = 1920
THUMBNAIL_SIDE = 480
PHOTO_MIN_SIDE = 200
# Refuse decompression bombs before decoding: Pillow itself only warns up to twice its limit.
PHOTO_MAX_PIXELS = 40_000_000


def _form_errors(form) -> dict[str, list[str]]:
    return {
        ("detail" if name == "__all__" else name): list(messages)
        for name, messages in form.errors.items()
    }


def _prepare(vehicle: Vehicle, *, user) -> Vehicle:
    """What every saved listing keeps besides its fields: owner, currency, publication
    time, search words."""
    vehicle.company_id = user.company_id
    vehicle.created_by = vehicle.created_by or user
    vehicle.price_currency = "CNY"
    if vehicle.status == ListingStatus.PUBLISHED and vehicle.published_at is None:
        vehicle.published_at = timezone.now()
    vehicle.search_text = vehicle.build_search_text()
    return vehicle


def _vin_taken() -> AppError:
    return AppError(CoreError.VALIDATION, errors={"vin": [CatalogError.VIN_TAKEN]})


def _save(vehicle: Vehicle) -> Vehicle:
    try:
        with transaction.atomic():
            vehicle.save()
    except IntegrityError as exc:
        # The form checked everything; only a concurrent listing of the same VIN can get
        # here. Anything else is a real fault and must not be reported as a VIN clash.
        clash = Vehicle.objects.filter(vin=vehicle.vin, status__in=LIVE_STATUSES)
        if vehicle.pk:
            clash = clash.exclude(pk=vehicle.pk)
        if vehicle.status not in LIVE_STATUSES or not clash.exists():
            raise
        raise _vin_taken() from exc
    return vehicle


def _save_from_form(form: VehicleForm, *, user) -> Vehicle:
    if not form.is_valid():
        raise AppError(CoreError.VALIDATION, errors=_form_errors(form))
    return _save(_prepare(form.save(commit=False), user=user))


# What a new listing is unless its data says otherwise (the API, the pages, the import).
NEW_LISTING = {"status": ListingStatus.DRAFT, "quantity": 1}


def create_vehicle(*, user, data: dict) -> Vehicle:
    require_publisher(user)
    return _save_from_form(VehicleForm(data={**NEW_LISTING, **data}), user=user)


def _insert(vehicles: list[Vehicle]) -> None:
    """Insert new listings together. On PostgreSQL with COPY: the values go as they are,
    where an INSERT of 1,000 rows would build its SQL field by field (three times slower,
    a third of a large import's time); the database's triggers and constraints apply the
    same. Elsewhere, bulk_create."""
    if connection.vendor != "postgresql":
        Vehicle.objects.bulk_create(vehicles)
        return
    fields = [f for f in Vehicle._meta.concrete_fields if not f.generated and not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    now = timezone.now()
    sql = f"COPY {Vehicle._meta.db_table} ({columns}) FROM STDIN"
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for vehicle in vehicles:
            vehicle.updated_at = now
            copy.write_row([getattr(vehicle, f.attname) for f in fields])


def _live(vins: list[str]) -> set[str]:
    """Which of these VINs a live listing holds (one query for a batch)."""
    live = Vehicle.objects.filter(vin__in=vins, status__in=LIVE_STATUSES)
    return set(live.values_list("vin", flat=True))


def create_vehicles(
    *, user, rows: list[tuple[int, dict]], checker: ListingRows, live_vins: dict[str, int]
) -> tuple[int, list[tuple[int, AppError]]]:
    """Create one batch of a bulk import: each row checked by the listing form, the
    batch's VINs against live listings in one query, the good rows inserted together. A
    row is created whole or not at all; a refused row comes back with its errors.
    ``live_vins`` holds the live VINs this import created so far (VIN → row), so a VIN
    twice in the file is refused on its second row."""
    require_publisher(user)
    refused: list[tuple[int, AppError]] = []
    ready: list[tuple[int, Vehicle]] = []
    for number, data in rows:
        form = checker.check({**NEW_LISTING, **data})
        if form.is_valid():
            ready.append((number, _prepare(form.save(commit=False), user=user)))
        else:
            refused.append((number, AppError(CoreError.VALIDATION, errors=_form_errors(form))))
    # As the form's own check: no row, whatever its status, takes a live listing's VIN.
    taken = _live([vehicle.vin for _, vehicle in ready])
    batch: list[tuple[int, Vehicle]] = []
    for number, vehicle in ready:
        if vehicle.vin in taken or vehicle.vin in live_vins:
            refused.append((number, _vin_taken()))
            continue
        if vehicle.status in LIVE_STATUSES:
            live_vins[vehicle.vin] = number
        batch.append((number, vehicle))
    try:
        with transaction.atomic():
            _insert([vehicle for _, vehicle in batch])
        created = len(batch)
    except IntegrityError:
        # A VIN went live elsewhere since the check: row by row, each whole or not at all.
        created = 0
        for number, vehicle in batch:
            vehicle.pk = None
            try:
                _save(vehicle)
                created += 1
            except AppError as exc:
                live_vins.pop(vehicle.vin, None)
                refused.append((number, exc))
    refused.sort(key=lambda item: item[0])
    return created, refused


def _require_owner(user, vehicle: Vehicle) -> None:
    """Defence in depth: callers scope through selectors, the service checks again."""
    require_publisher(user)
    if vehicle.company_id != user.company_id:
        raise AppError(CoreError.NOT_FOUND)


def update_vehicle(*, user, vehicle: Vehicle, changes: dict) -> Vehicle:
    """Partial update: unchanged fields keep their values."""
    _require_owner(user, vehicle)
    if vehicle.status in (ListingStatus.RESERVED, ListingStatus.SOLD):
        raise AppError(CatalogError.LISTING_LOCKED)
    committed = vehicle.quantity_reserved + vehicle.quantity_sold
    quantity = changes.get("quantity")
    if committed and quantity is not None and str(quantity).isdigit() and int(quantity) < committed:
        raise AppError(
            CatalogError.QUANTITY_BELOW_COMMITTED,
            errors={"quantity": [CatalogError.QUANTITY_BELOW_COMMITTED]},
            committed=committed,
        )
    data = {**model_to_dict(vehicle, fields=LISTING_FIELDS), **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return _save_from_form(VehicleForm(data=data, instance=vehicle), user=user)


def withdraw_vehicle(*, user, vehicle: Vehicle) -> Vehicle:
    """Listings are withdrawn, not erased: orders and quotes may point at them."""
    _require_owner(user, vehicle)
    if vehicle.status in (ListingStatus.RESERVED, ListingStatus.SOLD):
        raise AppError(CatalogError.LISTING_LOCKED)
    vehicle.status = ListingStatus.WITHDRAWN
    vehicle.save(update_fields=["status", "updated_at"])
    return vehicle


def _encode_jpeg(image: Image.Image, side: int) -> tuple[bytes, tuple[int, int]]:
    copy = image.copy()
    copy.thumbnail((side, side))
    # A fresh image carries no metadata: EXIF (GPS, camera serial), XMP and comments stay behind.
    clean = Image.new("RGB", copy.size)
    clean.paste(copy)
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue(), clean.size


def _file_error(code, **params) -> AppError:
    """A refused upload: the code on the request and on its `file` field."""
    return AppError(code, errors={"file": [code]}, **params)


def _too_many_pixels() -> AppError:
    return _file_error(CatalogError.PHOTO_TOO_MANY_PIXELS, megapixels=PHOTO_MAX_PIXELS // 10**6)


def _decode_photo(file) -> Image.Image:
    """Open an untrusted upload: refuse anything that is not a sane image, never crash."""
    try:
        with Image.open(file) as raw:
            width, height = raw.size
            if width * height > PHOTO_MAX_PIXELS:
                raise _too_many_pixels()
            raw.load()
            return ImageOps.exif_transpose(raw).convert("RGB")
    except AppError:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except Exception as exc:  # Pillow raises many kinds on damaged or hostile files
        raise _file_error(CatalogError.PHOTO_UNREADABLE) from exc


def add_photo(*, user, vehicle: Vehicle, file) -> VehiclePhoto:
    _require_owner(user, vehicle)
    if file is None:
        raise _file_error(CoreError.FILE_REQUIRED)
    if file.size > settings.MAX_PHOTO_BYTES:
        raise _file_error(CoreError.FILE_TOO_LARGE, mb=settings.MAX_PHOTO_BYTES // 2**20)
    image = _decode_photo(file)
    if min(image.size) < PHOTO_MIN_SIDE:
        raise _file_error(CatalogError.PHOTO_TOO_SMALL, px=PHOTO_MIN_SIDE)
    name = secrets.token_hex(8)
    full, size = _encode_jpeg(image, PHOTO_MAX_SIDE)
    thumbnail, _ = _encode_jpeg(image, THUMBNAIL_SIDE)
    photo = VehiclePhoto(vehicle=vehicle, position=vehicle.photos.count())
    photo.image.save(f"{name}.jpg", ContentFile(full), save=False)
    photo.thumbnail.save(f"{name}_thumb.jpg", ContentFile(thumbnail), save=False)
    # Set explicitly: ImageField leaves width/height None for a ContentFile without a name.
    photo.width, photo.height = size
    photo.save()
    return photo


def delete_photo(*, user, photo: VehiclePhoto) -> None:
    _require_owner(user, photo.vehicle)
    photo.image.delete(save=False)
    photo.thumbnail.delete(save=False)
    photo.delete()


IMPORT_TYPES = {
    ".csv": "csv",
    ".xlsx": "xlsx",
}


@transaction.atomic
def start_import(*, user, file) -> ImportJob:
    """Store the upload privately and queue the import; the job reports progress."""
    from .tasks import import_vehicles

    require_publisher(user)
    if file is None:
        raise _file_error(CoreError.FILE_REQUIRED)
    name = (getattr(file, "name", "") or "").lower()
    suffix = next((s for s in IMPORT_TYPES if name.endswith(s)), None)
    if suffix is None:
        raise _file_error(CatalogError.UNSUPPORTED_SPREADSHEET)
    if file.size > settings.MAX_IMPORT_BYTES:
        raise _file_error(CoreError.FILE_TOO_LARGE, mb=settings.MAX_IMPORT_BYTES // 2**20)
    job = ImportJob(company_id=user.company_id, user=user, original_name=file.name[:255])
    job.file.save(f"{secrets.token_hex(12)}{suffix}", file, save=False)
    job.save()
    transaction.on_commit(lambda: import_vehicles.enqueue(job_id=job.pk))
    return job


# --- reservation (orders.md): quantity_available = quantity − reserved − sold --------------


def _refresh_listing_status(vehicle_ids) -> None:
    """published ⇄ reserved as units come and go; sold once every unit is sold."""
    vehicles = Vehicle.objects.filter(
        pk__in=vehicle_ids,
        status__in=[ListingStatus.PUBLISHED, ListingStatus.RESERVED, ListingStatus.SOLD],
    )
    vehicles.filter(quantity_sold__gte=F("quantity")).update(status=ListingStatus.SOLD)
    left = vehicles.filter(quantity_sold__lt=F("quantity"))
    left.filter(quantity__lte=F("quantity_reserved") + F("quantity_sold")).update(
        status=ListingStatus.RESERVED
    )
    left.filter(quantity__gt=F("quantity_reserved") + F("quantity_sold")).update(
        status=ListingStatus.PUBLISHED
    )


@transaction.atomic
def reserve_units(wanted: list[tuple[int, int]]) -> None:
    """Hold ``(vehicle_id, quantity)`` for an order, or refuse the whole set (409).

    Each hold is one conditional UPDATE: under concurrency the database re-checks the
    condition on the row it locks, so two acceptances can never both take the last unit
    (and the ``vehicle_not_oversold`` constraint stands behind it)."""
    for vehicle_id, quantity in sorted(wanted):  # one lock order: no deadlocks
        held = Vehicle.objects.filter(
            pk=vehicle_id,
            status=ListingStatus.PUBLISHED,
            quantity__gte=F("quantity_reserved") + F("quantity_sold") + quantity,
        ).update(quantity_reserved=F("quantity_reserved") + quantity)
        if not held:
            vehicle = Vehicle.objects.filter(pk=vehicle_id).first()
            available = (
                vehicle.quantity_available
                if vehicle is not None and vehicle.status == ListingStatus.PUBLISHED
                else 0
            )
            raise AppError(
                CatalogError.VEHICLE_UNAVAILABLE,
                errors={"items": [CatalogError.VEHICLE_UNAVAILABLE]},
                vehicle=vehicle_id,
                available=available,
            )
    _refresh_listing_status([v for v, _ in wanted])


@transaction.atomic
def release_units(held: list[tuple[int, int]]) -> None:
    """An order was cancelled: its units are offered again."""
    for vehicle_id, quantity in sorted(held):
        Vehicle.objects.filter(pk=vehicle_id).update(
            quantity_reserved=Greatest(F("quantity_reserved") - quantity, 0)
        )
    _refresh_listing_status([v for v, _ in held])


@transaction.atomic
def sell_units(held: list[tuple[int, int]]) -> None:
    """An order was completed: its reserved units are sold."""
    for vehicle_id, quantity in sorted(held):
        Vehicle.objects.filter(pk=vehicle_id).update(
            quantity_reserved=Greatest(F("quantity_reserved") - quantity, 0),
            quantity_sold=F("quantity_sold") + quantity,
        )
    _refresh_listing_status([v for v, _ in held])
