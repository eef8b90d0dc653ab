"""Search words were indexed in the language of the request that saved a listing (a
listing saved from a Russian page was not found by "hybrid"): rebuilt in every language."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from ex1000.catalog.models import search_text_of

    Vehicle = apps.get_model("catalog", "Vehicle")
    batch = []
    for vehicle in Vehicle.objects.all().iterator(chunk_size=2000):
        vehicle.search_text = search_text_of(vehicle)
        batch.append(vehicle)
        if len(batch) >= 2000:
            Vehicle.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Vehicle.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_vehicle_quantity_reserved_vehicle_quantity_sold_and_more"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
