"""The catalogue's version also advances when a listing's photos or its supplier change: a
search answer shows both (each card's photo, the supplier's name and badge), and search
keeps whole answers and pages under the version (catalog.selectors.cached_answer). The
same two triggers as migration 0006, on these tables, advancing the same sequence. As
there, a later migration that writes one of these tables must not alter it in the same
transaction."""

from django.db import migrations

from ex1000.core.db import change_triggers, on_postgres

FORWARD, BACKWARD = change_triggers(
    "catalog_vehicle_changed", ("catalog_vehiclephoto", "accounts_company")
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_catalogue_version"),
        ("accounts", "0004_encrypt_credit_code"),
    ]
    operations = [migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD))]
