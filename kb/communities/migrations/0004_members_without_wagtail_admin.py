"""Plain members no longer reach Wagtail: their groups lose ``access_admin``."""

from django.db import migrations


def remove_member_admin_access(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    CommunityGroup = apps.get_model("communities", "CommunityGroup")
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin is None:
        return
    for link in CommunityGroup.objects.filter(role="member").select_related("group"):
        link.group.permissions.remove(access_admin)


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_join_policy"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.RunPython(remove_member_admin_access, migrations.RunPython.noop)
    ]
