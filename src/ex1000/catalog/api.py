from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django_countries import countries
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, field_validator

from ex1000.core.api import Rendered, Text, limit_anonymous, rendered, user_auth
from ex1000.core.money import MoneySchema
from ex1000.privacy.behaviour import record_behaviour

from . import extensions, selectors, services
from .filters import VehicleFilters
from .models import Vehicle

vehicles_router = Router(tags=["catalogue"])
jobs_router = Router(tags=["catalogue"], auth=user_auth)
reference_router = Router(tags=["reference"])


class SupplierOut(Schema):
    id: int
    company_name: str
    country: str
    city: str
    verified: bool


class PhotoOut(Schema):
    id: int
    url: str
    thumbnail_url: str
    width: int
    height: int

    @staticmethod
    def resolve_url(obj):
        return obj.image.url

    @staticmethod
    def resolve_thumbnail_url(obj):
        return obj.thumbnail.url


class VehicleOut(Schema):
    id: int
    title: str
    make: str
    model: str
    variant: str
    year: int
    first_registration: date | None
    vin: str
    mileage_km: int
    fuel: str
    transmission: str
    drive: str
    body_type: str
    engine_cc: int | None
    battery_kwh: Decimal | None
    colour: str
    steering: str
    length_mm: int
    width_mm: int
    height_mm: int
    condition_notes: str
    city: str
    price: MoneySchema
    quantity: int
    quantity_available: int = Field(
        description="quantity − reserved − sold: what new inquiries can still ask for"
    )
    status: str = Field(
        description="draft, published, reserved (no unit available), sold or withdrawn"
    )
    published_at: datetime | None
    supplier: SupplierOut
    photos: list[PhotoOut]
    landed_price: MoneySchema | None = Field(
        None,
        description="search with `destination`: the total of POST /quotes/estimate for this "
        "vehicle alone (quantity 1) under the search's incoterm, mode and currency",
    )
    landed_price_error: str | None = Field(
        None, description="why there is no landed price (e.g. a missing rate)"
    )
    eligible: bool | None = Field(
        None, description="search with `destination`: whether the destination admits it"
    )
    reasons: list[str] | None = Field(None, description="why it is not eligible")

    @staticmethod
    def resolve_price(obj: Vehicle):
        return MoneySchema.of(obj.price, obj.price_currency)

    @staticmethod
    def resolve_supplier(obj: Vehicle):
        company = obj.company
        return {
            "id": company.pk,
            "company_name": company.name,
            "country": company.country.code,
            "city": company.city,
            "verified": company.is_verified,
        }

    @staticmethod
    def resolve_photos(obj: Vehicle):
        return list(obj.photos.all())


class FacetValue(Schema):
    value: str | int
    count: int


class EligibilityOut(Schema):
    country: str
    max_age_years: int | None = Field(None, description="age = this year − model year")
    steering: list[str] | None = Field(None, description="sides admitted; null: any")
    inspection: str | None = None


class VehicleList(Schema):
    items: list[VehicleOut]
    count: int = Field(
        description="exact up to 12,500 results; above, an estimate to two significant "
        "figures (count_exact false); pages reach the first 12,500 results"
    )
    count_exact: bool = Field(description="false when count and facet counts are estimates")
    page: int
    page_size: int
    facets: dict[str, list[FacetValue]] = Field(
        description="counts per make, body_type, fuel, year; with destination also eligible "
        "(eligible / not_eligible)"
    )
    eligibility: EligibilityOut | None = Field(
        None, description="with destination: the rules its country applies to imported cars"
    )


class CnyMoney(MoneySchema):
    @field_validator("currency")
    @classmethod
    def only_cny(cls, value: str) -> str:
        if value.upper() != "CNY":
            raise ValueError("asking prices are ex-works in CNY")
        return "CNY"


class VehiclePatch(Schema):
    make: Text | None = Field(None, max_length=50)
    model: Text | None = Field(None, max_length=80)
    variant: Text | None = Field(None, max_length=120)
    year: int | None = Field(None, ge=1900, le=2100)
    first_registration: date | None = None
    vin: Text | None = Field(None, max_length=17)
    mileage_km: int | None = Field(None, ge=0, le=5_000_000)
    fuel: Text | None = None
    transmission: Text | None = None
    drive: Text | None = None
    body_type: Text | None = None
    engine_cc: int | None = Field(None, ge=0, le=20_000)
    battery_kwh: Decimal | None = Field(None, ge=0, le=1000, decimal_places=1)
    colour: Text | None = Field(None, max_length=40)
    steering: Text | None = None
    length_mm: int | None = Field(None, ge=0, le=100_000)
    width_mm: int | None = Field(None, ge=0, le=100_000)
    height_mm: int | None = Field(None, ge=0, le=100_000)
    condition_notes: Text | None = Field(None, max_length=5000)
    city: Text | None = Field(None, max_length=80)
    price: CnyMoney | None = None
    quantity: int | None = Field(None, ge=1, le=10_000)
    status: Text | None = Field(None, description="draft, published or withdrawn")

    def changes(self) -> dict:
        data = self.dict(exclude_unset=True)
        if "price" in data:
            data["price"] = data["price"]["amount"] if data["price"] else None
        return data


class VehicleIn(VehiclePatch):
    make: Text = Field(max_length=50)
    model: Text = Field(max_length=80)
    year: int = Field(ge=1900, le=2100)
    vin: Text = Field(max_length=17)
    mileage_km: int = Field(ge=0, le=5_000_000)
    fuel: Text
    transmission: Text
    drive: Text
    body_type: Text
    steering: Text
    length_mm: int = Field(ge=0, le=100_000)
    width_mm: int = Field(ge=0, le=100_000)
    height_mm: int = Field(ge=0, le=100_000)
    city: Text = Field(max_length=80)
    price: CnyMoney


class JobError(Schema):
    row: int
    field: str
    code: str | None = Field(None, description="the error code, for problems of the catalogue")
    message: str


class JobOut(Schema):
    id: int
    status: str
    progress: int
    total: int
    processed: int
    created: int
    errors: list[JobError]
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_errors(obj):
        return selectors.import_job_errors(obj)


class JobAccepted(Schema):
    id: int
    job_id: int
    status: str
    url: str

    @staticmethod
    def resolve_job_id(obj):
        return obj.pk

    @staticmethod
    def resolve_url(obj):
        return f"/api/v1/jobs/{obj.pk}"


class CountryOut(Schema):
    code: str
    name: str


@vehicles_router.get("", response=VehicleList)
def search(request: HttpRequest, filters: Query[VehicleFilters]):
    """Published listings; with `destination` each carries its landed price (priced once per
    page against the rate book in force)."""
    limit_anonymous(request, "search")
    variant = extensions.variant_of(request)
    key = None if variant is None else ("api", filters.model_dump(), get_language(), variant)
    answer = selectors.cached_answer(key, lambda: _answer(filters))
    record_behaviour(
        request.user, "search", **filters.dict(exclude_none=True), results=answer.count
    )
    return answer.response()


def _answer(filters: VehicleFilters) -> Rendered:
    found = selectors.search_vehicles(filters)
    for enrich in extensions.api_search:  # quotes: landed prices
        enrich(found.items, filters)
    data = {
        "items": found.items,
        "count": found.count,
        "count_exact": found.exact,
        "page": filters.page,
        "page_size": filters.page_size,
        "facets": found.facets,
        "eligibility": found.eligibility,
    }
    return rendered(VehicleList, data, found.count)


@vehicles_router.get("/mine", response=list[VehicleOut], auth=user_auth)
def my_vehicles(request: HttpRequest):
    return list(selectors.own_vehicles(request.user))


@vehicles_router.post("", response={201: VehicleOut}, auth=user_auth)
def create(request: HttpRequest, payload: VehicleIn):
    return Status(201, services.create_vehicle(user=request.user, data=payload.changes()))


@vehicles_router.post("/import", response={202: JobAccepted}, auth=user_auth)
def bulk_import(request: HttpRequest, file: File[UploadedFile]):
    job = services.start_import(user=request.user, file=file)
    job.refresh_from_db()
    return Status(202, job)


@vehicles_router.get("/{int:vehicle_id}", response=VehicleOut)
def detail(request: HttpRequest, vehicle_id: int):
    return selectors.public_vehicle(vehicle_id)


@vehicles_router.patch("/{int:vehicle_id}", response=VehicleOut, auth=user_auth)
def update(request: HttpRequest, vehicle_id: int, payload: VehiclePatch):
    vehicle = selectors.own_vehicle(request.user, vehicle_id)
    return services.update_vehicle(user=request.user, vehicle=vehicle, changes=payload.changes())


@vehicles_router.delete("/{int:vehicle_id}", response={204: None}, auth=user_auth)
def withdraw(request: HttpRequest, vehicle_id: int):
    vehicle = selectors.own_vehicle(request.user, vehicle_id)
    services.withdraw_vehicle(user=request.user, vehicle=vehicle)
    return Status(204, None)


@vehicles_router.post("/{int:vehicle_id}/photos", response={201: PhotoOut}, auth=user_auth)
def upload_photo(request: HttpRequest, vehicle_id: int, file: File[UploadedFile]):
    vehicle = selectors.own_vehicle(request.user, vehicle_id)
    return Status(201, services.add_photo(user=request.user, vehicle=vehicle, file=file))


@jobs_router.get("/{int:job_id}", response=JobOut)
def job_status(request: HttpRequest, job_id: int):
    return get_object_or_404(selectors.import_jobs_of(request.user), pk=job_id)


@reference_router.get("/countries", response=list[CountryOut])
def country_list(request: HttpRequest):
    return [{"code": code, "name": str(name)} for code, name in countries]
