"""A rate book imported (or removed) advances the catalogue's version (catalog migration
0006): search answers and pages kept under it show landed prices, eligibility rules and
the picker's places from the book in force, so a new book retires them at once. The day
is part of their key, for a book that comes into force on its date."""

from django.db import migrations

from ex1000.core.db import change_triggers, on_postgres

FORWARD, BACKWARD = change_triggers("catalog_vehicle_changed", ("quotes_ratebook", "quotes_place"))


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0002_notices_as_codes"),
        ("catalog", "0007_answer_version"),
    ]
    operations = [migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD))]
