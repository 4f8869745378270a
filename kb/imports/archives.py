"""Stack Exchange dumps as they are published: one 7-Zip archive per site
(``cardano.stackexchange.com.7z``), Stack Overflow's split into one archive
per file (``stackoverflow.com-Posts.7z``, ``stackoverflow.com-PostLinks.7z``).

The import and ``make eval`` read a folder of XML files. ``dump_folder`` turns
an archive, or a folder holding one site's archives, into such a folder: the
files they read are unpacked once (``PostHistory`` and ``Badges``, the
largest, are left in the archive) into a cache keyed by the archives' sizes
and times, so a second run starts at once and a changed archive is unpacked
again. An interrupted unpack leaves no folder that looks complete.
"""

import io
import json
import shutil
from pathlib import Path

import py7zr
from django.conf import settings
from py7zr.callbacks import ExtractCallback

from hallway.progress import Output, Progress, progress_bar

from .dump import OWN_DOMAINS, derived_home, find_file, remove_derived

# The files the import and the evaluation read.
WANTED = ("Posts", "PostLinks", "Users", "Tags", "Comments", "Votes")
# Every file a dump has, as Stack Overflow's split archives name them.
DUMP_NAMES = (*WANTED, "Badges", "PostHistory")
MARKER = "unpacked.json"


class DumpArchiveError(Exception):
    """An archive that cannot be a dump folder; the message says what to do."""


def dump_folder(
    source: Path, *, cache: Path | None = None, out: Output | None = None
) -> Path:
    """The folder of XML files ``source`` stands for: ``source`` itself when it
    is not an archive (nor a folder of archives without ``Posts.xml``; the
    caller reports what it lacks), else the files unpacked under ``cache``
    (``var/dumps``) in a folder named after the site (``cardano``), as the
    import names a site."""
    source = source.expanduser()
    cache = cache or Path(settings.VAR_DIR) / "dumps"
    archives = _archives(source)
    if not archives:
        return source
    sites = sorted({archive_site(archive) for archive in archives})
    if len(sites) > 1:
        raise DumpArchiveError(
            f"{source} holds archives of {len(sites)} sites ({', '.join(sites)}): "
            f"name one archive, e.g. {archives[0]}."
        )
    site = sites[0]
    home = derived_home(cache, site, archives)
    if (home / MARKER).exists():
        return home / site
    partial = home.with_name(home.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    names = [archive.name for archive in archives]
    try:
        for archive in archives:
            _unpack(archive, partial / site, out or io.StringIO())
        if find_file(partial / site, "Posts") is None:
            raise DumpArchiveError(
                f"No Posts.xml in {', '.join(names)}: is this a Stack Exchange dump?"
            )
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    (partial / MARKER).write_text(json.dumps({"archives": names}))
    remove_derived(cache, site)  # earlier unpacks, of archives changed since
    partial.rename(home)
    return home / site


def archive_site(archive: Path) -> str:
    """The site an archive holds, named as the import names sites:
    ``cardano.stackexchange.com.7z`` -> ``cardano``, ``superuser.com.7z`` ->
    ``superuser``, ``stackoverflow.com-Posts.7z`` -> ``stackoverflow``; any
    other host stays whole (``es.stackoverflow.com``)."""
    host = archive.name[: -len(".7z")]
    for name in DUMP_NAMES:
        if host.lower().endswith(f"-{name.lower()}"):
            host = host[: -len(name) - 1]
            break
    if host.lower().endswith(".stackexchange.com"):
        return host[: -len(".stackexchange.com")]
    own = {domain: name for name, domain in OWN_DOMAINS.items()}
    return own.get(host.lower(), host)


def _archives(source: Path) -> list[Path]:
    if source.is_file():
        return [source] if source.name.lower().endswith(".7z") else []
    if not source.is_dir() or find_file(source, "Posts") is not None:
        return []
    return sorted(
        child
        for child in source.iterdir()
        if child.is_file() and child.name.lower().endswith(".7z")
    )


def _unpack(archive: Path, target: Path, out: Output) -> None:
    wanted = {f"{name}.xml".lower() for name in WANTED}
    try:
        with py7zr.SevenZipFile(archive, mode="r") as seven:
            members = [
                info
                for info in seven.list()
                if not info.is_directory and Path(info.filename).name.lower() in wanted
            ]
            if not members:
                return
            total = sum(info.uncompressed for info in members)
            target.mkdir(parents=True, exist_ok=True)
            free = shutil.disk_usage(target).free
            if total > free:
                raise DumpArchiveError(
                    f"Unpacking {archive.name} needs {total / 1e9:.1f} GB and "
                    f"{target.parent} has {free / 1e9:.1f} GB free: free some space "
                    "or set HALLWAY_VAR_DIR to a larger disk."
                )
            bar = progress_bar(
                total=total, desc=f"Unpacking {archive.name}", unit="byte", file=out
            )
            seven.extract(
                path=target,
                targets=[info.filename for info in members],
                callback=_Progress(bar, out),
            )
            bar.close()
    except (py7zr.exceptions.ArchiveError, OSError, EOFError, ValueError) as exc:
        raise DumpArchiveError(f"Cannot unpack {archive}: {exc}") from exc
    # A dump's files sit at the archive's top; one kept in a folder moves up.
    for info in members:
        path = target / info.filename
        if path.parent != target:
            path.replace(target / path.name)


class _Progress(ExtractCallback):
    """py7zr's extraction events, shown on the progress bar."""

    def __init__(self, bar: Progress, out: Output) -> None:
        self.bar, self.out = bar, out

    def report_start_preparation(self) -> None:
        """Reading the archive's index: nothing unpacked yet to count."""

    def report_start(self, processing_file_path: str, processing_bytes: str) -> None:
        """A file starts: its bytes are counted as they are written."""

    def report_update(self, decompressed_bytes: str) -> None:
        self.bar.update(int(decompressed_bytes))

    def report_end(self, processing_file_path: str, wrote_bytes: str) -> None:
        """A file ends: counted already by its updates."""

    def report_warning(self, message: str) -> None:
        self.out.write(f"  warning: {message}\n")

    def report_postprocess(self) -> None:
        """Setting the files' times: nothing to count."""
