"""Every inquiry has one thread: open those of the inquiries made before messaging, each
seeded with the inquiry's message (written by the buyer) and its fraud warnings.
"""

from django.db import migrations

from ex1000.messaging import fraud


def open_threads(apps, schema_editor):
    Inquiry = apps.get_model("quotes", "Inquiry")
    Thread = apps.get_model("messaging", "Thread")
    Message = apps.get_model("messaging", "Message")
    for inquiry in Inquiry.objects.filter(thread__isnull=True).iterator():
        thread = Thread.objects.create(inquiry=inquiry, created_at=inquiry.created_at)
        text = (inquiry.message or "").strip()
        if text:
            Message.objects.create(
                thread=thread,
                author_id=inquiry.buyer_id,
                text=text[:5000],
                warnings=fraud.warnings_for(text),
                created_at=inquiry.created_at,
            )


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [migrations.RunPython(open_threads, migrations.RunPython.noop)]
