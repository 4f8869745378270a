from django.core.management.base import BaseCommand, CommandError

from hallway.errors import ValidationFailed
from people.selectors import person_get
from people.services import person_erase


class Command(BaseCommand):
    help = (
        "Erase a person: name, e-mail, photo, profile, password, tokens, memberships, "
        "follows, notifications and private journal entries go; the account stays "
        "as an inactive 'former colleague'. Their posts are kept (shown as a former "
        "colleague's) unless --remove-content. Recorded in the audit log."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="The person to erase.")
        parser.add_argument(
            "--by", required=True, help="Your administrator username (for the log)."
        )
        parser.add_argument(
            "--remove-content",
            action="store_true",
            help="Also delete their questions, answers, shared entries and ideas.",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation."
        )

    def handle(self, *args, **options) -> None:
        person = person_get(username=options["username"])
        if person is None:
            raise CommandError(f"No person with username {options['username']!r}.")
        admin = person_get(username=options["by"])
        if admin is None or not admin.is_superuser:
            raise CommandError(
                f"{options['by']!r} is not an administrator: pass your own "
                "administrator username with --by."
            )
        if not options["yes"]:
            answer = input(f"Erase {person.username} for good? Type the username: ")
            if answer.strip() != person.username:
                raise CommandError("Not confirmed: nothing was changed.")
        try:
            person_erase(
                user=person, by=admin, remove_content=options["remove_content"]
            )
        except ValidationFailed as exc:
            messages = "; ".join(m for ms in exc.errors.values() for m in ms)
            raise CommandError(f"{messages} Nothing was changed.") from exc
        kept = "removed" if options["remove_content"] else "kept"
        self.stdout.write(
            f"Erased {options['username']} (now {person.username}); posts {kept}."
        )
