from pathlib import Path

from django.db import migrations

POLICY_FILE = Path(__file__).resolve().parent.parent / "policy" / "v1.md"


def publish_v1(apps, schema_editor):
    PolicyVersion = apps.get_model("privacy", "PolicyVersion")
    PolicyVersion.objects.get_or_create(
        version="1",
        defaults={"text": POLICY_FILE.read_text(encoding="utf-8"), "material": True,
                  "summary": "First published version."},
    )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(publish_v1, migrations.RunPython.noop)]
