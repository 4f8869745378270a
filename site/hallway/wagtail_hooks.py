"""Admin: Hallway's own actions in Wagtail's audit log (Reports → Site history)."""

from wagtail import hooks

from .audit import ACTIONS, AuditFormatter


@hooks.register("register_log_actions")
def register_audit_actions(actions) -> None:
    for action, label in ACTIONS.items():
        formatter = type("HallwayAuditFormatter", (AuditFormatter,), {"label": label})
        actions.register_action(action)(formatter)
