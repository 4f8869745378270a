from django.core.management.base import BaseCommand

from notifications.fanout import reviews_due_notify


class Command(BaseCommand):
    help = "Remind owners of knowledge pages that are due for review."

    def handle(self, *args, **options) -> None:
        count = reviews_due_notify()
        self.stdout.write(f"{count} reminder(s) sent.")
