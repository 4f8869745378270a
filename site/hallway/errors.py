"""Errors services raise; views turn them into form errors, the API into JSON."""

from django.utils.translation import ngettext


class ValidationFailed(Exception):
    """Bad input: nothing was saved. ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]] | str, *, field: str = "__all__"):
        if isinstance(errors, str):
            errors = {field: [errors]}
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))

    @property
    def text(self) -> str:
        """All messages as one sentence, for a page's flash message."""
        return " ".join(
            message for messages in self.errors.values() for message in messages
        )


class RateLimited(Exception):
    """Too many actions of one kind in a period; ``retry_after`` is in seconds."""

    def __init__(self, action: str, retry_after: int):
        self.action = action
        self.retry_after = retry_after
        super().__init__(
            ngettext(
                "You are doing that too often (%(action)s). Try again in %(n)d second.",
                "You are doing that too often (%(action)s). "
                "Try again in %(n)d seconds.",
                retry_after,
            )
            % {"action": action, "n": retry_after}
        )
