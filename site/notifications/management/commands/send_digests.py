from django.core.management.base import BaseCommand

from notifications.services import digest_send


class Command(BaseCommand):
    help = "E-mail the daily or weekly notification digests."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", choices=["daily", "weekly"], default="daily")

    def handle(self, *args, **options) -> None:
        sent = digest_send(period=options["period"])
        self.stdout.write(f"{sent} {options['period']} digest(s) sent.")
