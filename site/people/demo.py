"""Demo people for `make run`: a few members, a community lead and an administrator."""

from .models import Profile, User
from .services import profile_update, user_create

DEMO_PASSWORD = "hallway-demo"  # noqa: S105 - printed by `make run`, local demo only

DEMO_PEOPLE = [
    # username, display name, administrator?
    ("admin", "Ada Admin", True),
    ("lead", "Lena Lead", False),
    ("alice", "Alice Andersen", False),
    ("bram", "Bram de Vries", False),
    ("chen", "Chen Wei", False),
]

# username: office, department, languages, bio
DEMO_PROFILES = {
    "admin": (
        "Amsterdam",
        "IT Operations",
        ["English", "Dutch"],
        "I run Hallway itself. Ask me about accounts, backups and the admin.",
    ),
    "lead": (
        "Utrecht",
        "Platform Engineering",
        ["English", "Dutch", "German"],
        "I lead the Platform, Data and Cardano communities and review their "
        "knowledge pages. Happy to pair on deploys and incident reviews.",
    ),
    "alice": (
        "Utrecht",
        "Platform Engineering",
        ["English", "Danish"],
        "Site reliability: Kubernetes, deploy pipelines and on-call tooling.",
    ),
    "bram": (
        "Rotterdam",
        "Data & Analytics",
        ["Dutch", "English"],
        "Data engineer. PostgreSQL, slow queries and dashboards nobody reads.",
    ),
    "chen": (
        "Lisbon",
        "Research",
        ["English", "Mandarin", "Portuguese"],
        "Researcher working on smart contracts and formal verification.",
    ),
}


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
        if not Profile.objects.filter(user=user).exists():
            office, department, languages, bio = DEMO_PROFILES[username]
            profile_update(
                user=user,
                office=office,
                department=department,
                languages=languages,
                bio=bio,
            )
        people.append(user)
    return people
