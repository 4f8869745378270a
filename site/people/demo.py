"""Demo people for `make run`: a few members, a community lead and an administrator."""

from .models import User
from .services import user_create

DEMO_PASSWORD = "hallway-demo"  # noqa: S105 - printed by `make run`, local demo only

DEMO_PEOPLE = [
    # username, display name, administrator?
    ("admin", "Ada Admin", True),
    ("lead", "Lena Lead", False),
    ("alice", "Alice Andersen", False),
    ("bram", "Bram de Vries", False),
    ("chen", "Chen Wei", False),
]


def load() -> list[User]:
    """Create the demo people once; later runs change nothing."""
    people = []
    for username, display_name, is_admin in DEMO_PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                email=f"{username}@example.org",
                display_name=display_name,
                is_admin=is_admin,
            )
        people.append(user)
    return people
