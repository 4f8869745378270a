"""What an import run reports, shared by the Stack Exchange and Markdown imports."""

from collections import Counter
from dataclasses import dataclass, field


class ImportAborted(Exception):
    """The dump cannot be imported at all (nothing was written)."""


@dataclass
class ImportReport:
    """Counts and problems of one import run."""

    imported: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def error(self, file: str, row_id: str | None, reason: str) -> None:
        self.errors.append((file, row_id or "", reason))

    def errors_by_kind(self) -> Counter:
        """Error counts by dump file and reason (by reason for Markdown files)."""
        return Counter(
            f"{file}: {reason.split(':')[0]}"
            if ".xml" in file
            else reason.split(":")[0]
            for file, _, reason in self.errors
        )

    def lines(self, *, max_errors: int = 50) -> list[str]:
        """The summary printed at the end."""
        out = ["Imported:"]
        out += [f"  {k}: {n}" for k, n in sorted(self.imported.items()) if n] or [
            "  nothing new"
        ]
        if self.skipped:
            out.append("Skipped:")
            out += [f"  {kind}: {n}" for kind, n in sorted(self.skipped.items()) if n]
        out.append(f"Errors: {len(self.errors)}")
        out += [f"  {kind}: {n}" for kind, n in sorted(self.errors_by_kind().items())]
        for file, row_id, reason in self.errors[:max_errors]:
            where = f"{file} row {row_id}" if row_id else file
            out.append(f"  - {where}: {reason}")
        if len(self.errors) > max_errors:
            out.append(f"  ... and {len(self.errors) - max_errors} more")
        out += self.notes
        return out
