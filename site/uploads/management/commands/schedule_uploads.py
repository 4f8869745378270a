from django.core.management.base import BaseCommand

from uploads.tasks import schedule_clean_up


class Command(BaseCommand):
    help = (
        "Start the daily clean-up of files added in the editor but never posted "
        "(kept HALLWAY_UNUSED_UPLOAD_DAYS days first); safe to run repeatedly."
    )

    def handle(self, *args, **options) -> None:
        started = schedule_clean_up()
        self.stdout.write("Scheduled." if started else "Already scheduled.")
