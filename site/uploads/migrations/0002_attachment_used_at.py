from django.db import migrations, models


def linked_files_were_used(apps, schema_editor):
    """Files some post links already count as used since they were uploaded."""
    attachment = apps.get_model("uploads", "Attachment")
    attachment.objects.filter(uses__isnull=False, used_at__isnull=True).update(
        used_at=models.F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("uploads", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="used_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(linked_files_were_used, migrations.RunPython.noop),
    ]
