import json
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from kb.imports.archives import DumpArchiveError, dump_folder
from search.client import get_client
from search.evaluation import dataset, harness
from search.evaluation.runner import evaluate
from tools import node as es_node


class Command(BaseCommand):
    help = (
        "Relevance evaluation on a Stack Exchange dump (make eval): imports it into a "
        "scratch database and a throw-away index, then compares similar questions "
        "and the search API with a plain BM25 query on the dump's duplicate and "
        "related links (tune and report splits), with latency and diversity."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dump",
            default=str(
                Path(settings.BASE_DIR).parent / "shared/data/stackexchange/cardano"
            ),
            help="A Stack Exchange dump folder (Posts.xml[.gz], PostLinks.xml[.gz]…).",
        )
        parser.add_argument(
            "--json", default="", help="Default: eval-results/<site>.json"
        )
        parser.add_argument(
            "--sections",
            default="",
            help=f"Comma-separated, of: {', '.join(harness.SECTIONS)} (default: all "
            f"of these), and {', '.join(harness.OPTIONAL_SECTIONS)} (only when named)",
        )
        parser.add_argument(
            "--max-questions",
            type=int,
            default=None,
            help="Evaluate a larger site on its newest this many questions, 0 for "
            f"all (default: EVAL_MAX_QUESTIONS, else {dataset.MAX_QUESTIONS}).",
        )
        parser.add_argument(
            "--keep-index",
            action="store_true",
            help="Keep the scratch index (with ELASTICSEARCH_URL, to tune against it).",
        )

    def handle(self, *args, **options) -> None:
        # Sections ask for the same question's related list more than once: the
        # latencies are of the node's answer, not of one a process kept.
        settings.SEARCH_RELATED_SECONDS = 0
        if "eval" not in scratch_database_name():
            raise CommandError(
                "Run the evaluation on a scratch database (its name must contain "
                "'eval'): make eval sets DATABASE_URL=sqlite:///var/eval.sqlite3."
            )
        dump = dump_argument(options, self.stdout)
        if not dump.is_dir():
            raise CommandError(
                f"No Stack Exchange dump at {dump}. Point EVAL_DUMP (make eval) or "
                "--dump at a folder with Posts.xml[.gz] and PostLinks.xml[.gz], or "
                "at the site's .7z archive."
            )
        missing = dataset.missing_files(dump)
        if missing:
            raise CommandError(
                f"{dump} has no {' or '.join(f'{m}.xml[.gz]' for m in missing)}: the "
                "evaluation needs the questions and the links between them."
            )
        names = [s.strip() for s in options["sections"].split(",") if s.strip()]
        known = {**harness.SECTIONS, **harness.OPTIONAL_SECTIONS}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise CommandError(f"Unknown section(s): {', '.join(unknown)}.")
        out = self.stdout.write
        started = time.monotonic()
        # A large site: its newest questions (sliced once, before the node).
        bound = dataset.bounded(
            dump, max_questions(options), cache=slice_cache(), out=self.stdout
        )
        node = None
        es_node.exit_on_sigterm()
        if not settings.ELASTICSEARCH_URL:
            absent = es_node.missing_tools()
            if absent:
                raise CommandError(f"The evaluation needs {' and '.join(absent)}.")
            out("• starting a throw-away Elasticsearch node")
            base = Path(tempfile.mkdtemp(prefix="hallway-es-eval-"))
            node = es_node.Node(
                name="eval", port=es_node.free_port(), base_dir=base, heap="512m"
            )
            # A busy 2-core machine can take minutes to start a node.
            settings.ELASTICSEARCH_URL = es_node.start(node, quiet=True, timeout=600)
        settings.ELASTICSEARCH_INDEX_PREFIX = f"eval-{uuid.uuid4().hex[:8]}"
        # A slow answer must count as slow, not turn into the database fallback.
        settings.ELASTICSEARCH_TIMEOUT = max(settings.ELASTICSEARCH_TIMEOUT, 60)
        try:
            report = evaluate(bound.path, names, out=out)
        finally:
            client = get_client()
            try:
                if client is not None and not options["keep_index"]:
                    client.options(ignore_status=404).indices.delete(
                        index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*"
                    )
            finally:
                # Even when the node stopped answering: never leave it running.
                if node is not None:
                    es_node.stop(node)
                    shutil.rmtree(node.base_dir, ignore_errors=True)
        report["total_seconds"] = round(time.monotonic() - started, 1)
        if bound.sliced:
            report["slice"] = bound.as_dict(dump)
        if options["keep_index"]:
            report["index_prefix"] = settings.ELASTICSEARCH_INDEX_PREFIX
        path = Path(options["json"] or f"eval-results/{dump.name}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, default=str) + "\n")
        out(self.style.SUCCESS(f"Written to {path} ({report['total_seconds']} s)"))


def max_questions(options: dict) -> int:
    """The bound on a site's questions: ``--max-questions``, else
    ``EVAL_MAX_QUESTIONS`` (make eval's), else the harness's."""
    given = options.get("max_questions")
    if given is not None:
        if given < 0:
            raise CommandError("--max-questions is a number of questions (0: all).")
        return given
    value = os.environ.get("EVAL_MAX_QUESTIONS", "").strip()
    try:
        limit = int(value) if value else dataset.MAX_QUESTIONS
    except ValueError:
        limit = -1
    if limit < 0:
        raise CommandError(
            f"EVAL_MAX_QUESTIONS={value!r} is not a number of questions (0: all)."
        )
    return limit


def dump_argument(options: dict, out: OutputWrapper) -> Path:
    """``--dump`` as a folder of XML files: a site's .7z archive, or a folder
    holding it, is unpacked once under ``var/dumps`` (``kb.imports.archives``)."""
    try:
        return dump_folder(Path(options["dump"]).expanduser().resolve(), out=out)
    except DumpArchiveError as exc:
        raise CommandError(str(exc)) from exc


def slice_cache() -> Path:
    """Where a large dump's slice is kept between the commands of one make eval."""
    return Path(settings.VAR_DIR) / "eval-slices"


def scratch_database_name() -> str:
    """The database the run writes to (its name must say it is for evaluation)."""
    return str(settings.DATABASES["default"]["NAME"])
