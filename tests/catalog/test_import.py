"""Bulk import of a supplier's stock from CSV/XLSX: a job with progress and per-row errors."""

import csv
import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ex1000.catalog.models import ImportJob, Vehicle
from tests.factories import SupplierFactory, UnverifiedSupplierFactory, new_vin
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

COLUMNS = [
    "make",
    "model",
    "year",
    "vin",
    "mileage_km",
    "fuel",
    "transmission",
    "drive",
    "body_type",
    "steering",
    "length_mm",
    "width_mm",
    "height_mm",
    "city",
    "price",
    "status",
]


def row(**overrides) -> dict:
    values = {
        "make": "BYD",
        "model": "Han",
        "year": "2022",
        "vin": new_vin(),
        "mileage_km": "12000",
        "fuel": "bev",
        "transmission": "automatic",
        "drive": "fwd",
        "body_type": "sedan",
        "steering": "LHD",
        "length_mm": "4995",
        "width_mm": "1910",
        "height_mm": "1495",
        "city": "Shenzhen",
        "price": "150000",
        "status": "published",
    }
    values.update(overrides)
    return values


def to_csv(rows, delimiter=",", columns=COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for item in rows:
        writer.writerow([] if item is None else [item.get(c, "") for c in columns])
    return buffer.getvalue()


def to_xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*COLUMNS, "first_registration"])
    for item in rows:
        if item is None:
            sheet.append([])
            continue
        cells = []
        for column in [*COLUMNS, "first_registration"]:
            value = item.get(column, "")
            # what Excel stores: numbers as numbers, dates as dates
            if column in ("year", "mileage_km", "length_mm", "width_mm", "height_mm"):
                value = int(value) if str(value).isdigit() else value
            if column == "price" and value:
                value = float(value)
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def seller(login_api, supplier):
    return login_api(supplier)


@pytest.fixture
def start_import(django_capture_on_commit_callbacks):
    """Upload a file and let the (immediate) task run once the request commits."""

    def _start(client, content, name="stock.csv", headers=None):
        if isinstance(content, str):
            content = content.encode()
        with django_capture_on_commit_callbacks(execute=True):
            return client.upload(
                "vehicles/import",
                {"file": SimpleUploadedFile(name, content, "text/csv")},
                headers=headers,
            )

    return _start


def _job(client, response):
    assert response.status_code == 202, response.content
    accepted = response.json()
    assert accepted["id"] == accepted["job_id"]
    assert accepted["url"] == f"/api/v1/jobs/{accepted['id']}"
    job = client.get(f"jobs/{accepted['id']}")
    assert job.status_code == 200, job.content
    return job.json()


def _errors_by_row(job) -> dict[int, set[str]]:
    result: dict[int, set[str]] = {}
    for error in job["errors"]:
        assert set(error) == {"row", "field", "code", "message"}
        assert error["message"]
        result.setdefault(error["row"], set()).add(error["field"])
    return result


def test_csv_with_good_and_bad_rows(seller, supplier, start_import):
    good = [row(), row(model="Seal", body_type="sedan"), row(make="Geely", model="Monjaro")]
    bad_vin = row(vin="LGXCE4CB0K10000I1")
    bad_year = row(year="1901")
    bad_fuel = row(fuel="coal", price="-3")
    rows = [good[0], bad_vin, good[1], bad_year, None, bad_fuel, good[2]]

    job = _job(seller, start_import(seller, to_csv(rows)))

    assert job["status"] == "done"
    assert job["progress"] == 100
    assert job["processed"] == job["total"] == 6
    assert job["created"] == 3
    # the header is row 1; the blank line is row 6 and still counts
    assert _errors_by_row(job) == {3: {"vin"}, 5: {"year"}, 7: {"fuel", "price"}}
    assert job["finished_at"] is not None
    vins = set(Vehicle.objects.values_list("vin", flat=True))
    assert vins == {r["vin"] for r in good}
    assert not {bad_vin["vin"], bad_year["vin"], bad_fuel["vin"]} & vins
    assert all(v.company == supplier.company for v in Vehicle.objects.all())


def test_imported_listings_are_public_when_published(seller, start_import, api):
    start_import(seller, to_csv([row(model="Seal"), row(model="Dolphin", status="draft")]))

    models = [item["model"] for item in api.get("vehicles").json()["items"]]

    assert models == ["Seal"]


def test_a_duplicate_vin_in_the_file_is_reported_on_its_row(seller, start_import):
    vin = new_vin()

    job = _job(seller, start_import(seller, to_csv([row(vin=vin), row(vin=vin)])))

    assert job["created"] == 1
    assert _errors_by_row(job) == {3: {"vin"}}


def test_missing_columns_are_reported_per_row(seller, start_import):
    columns = [c for c in COLUMNS if c != "city"]

    job = _job(seller, start_import(seller, to_csv([row(), row()], columns=columns)))

    assert job["created"] == 0
    assert _errors_by_row(job) == {2: {"city"}, 3: {"city"}}


def test_rows_with_extra_cells_and_semicolons_are_read(seller, start_import):
    text = to_csv([row(), row()], delimiter=";")
    lines = text.splitlines()
    lines[1] += ";;unexpected extra cell"

    job = _job(seller, start_import(seller, "\r\n".join(lines) + "\r\n"))

    assert (job["status"], job["created"], job["errors"]) == ("done", 2, [])


def test_quoted_cells_with_commas_and_line_breaks(seller, start_import):
    columns = [*COLUMNS, "condition_notes"]
    notes = "Minor scratches, rear bumper;\nnew tyres, 2 keys"

    text = to_csv([row(condition_notes=notes), row(year="1800")], columns=columns)
    job = _job(seller, start_import(seller, text))

    assert job["created"] == 1
    assert Vehicle.objects.get().condition_notes == notes
    assert _errors_by_row(job) == {3: {"year"}}


def test_xlsx_works_too(seller, start_import):
    rows = [row(first_registration=datetime(2022, 3, 1)), row(vin="BAD"), None, row()]

    job = _job(seller, start_import(seller, to_xlsx(rows), name="Stock 2026.XLSX"))

    assert job["status"] == "done"
    assert job["created"] == 2
    assert _errors_by_row(job) == {3: {"vin"}}
    registered = Vehicle.objects.exclude(first_registration=None).get()
    assert registered.first_registration.isoformat() == "2022-03-01"
    assert {v.price for v in Vehicle.objects.all()} == {150000}


def test_gb18030_csv_with_chinese_city_names(seller, start_import, api):
    rows = [row(make="比亚迪", model="汉", city="杭州"), row(make="吉利", city="重庆")]

    job = _job(seller, start_import(seller, to_csv(rows).encode("gb18030")))

    assert (job["status"], job["created"], job["errors"]) == ("done", 2, [])
    assert set(Vehicle.objects.values_list("city", flat=True)) == {"杭州", "重庆"}
    assert api.get("vehicles", {"city": "杭州"}).json()["count"] == 1
    assert api.get("vehicles", {"make": "比亚迪"}).json()["items"][0]["model"] == "汉"


def test_utf8_with_bom_from_excel(seller, start_import):
    job = _job(seller, start_import(seller, "\ufeff" + to_csv([row(city="Ürümqi")])))

    assert job["created"] == 1 and job["errors"] == []


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"PK\x03\x04 this is not really a workbook", "stock.xlsx"),
        (bytes(range(256)) * 8, "stock.csv"),
    ],
)
def test_an_unreadable_file_fails_the_job_with_a_reason(seller, start_import, content, name):
    job = _job(seller, start_import(seller, content, name=name))

    assert job["status"] == "failed"
    assert job["created"] == 0
    assert job["errors"][0]["field"] == "file" and job["errors"][0]["message"]
    assert job["errors"][0]["code"] in ("import_unreadable_xlsx", "import_bad_encoding")


def test_an_empty_file_imports_nothing(seller, start_import):
    job = _job(seller, start_import(seller, ""))

    assert (job["status"], job["total"], job["created"], job["progress"]) == ("done", 0, 0, 100)


def test_a_job_that_crashes_is_marked_failed(seller, start_import, monkeypatch):
    from ex1000.catalog import services

    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "create_vehicles", explode)

    job = _job(seller, start_import(seller, to_csv([row()])))

    assert job["status"] == "failed"
    assert "disk on fire" not in str(job["errors"])
    assert [e["code"] for e in job["errors"]] == ["import_failed"]


def test_other_file_types_are_refused(seller, start_import):
    response = start_import(seller, "make,model\n", name="stock.txt")

    assert_problem(response, 422, "file")
    assert response.json()["code"] == "unsupported_spreadsheet"
    assert not ImportJob.objects.exists()


def test_only_verified_suppliers_import(login_api, start_import, buyer):
    for user in (UnverifiedSupplierFactory(), buyer):
        assert_problem(start_import(login_api(user), to_csv([row()])), 403)
    assert not ImportJob.objects.exists()
    assert not Vehicle.objects.exists()


def test_import_needs_authentication(api, start_import):
    assert_problem(start_import(api, to_csv([row()])), 401)


def test_another_users_job_is_404(seller, start_import, login_api):
    job = _job(seller, start_import(seller, to_csv([row()])))
    other = login_api(SupplierFactory())

    assert_problem(other.get(f"jobs/{job['id']}"), 404)
    assert_problem(other.get("jobs/999999"), 404)


def test_job_status_needs_authentication(seller, start_import, api):
    job = _job(seller, start_import(seller, to_csv([row()])))

    assert_problem(api.get(f"jobs/{job['id']}"), 401)


def test_progress_of_a_queued_job(seller, supplier):
    job = ImportJob.objects.create(company=supplier.company, user=supplier, total=0)
    assert seller.get(f"jobs/{job.pk}").json()["progress"] == 0

    ImportJob.objects.filter(pk=job.pk).update(status="running", total=8, processed=2)

    body = seller.get(f"jobs/{job.pk}").json()
    assert (body["status"], body["progress"], body["processed"]) == ("running", 25, 2)


def test_a_price_in_another_currency_is_not_taken_as_cny(seller, start_import):
    columns = [*COLUMNS, "currency"]
    rows = [row(currency="USD", price="20000"), row(currency="cny"), row()]

    job = _job(seller, start_import(seller, to_csv(rows, columns=columns)))

    assert job["created"] == 2
    assert _errors_by_row(job) == {2: {"currency"}}
    assert job["errors"][0]["code"] == "price_not_cny"
    assert not Vehicle.objects.filter(price=20000).exists()


def test_job_errors_are_stored_as_codes_or_msgids_and_shown_in_the_readers_language(
    seller, start_import
):
    columns = [c for c in [*COLUMNS, "currency"] if c != "city"]
    rows = [row(currency="USD"), row()]
    job = _job(
        seller,
        start_import(seller, to_csv(rows, columns=columns), headers={"Accept-Language": "ru"}),
    )

    stored = ImportJob.objects.get(pk=job["id"]).errors
    assert {e.get("code") for e in stored} == {"price_not_cny", None}
    assert {"row": 3, "field": "city", "message": "This field is required."} in stored
    russian = seller.get(f"jobs/{job['id']}", headers={"Accept-Language": "ru"}).json()
    city = next(e for e in russian["errors"] if e["field"] == "city")
    assert (city["code"], city["message"]) == (None, "Это поле обязательно.")


def test_a_file_in_another_layout_is_refused_once_for_its_columns(seller, start_import):
    text = "Brand,Model,Year,Price\nBYD,Han,2022,150000\nToyota,Camry,2021,135000\n"

    job = _job(seller, start_import(seller, text))

    assert job["status"] == "failed" and job["created"] == 0
    (error,) = job["errors"]
    assert error["code"] == "import_wrong_columns" and error["field"] == "file"
    assert "don't match the template" in error["message"]
    assert "vin" in error["message"] and "brand" in error["message"]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two rows, and every save of the job's progress as the page would see it."""
    from ex1000.catalog import tasks

    monkeypatch.setattr(tasks, "BATCH_ROWS", 2)
    seen = []
    save = ImportJob.save

    def recording(self, *args, **kwargs):
        save(self, *args, **kwargs)
        stored = ImportJob.objects.get(pk=self.pk)
        if stored.status == "running" and stored.processed:
            seen.append((stored.processed, stored.total, stored.created, len(stored.errors)))

    monkeypatch.setattr(ImportJob, "save", recording)
    return seen


def test_a_file_is_imported_a_batch_at_a_time_with_progress_after_each(
    seller, start_import, small_batches
):
    vin = new_vin()
    rows = [row(), row(vin=vin), row(year="1901"), row(), row(vin=vin)]

    job = _job(seller, start_import(seller, to_csv(rows)))

    # processed, total, created, problems stored after each batch of two rows (the list of
    # problems at most every tenth batch, and at the end)
    assert small_batches == [(2, 5, 2, 0), (4, 5, 3, 1), (5, 5, 3, 1)]
    assert (job["status"], job["total"], job["created"], job["progress"]) == ("done", 5, 3, 100)
    # the VIN seen in the first batch is refused on its second row, in a later batch
    assert _errors_by_row(job) == {4: {"year"}, 6: {"vin"}}
    assert Vehicle.objects.filter(vin=vin).count() == 1


def test_a_vin_already_live_elsewhere_is_refused_but_a_withdrawn_one_is_free(
    seller, start_import, small_batches
):
    from tests.factories import VehicleFactory

    live = VehicleFactory(status="published")
    withdrawn = VehicleFactory(status="withdrawn")

    vin = new_vin()
    rows = [
        row(vin=live.vin),
        row(vin=live.vin, status="withdrawn"),  # as on the form: a live VIN is taken
        row(vin=withdrawn.vin),
        row(vin=vin),
        row(vin=vin, status="withdrawn"),  # listed live a row before
    ]

    job = _job(seller, start_import(seller, to_csv(rows)))

    assert job["created"] == 2
    assert _errors_by_row(job) == {2: {"vin"}, 3: {"vin"}, 6: {"vin"}}
    assert {e["code"] for e in job["errors"]} == {"vin_taken"}


def test_a_vin_listed_elsewhere_during_the_import_fails_only_its_own_row(
    seller, supplier, start_import, monkeypatch
):
    """Between the batch's VIN check and its insert another listing takes a VIN: the
    batch goes in row by row, each whole or not at all."""
    from ex1000.catalog import services
    from tests.factories import VehicleFactory

    rows = [row(), row(), row()]
    VehicleFactory(vin=rows[1]["vin"], status="draft")
    monkeypatch.setattr(services, "_live", lambda vins: set())  # the check saw none

    job = _job(seller, start_import(seller, to_csv(rows)))

    assert (job["status"], job["created"]) == ("done", 2)
    assert _errors_by_row(job) == {3: {"vin"}}
    mine = Vehicle.objects.filter(company=supplier.company).values_list("vin", flat=True)
    assert set(mine) == {rows[0]["vin"], rows[2]["vin"]}


def test_a_file_with_too_many_rows_imports_nothing(seller, start_import, monkeypatch):
    from ex1000.catalog import tasks

    monkeypatch.setattr(tasks, "MAX_ROWS", 3)

    job = _job(seller, start_import(seller, to_csv([row(), None, row(), row(), row()])))

    assert job["status"] == "failed"
    assert [e["code"] for e in job["errors"]] == ["import_too_many_rows"]
    assert "3" in job["errors"][0]["message"]
    assert not Vehicle.objects.exists()


def test_xlsx_rows_keep_their_sheet_numbers_after_blank_rows_and_columns(seller, start_import):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([])
    sheet.append([])
    sheet.append([None, *COLUMNS])  # the table starts at B3
    sheet.append([None, *row().values()])
    sheet.append([None, *row(year="1901").values()])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = _job(seller, start_import(seller, buffer.getvalue(), name="stock.xlsx"))

    assert (job["status"], job["created"]) == ("done", 1)
    assert _errors_by_row(job) == {5: {"year"}}


def test_a_quantity_above_ten_thousand_is_a_field_error(seller, start_import):
    columns = [*COLUMNS, "quantity"]

    job = _job(
        seller, start_import(seller, to_csv([row(quantity="10001"), row()], columns=columns))
    )

    assert job["created"] == 1
    assert _errors_by_row(job) == {2: {"quantity"}}


def test_a_worker_stopped_mid_import_leaves_the_job_failed_with_its_reason_first(
    seller, supplier, small_batches, monkeypatch
):
    """A forced stop (SystemExit from the worker's signal handler) during the second batch:
    the first batch stays imported, the job says it failed and why, before its problems."""
    from ex1000.catalog import services, tasks

    create_vehicles = services.create_vehicles
    calls = []

    def stop_on_the_second_batch(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit(1)
        return create_vehicles(**kwargs)

    monkeypatch.setattr(services, "create_vehicles", stop_on_the_second_batch)
    content = to_csv([row(), row(year="1901"), row(), row()]).encode()
    job = ImportJob.objects.create(
        company=supplier.company,
        user=supplier,
        file=SimpleUploadedFile("stock.csv", content),
        original_name="stock.csv",
    )

    with pytest.raises(SystemExit):
        tasks._run(job.pk)

    body = seller.get(f"jobs/{job.pk}").json()
    assert (body["status"], body["processed"], body["created"]) == ("failed", 2, 1)
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(0, "file"), (3, "year")]
    assert body["errors"][0]["code"] == "import_failed"
