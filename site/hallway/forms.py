"""Form pieces every app shares."""


class ServiceErrorsMixin:
    """Show a service's ``ValidationFailed`` errors on the matching fields.

    Errors for names the form has no field for become non-field errors.
    """

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Add each message to its field (or to the form as a whole)."""
        for field, messages in errors.items():
            target = field if field in self.fields else None  # type: ignore[attr-defined]
            for message in messages:
                self.add_error(target, message)  # type: ignore[attr-defined]
