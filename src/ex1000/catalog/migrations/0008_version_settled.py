"""The catalogue's version is trusted only once the change that advanced it can be seen.

The deferred row trigger (migration 0006) advances the version at commit, before the
commit becomes visible (PostgreSQL flushes the commit to disk in between). A search that
read the new version in that moment and the old rows would keep an old answer under the
new version. So at commit the trigger also takes a shared advisory lock, which PostgreSQL
releases only after the commit is visible; search keeps nothing while it is held
(catalog.selectors.catalogue_version: a try of the exclusive lock, released at once)."""

from django.db import migrations

from ex1000.core.db import on_postgres

# catalog.selectors.VERSION_LOCK
LOCKING = """
CREATE OR REPLACE FUNCTION catalog_vehicle_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_LEVEL = 'ROW' THEN  -- the deferred trigger, at commit: held until it is visible
        PERFORM pg_advisory_xact_lock_shared(7301000);
    END IF;
    PERFORM nextval('catalog_vehicle_version');
    RETURN NULL;
END
$$
"""
PLAIN = """
CREATE OR REPLACE FUNCTION catalog_vehicle_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('catalog_vehicle_version');
    RETURN NULL;
END
$$
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_answer_version")]
    operations = [migrations.RunPython(on_postgres([LOCKING]), on_postgres([PLAIN]))]
