"""Setting up an evaluation run: import the dump into the (scratch) database with
its links hidden, index it, map the judged links to local ids, run the sections."""

import os
import platform
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.text import slugify
from wagtail.models import Site

from hallway.pages import tree_root
from hallway.progress import ProgressBars
from kb.communities.models import CommunityIndexPage, CommunityPage
from kb.imports.models import ImportedObject
from kb.qa.models import Question
from people.models import User
from search.client import get_client
from search.documents import analysis_level
from search.reindex import reindex

from . import dataset, harness


def evaluate(dump: Path, names: list[str] | None = None, *, out=print) -> dict:
    """Import ``dump`` into the current (scratch) database and index, run the
    sections and return the report."""
    judged = dataset.read_links(dump)
    if not judged:  # before minutes of import and indexing
        raise CommandError(
            f"{dump} has no duplicate or related links to judge (PostLinks.xml "
            "holds none): the relevance sections need them."
        )
    out("• scratch database")
    call_command("migrate", verbosity=0)
    community = _eval_community(dump.name)
    out(f"• importing {dump} (the judged links hidden)")
    scratch = dataset.folder_without_links(dump, site=dump.name)
    out(
        f"  without PostLinks and {scratch.in_text} links to the site's posts "
        f"({scratch.host}) in bodies and comments"
    )
    # A larger site takes minutes to import, index and probe: each step says
    # how far it is (a line every few seconds, and one when it ends).
    progress = RunProgress(out)
    try:
        call_command(
            "import_stackexchange",
            scratch.path,
            community=community.slug,
            site=dump.name,
            stdout=progress.stream,
        )
    finally:
        scratch.cleanup()
    client = get_client()
    out("• indexing")
    counts = reindex(client, progress=progress)
    local = dict(
        ImportedObject.objects.filter(kind="question").values_list(
            "external_id", "local_id"
        )
    )
    links = [
        replace(link, query=local[str(link.query)], target=local[str(link.target)])
        for link in judged
        if str(link.query) in local and str(link.target) in local
    ]
    ids = {pk for link in links for pk in (link.query, link.target)}
    probes = {
        q.pk: harness.Probe(id=q.pk, title=q.title, body=q.body)
        for q in Question.objects.visible().filter(pk__in=ids)
    }
    links = [x for x in links if x.query in probes and x.target in probes]
    if not links:
        raise CommandError(f"{dump} has no duplicate or related links to judge.")
    ctx = harness.Context(
        dump=dump, links=links, probes=probes, viewer=_reader(), progress=progress
    )
    by_split = {s: sum(x.split == s for x in links) for s in harness.SPLITS}
    out(
        f"• {len(links)} judged pairs ({len({x.link for x in links})} links; "
        f"tune {by_split['tune']}, report {by_split['report']}), "
        f"{counts.get('question', 0)} questions indexed"
    )
    results = harness.run(ctx, names or None, log=out)
    verdicts = harness.verdicts(results)
    if verdicts:  # sections without a target (dense) print none
        out(
            "• targets on the report split: "
            + ", ".join(f"{k} {'✓' if ok else '✗'}" for k, ok in verdicts.items())
        )
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "dump": dump.name,
        "analysis": analysis_level(client),
        "documents": counts,
        "pairs": {"total": len(links), **by_split},
        # Hidden from the import: PostLinks, and these links in the text.
        "links_hidden_in_text": scratch.in_text,
        "targets": harness.TARGETS,
        "report_split_meets_targets": verdicts,
        "sections": results,
    }


class _Lines:
    """A stream that hands each whole line written to it, indented, to ``out``."""

    def __init__(self, out: Callable[[str], object]) -> None:
        self.out, self.pending = out, ""

    def write(self, text: str) -> None:
        *done, self.pending = (self.pending + text).split("\n")
        for line in done:
            self.out(f"  {line}" if line.strip() else line)

    def flush(self) -> None:
        pass


class RunProgress(ProgressBars):
    """How far a run's long steps are, as lines through ``out``
    (``hallway.progress.ProgressBars``); ``stream`` takes a command's output
    (the import's own progress and report)."""

    def __init__(self, out: Callable[[str], object]) -> None:
        self.stream = _Lines(out)
        super().__init__(self.stream)


def _eval_community(name: str):
    """One community for the imported site (no demo content: nothing else to find)."""
    # A dump folder is often named for its host (``cardano.stackexchange.com``).
    slug = slugify(f"eval-{name}")[:50]
    community = CommunityPage.objects.filter(slug=slug).first()
    if community is not None:
        return community
    index = CommunityIndexPage.objects.first()
    if index is None:
        index = CommunityIndexPage(title="Knowledge", slug="knowledge")
        # Under the default site's root (Wagtail's own page, made by its
        # migrations): the scratch site needs neither demo content nor home's
        # page type, so search stays below home in the layers.
        site = Site.objects.filter(is_default_site=True).first()
        parent = site.root_page if site else tree_root()
        parent.add_child(instance=index)
        index.save_revision().publish()
    community = CommunityPage(title=name.title(), slug=slug, goal="Evaluation")
    index.add_child(instance=community)
    community.save_revision().publish()
    return community


def _reader():
    """A signed-in member, as on the Ask page."""
    user, _ = User.objects.get_or_create(
        username="eval-reader", defaults={"display_name": "Evaluation reader"}
    )
    return user
