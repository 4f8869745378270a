# The ledger and badges move here from ``people``: the tables stay where they are
# (same names, same rows), only Django's idea of which app owns them changes.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor):
    """Permissions and admin history keep pointing at the same models."""
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(
        app_label="people", model__in=["reputationevent", "badge"]
    ).update(app_label="reputation")


def content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(
        app_label="reputation", model__in=["reputationevent", "badge"]
    ).update(app_label="people")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('people', '0002_profile_badge_reputationevent'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Badge',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('first_answer', 'First answer'), ('first_accepted', 'First accepted answer'), ('helpful_10', '10 helpful journal entries'), ('curated_page', 'Curated a knowledge page')], max_length=30)),
                        ('awarded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='badges', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'people_badge',
                        'ordering': ['awarded_at', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='people_one_badge')],
                    },
                ),
                migrations.CreateModel(
                    name='ReputationEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('answer_upvoted', 'Answer upvoted'), ('answer_downvoted', 'Answer downvoted'), ('question_upvoted', 'Question upvoted'), ('answer_accepted', 'Answer accepted'), ('accepted_an_answer', 'Accepted an answer'), ('page_verified', 'Knowledge page verified'), ('entry_helpful', 'Journal entry marked helpful'), ('page_curated', 'Curated page published')], max_length=30)),
                        ('points', models.IntegerField()),
                        ('source_kind', models.CharField(max_length=30)),
                        ('source_id', models.PositiveBigIntegerField()),
                        ('actor_id', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('reverses', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='reputation.reputationevent')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reputation_events', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'people_reputationevent',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['source_kind', 'source_id'], name='people_repu_source__f2c627_idx'), models.Index(fields=['user', '-created_at'], name='people_repu_user_id_89db3d_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
