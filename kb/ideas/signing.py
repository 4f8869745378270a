"""Signed "this person may turn this journal entry into an idea" tokens.

The journal page (which knows the entry's author) hands out the token; the ideas
app checks it without reading journals' tables.
"""

from django.core import signing

SALT = "ideas.from-entry"
MAX_AGE = 60 * 60 * 24 * 7


def entry_token(*, entry_id: int, user_id: int) -> str:
    """A token binding ``entry_id`` to the author ``user_id``."""
    return signing.dumps({"entry": entry_id, "user": user_id}, salt=SALT)


def entry_token_valid(*, token: str, entry_id: int, user_id: int) -> bool:
    """Whether ``token`` was issued for this entry and this person (and is fresh)."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    return data == {"entry": entry_id, "user": user_id}
