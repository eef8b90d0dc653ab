"""The catalogue's version on PostgreSQL: a sequence every change to a listing advances, so
search can keep its counts, facets and pages in the cache under the version they were
computed at (catalog.selectors) and never serve one from before a change.

Two triggers, one sequence: a statement trigger advances it at once (the writing
transaction, and a test that never commits, see their own change), a deferred row trigger
advances it again at commit, so a search that read the version while the change was still
uncommitted keeps its result under a version that is already past. Every path that writes
listings counts — the services, the admin, orders reserving units, an import, raw SQL.
SQLite has no sequences: there, search is not cached. A later migration that writes
listings must not alter the table in the same transaction (PostgreSQL refuses ALTER and
CREATE INDEX while the deferred row trigger has events pending): split it in two."""

from django.db import migrations

from ex1000.core.db import change_triggers, on_postgres

TRIGGERS, DROP_TRIGGERS = change_triggers("catalog_vehicle_changed", ("catalog_vehicle",))
FORWARD = [
    "CREATE SEQUENCE catalog_vehicle_version",
    """
    CREATE FUNCTION catalog_vehicle_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM nextval('catalog_vehicle_version');
        RETURN NULL;
    END
    $$
    """,
    *TRIGGERS,
]
BACKWARD = [
    *DROP_TRIGGERS,
    "DROP FUNCTION IF EXISTS catalog_vehicle_changed()",
    "DROP SEQUENCE IF EXISTS catalog_vehicle_version",
]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_search_at_scale")]
    operations = [migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD))]
