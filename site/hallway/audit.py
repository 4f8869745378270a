"""The audit log administrators read: moderation, privacy, visibility and role
changes, and erasures. Entries go to Wagtail's own audit log (Reports → Site
history in the admin, filterable by action, person and date), so page actions
Wagtail logs itself (publishing, privacy restrictions) sit beside ours."""

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

# action -> label (the filter in Site history); keep these namespaced "hallway.".
ACTIONS = {
    "hallway.person.erase": _("Erase a person"),
    "hallway.membership.role": _("Change a community role"),
    "hallway.membership.add": _("Add a community member"),
    "hallway.membership.leave": _("Leave or remove from a community"),
    "hallway.question.close": _("Close a question"),
    "hallway.question.reopen": _("Reopen a question"),
    "hallway.question.delete": _("Delete a question"),
    "hallway.question.restore": _("Restore a question"),
    "hallway.answer.delete": _("Delete an answer"),
    "hallway.answer.restore": _("Restore an answer"),
    "hallway.entry.visibility": _("Change who can see a journal entry"),
    "hallway.idea.hide": _("Hide an idea"),
    "hallway.idea.unhide": _("Show a hidden idea again"),
    "hallway.idea.merge": _("Merge ideas"),
    "hallway.page.verify": _("Verify a knowledge page"),
}


class AuditFormatter(LogFormatter):
    """Shows the action's label and the facts recorded with it."""

    def format_message(self, log_entry: Any) -> str:
        facts = ", ".join(f"{k}: {v}" for k, v in sorted(log_entry.data.items()))
        return f"{self.label} ({facts})" if facts else str(self.label)


def audit(
    instance: Model, action: str, *, by: Any, title: str | None = None, **facts: Any
) -> None:
    """Record that ``by`` did ``action`` to ``instance`` (ids and facts, never
    private text: pass ``title`` when ``str(instance)`` could be private)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to ACTIONS.")
    actor = by if getattr(by, "is_authenticated", False) else None
    log(instance=instance, action=action, user=actor, title=title, data=facts)
