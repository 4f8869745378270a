"""Demo content: a slice of the real Cardano Stack Exchange dump (CC BY-SA)."""

from pathlib import Path

from kb.communities.selectors import community_get

from .report import ImportReport
from .stackexchange import StackExchangeImporter

DEMO_DUMP = Path(__file__).resolve().parent / "demo_data" / "cardano"


def load() -> ImportReport | None:
    """Import the slice into the ``cardano`` community (again: nothing new)."""
    community = community_get(slug="cardano")
    if community is None:
        return None
    return StackExchangeImporter(
        path=DEMO_DUMP, community=community, site="cardano"
    ).run()
