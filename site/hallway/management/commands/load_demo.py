from django.core.management.base import BaseCommand

from hallway.demo import load_demo


class Command(BaseCommand):
    help = "Load Hallway's demo content (idempotent: safe to run again)."

    def handle(self, *args, **options) -> None:
        load_demo(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))
