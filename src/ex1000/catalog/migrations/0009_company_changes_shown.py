"""Only the changes to a company that search shows advance the catalogue's version: its
name, country, city and verification (a listing's supplier line). A new company — every
buyer's registration makes one — has no listings yet, and its other fields are not shown;
with migration 0007's triggers each of them retired every kept search answer."""

from django.db import migrations

from ex1000.core.db import change_triggers, on_postgres

SHOWN = ("name", "country", "city", "verification_status")
CHANGED = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in SHOWN)
_CREATE_0007, DROP = change_triggers("catalog_vehicle_changed", ("accounts_company",))
FORWARD = [
    *DROP,
    # At once, for the writing transaction (a save writes every column: it may be no change).
    f"CREATE TRIGGER accounts_company_version_now AFTER UPDATE OF {', '.join(SHOWN)} "
    "ON accounts_company FOR EACH STATEMENT EXECUTE FUNCTION catalog_vehicle_changed()",
    # At commit, for a change of what is shown only.
    f"CREATE CONSTRAINT TRIGGER accounts_company_version_commit AFTER UPDATE "
    f"ON accounts_company DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({CHANGED}) "
    "EXECUTE FUNCTION catalog_vehicle_changed()",
]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_version_settled")]
    operations = [
        migrations.RunPython(on_postgres(FORWARD), on_postgres([*DROP, *_CREATE_0007]))
    ]
