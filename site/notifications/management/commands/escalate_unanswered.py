from django.core.management.base import BaseCommand

from notifications.routing import escalate_unanswered


class Command(BaseCommand):
    help = "Escalate questions unanswered for 12 hours to leads and experts."

    def handle(self, *args, **options) -> None:
        count = escalate_unanswered()
        self.stdout.write(f"{count} question(s) escalated.")
