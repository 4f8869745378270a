from django.core.management.base import BaseCommand

from integrations.tasks import schedule_resume


class Command(BaseCommand):
    help = (
        "Start the periodic sweep that re-queues webhook deliveries whose task was "
        "lost (every 10 minutes); safe to run repeatedly."
    )

    def handle(self, *args, **options) -> None:
        started = schedule_resume()
        self.stdout.write("Scheduled." if started else "Already scheduled.")
