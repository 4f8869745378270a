from django.core.management.base import BaseCommand

from notifications.tasks import schedule_periodic


class Command(BaseCommand):
    help = (
        "Start the periodic notification tasks (escalation every 10 minutes, review "
        "reminders daily, digests daily/weekly at 07:00 UTC); safe to run repeatedly."
    )

    def handle(self, *args, **options) -> None:
        started = schedule_periodic()
        self.stdout.write(
            f"Scheduled: {', '.join(started)}" if started else "Already scheduled."
        )
