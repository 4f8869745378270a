# The ledger and badges now belong to the ``reputation`` app (its 0001 takes them
# over in Django's state); the tables and their rows are untouched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_profile_badge_reputationevent'),
        ('reputation', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Badge'),
                migrations.DeleteModel(name='ReputationEvent'),
            ],
            database_operations=[],
        ),
    ]
