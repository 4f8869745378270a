"""Fetch, configure, start and stop a local Elasticsearch node, without Docker.

Used by ``make run`` (a persistent development node) and by the test suite (a
throw-away node on its own port and data folder). Standard library only, so it
runs before Django is configured::

    python -m tools.node fetch
    python -m tools.node start --name dev --port 9200
    python -m tools.node status --name dev
    python -m tools.node stop --name dev

The distribution is the official ``integ-test-zip`` build published as a Maven
package (no bundled JDK, no security plugin: plain HTTP on loopback). Maven
resolves it by name, so no download address lives in this repository.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

ES_VERSION = os.environ.get("HALLWAY_ES_VERSION", "8.19.9")
ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = Path(os.environ.get("HALLWAY_CACHE_DIR") or ROOT / ".cache")
ES_USER = "hallway-es"
DEFAULT_HEAP = os.environ.get("HALLWAY_ES_HEAP", "512m")


class NodeError(RuntimeError):
    """A problem a person can act on; the message says what to do."""


@dataclass(frozen=True)
class Node:
    """One local node: where its config, data and logs live and which port it uses."""

    name: str
    port: int
    base_dir: Path
    version: str = ES_VERSION
    heap: str = DEFAULT_HEAP
    # A node of a multi-node cluster on loopback (tests): the cluster's name, this
    # node's transport port, every node's transport port, the master-eligible node
    # names and this node's roles. Empty: a single-node cluster.
    cluster: str = ""
    transport_port: int = 0
    seed_ports: tuple[int, ...] = ()
    masters: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_dir(self) -> Path:
        return self.base_dir / "config"

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def logs_dir(self) -> Path:
        return self.base_dir / "logs"

    @property
    def pid_file(self) -> Path:
        return self.base_dir / "node.pid"

    @property
    def console_log(self) -> Path:
        return self.logs_dir / "console.log"


def default_node(name: str = "dev", port: int = 9200) -> Node:
    """The node ``make run`` uses: persistent, under the cache folder."""
    return Node(name=name, port=port, base_dir=CACHE_DIR / "nodes" / name)


# --- the distribution ---------------------------------------------------------


def missing_tools() -> list[str]:
    """Which of Java and Maven this machine lacks (empty when both are present)."""
    missing = []
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        missing.append("Java 17+")
    if not shutil.which("mvn"):
        missing.append("Maven")
    return missing


def java_home() -> Path:
    """The JDK to run Elasticsearch with: $JAVA_HOME, else the one ``java`` is in."""
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"])
    java = shutil.which("java")
    if not java:
        raise NodeError(
            "Java is not installed. Install Java 17 or newer (Debian: "
            "apt-get install openjdk-17-jre-headless), or set ELASTICSEARCH_URL."
        )
    return Path(os.path.realpath(java)).parent.parent


def distribution_dir(version: str = ES_VERSION) -> Path:
    return CACHE_DIR / "elasticsearch" / f"elasticsearch-{version}"


def fetch(version: str = ES_VERSION, *, quiet: bool = False) -> Path:
    """Download (once) and unpack the distribution; return its folder."""
    target = distribution_dir(version)
    if (target / "bin" / "elasticsearch").exists():
        return target
    if not shutil.which("mvn"):
        raise NodeError(
            "Maven is not installed, so the Elasticsearch distribution cannot be "
            "fetched. Install Maven (Debian: apt-get install maven), or set "
            "ELASTICSEARCH_URL to an existing cluster."
        )
    downloads = CACHE_DIR / "elasticsearch" / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    archive = downloads / f"elasticsearch-{version}.zip"
    if not archive.exists():
        if not quiet:
            print(
                f"Fetching Elasticsearch {version} with Maven (about 100 MB, once)..."
            )
        cmd = [
            "mvn",
            "-q",
            "-B",
            "dependency:copy",
            f"-Dartifact={ARTIFACT.format(version=version)}",
            f"-DoutputDirectory={downloads}",
            "-Dmdep.overWriteReleases=true",
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=downloads)
        if result.returncode != 0 or not archive.exists():
            tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
            raise NodeError(
                f"Maven could not fetch Elasticsearch {version}:\n  "
                + "\n  ".join(tail)
                + "\nCheck that Maven can reach its package registry, or set "
                "HALLWAY_ES_VERSION to another 8.x version, or ELASTICSEARCH_URL."
            )
    _unpack(archive, target.parent)
    if not (target / "bin" / "elasticsearch").exists():
        raise NodeError(f"{archive} did not contain elasticsearch-{version}/bin.")
    return target


def _unpack(archive: Path, into: Path) -> None:
    """Unzip keeping the executable bits (zipfile alone drops them)."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            path = Path(zf.extract(info, into))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                path.chmod(mode | stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    for dirpath, dirnames, _ in os.walk(into):
        for d in dirnames:
            (Path(dirpath) / d).chmod(0o755)


# --- the hallway-analysis plugin ------------------------------------------------

PLUGIN_NAME = "hallway-analysis"
PLUGIN_DIR = Path(__file__).resolve().parent / "es_plugin"


def _plugin_source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(PLUGIN_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".java", ".json"}:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_plugin(
    dist: Path, version: str = ES_VERSION, *, quiet: bool = False
) -> Path:
    """The distribution to run: a copy of ``dist`` (hard links, so it costs next to
    no disk) with the hallway-analysis plugin built from these sources (with the
    JDK's javac, against the distribution's own jars) installed; one copy per
    version of the plugin's sources, so worktrees or checkouts with different
    plugin sources never reinstall it under each other's running nodes.

    Without a JDK the node runs from ``dist`` as it is, with plain analysis.
    """
    digest = _plugin_source_digest()
    target = dist.parent / f"{dist.name}-{PLUGIN_NAME}-{digest}"
    if (target / "plugins" / PLUGIN_NAME).exists():
        return target
    javac, jar = shutil.which("javac"), shutil.which("jar")
    if not (javac and jar):
        if not quiet:
            print(
                "Note: no JDK (javac) found, so the node runs without language "
                "analysis (stemming, folding, synonyms). Install a JDK "
                "(Debian: apt-get install openjdk-17-jdk-headless) to enable it."
            )
        return dist
    env = {**os.environ, "ES_JAVA_HOME": str(java_home())}
    with tempfile.TemporaryDirectory(prefix="hallway-plugin-") as tmp:
        build = Path(tmp)
        sources = [str(p) for p in (PLUGIN_DIR / "src").rglob("*.java")]
        steps = [
            [
                javac,
                "--release",
                "17",
                "-nowarn",
                "-cp",
                f"{dist / 'lib'}/*",
                "-d",
                str(build / "classes"),
                *sources,
            ],
            [
                jar,
                "cf",
                str(build / f"{PLUGIN_NAME}.jar"),
                "-C",
                str(build / "classes"),
                ".",
            ],
        ]
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True)
            if result.returncode != 0:
                raise NodeError(
                    f"Building the {PLUGIN_NAME} plugin failed:\n"
                    f"{result.stderr[-2000:]}"
                )
        (build / "stable-plugin-descriptor.properties").write_text(
            "description=Lucene stemmers, stop words, folding, edge n-grams, "
            "decompounding and synonyms for Hallway\n"
            f"version=1.0.0\nname={PLUGIN_NAME}\njava.version=17\n"
            f"elasticsearch.version={version}\n"
        )
        package = build / f"{PLUGIN_NAME}.zip"
        with zipfile.ZipFile(package, "w") as zf:
            zf.write(build / f"{PLUGIN_NAME}.jar", f"{PLUGIN_NAME}.jar")
            zf.write(
                build / "stable-plugin-descriptor.properties",
                "stable-plugin-descriptor.properties",
            )
            zf.write(PLUGIN_DIR / "named_components.json", "named_components.json")
        staging = target.with_name(f"{target.name}.tmp{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(dist, staging, symlinks=True, copy_function=os.link)
        shutil.rmtree(staging / "plugins" / PLUGIN_NAME, ignore_errors=True)
        tool = str(staging / "bin" / "elasticsearch-plugin")
        result = subprocess.run(
            [tool, "install", "--batch", package.as_uri()],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            raise NodeError(
                f"Installing the {PLUGIN_NAME} plugin failed:\n{result.stderr[-2000:]}"
            )
        try:
            staging.rename(target)  # atomic: a concurrent builder may have won
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return target


# --- running as an unprivileged user ------------------------------------------


def _running_as_root() -> bool:
    return os.geteuid() == 0


def ensure_es_user() -> pwd.struct_passwd:
    """Elasticsearch refuses to run as root: create (once) a system user for it."""
    try:
        return pwd.getpwnam(ES_USER)
    except KeyError:
        pass
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    result = subprocess.run(
        [
            useradd,
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            ES_USER,
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise NodeError(
            f"Running as root, and could not create the user {ES_USER!r} to run "
            f"Elasticsearch as: {result.stderr.strip()}"
        )
    return pwd.getpwnam(ES_USER)


def _world_traversable(path: Path) -> bool:
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in [path, *path.parents])


def _runnable_distribution(dist: Path) -> Path:
    """A copy of the distribution that the unprivileged user can read."""
    if _world_traversable(dist):
        return dist
    copy = Path("/var/tmp/hallway-elasticsearch") / dist.name  # noqa: S108
    if (copy / "bin" / "elasticsearch").exists():
        shutil.rmtree(copy / "plugins", ignore_errors=True)
        shutil.copytree(dist / "plugins", copy / "plugins", dirs_exist_ok=True)
    else:
        shutil.copytree(dist, copy, symlinks=True, dirs_exist_ok=True)
        for p in [copy.parent, copy]:
            p.chmod(0o755)
    return copy


# --- start / stop ------------------------------------------------------------


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    """A TCP port nobody listens on right now (for throw-away nodes)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def health(url: str, timeout: float = 2.0) -> dict | None:
    """The cluster health document, or ``None`` when nothing answers."""
    try:
        with urllib.request.urlopen(  # noqa: S310 - loopback URL we built
            f"{url}/_cluster/health", timeout=timeout
        ) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def _read_pid(node: Node) -> int | None:
    try:
        pid = int(node.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return pid


def _write_config(node: Node, dist: Path) -> None:
    # Rebuilt at every start so no state (keystores, certificates) carries over.
    shutil.rmtree(node.config_dir, ignore_errors=True)
    node.config_dir.mkdir(parents=True, exist_ok=True)
    for item in (dist / "config").iterdir():
        dest = node.config_dir / item.name
        if item.is_dir():
            shutil.copytree(item, dest, dirs_exist_ok=True)
        elif item.name != "elasticsearch.yml":
            shutil.copy2(item, dest)
    node.data_dir.mkdir(parents=True, exist_ok=True)
    node.logs_dir.mkdir(parents=True, exist_ok=True)
    if node.seed_ports:
        seeds = ", ".join(f'"127.0.0.1:{port}"' for port in node.seed_ports)
        masters = ", ".join(f'"hallway-{name}"' for name in node.masters)
        discovery = [
            f"cluster.name: hallway-{node.cluster or node.name}",
            f"discovery.seed_hosts: [{seeds}]",
            f"cluster.initial_master_nodes: [{masters}]",
        ]
        if node.roles:
            discovery.append(f"node.roles: [{', '.join(node.roles)}]")
    else:
        discovery = [
            f"cluster.name: hallway-{node.name}",
            "discovery.type: single-node",
        ]
    (node.config_dir / "elasticsearch.yml").write_text(
        "\n".join(
            [
                "# Written by tools/node.py; changes are overwritten at each start.",
                f"node.name: hallway-{node.name}",
                *discovery,
                "network.host: 127.0.0.1",
                f"http.port: {node.port}",
                f"transport.port: {node.transport_port}",
                f"path.data: {node.data_dir}",
                f"path.logs: {node.logs_dir}",
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "action.destructive_requires_name: false",
                "# Plain HTTP on loopback; also stops security auto-configuration.",
                "xpack.security.enabled: false",
                "",
            ]
        )
    )
    options = node.config_dir / "jvm.options.d"
    options.mkdir(exist_ok=True)
    (options / "hallway.options").write_text(
        f"-Xms{node.heap}\n-Xmx{node.heap}\n-XX:-HeapDumpOnOutOfMemoryError\n"
    )


def log_tail(node: Node, lines: int = 30) -> str:
    """The last lines the node wrote, for error messages."""
    for candidate in (node.console_log, node.logs_dir / f"hallway-{node.name}.log"):
        if candidate.exists():
            text = candidate.read_text(errors="replace").splitlines()
            return "\n".join(text[-lines:])
    return "(the node wrote no log)"


def start(node: Node, *, timeout: float = 120.0, quiet: bool = False) -> str:
    """Start ``node`` (fetching the distribution if needed); wait for yellow health."""
    pid = _read_pid(node)
    if pid and health(node.url):
        return node.url
    if _port_in_use(node.port):
        raise NodeError(
            f"Port {node.port} is already taken by another program, so the "
            f"Elasticsearch node {node.name!r} cannot start there. Stop that program, "
            "choose another port (ES_PORT=9201 make run), or point ELASTICSEARCH_URL "
            "at a running cluster."
        )
    dist = fetch(node.version, quiet=quiet)
    dist = ensure_plugin(dist, node.version, quiet=quiet)
    jhome = java_home()
    _write_config(node, dist)
    run_as: dict = {}
    if _running_as_root():
        user = ensure_es_user()
        dist = _runnable_distribution(dist)
        for dirpath, dirnames, filenames in os.walk(node.base_dir):
            os.chown(dirpath, user.pw_uid, user.pw_gid)
            for name in dirnames + filenames:
                os.chown(
                    Path(dirpath) / name,
                    user.pw_uid,
                    user.pw_gid,
                    follow_symlinks=False,
                )
        for p in [node.base_dir, *node.base_dir.parents]:
            if not os.stat(p).st_mode & stat.S_IXOTH and p != node.base_dir:
                p.chmod(os.stat(p).st_mode | stat.S_IXOTH)
        run_as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ES_JAVA_HOME": str(jhome),
        "ES_PATH_CONF": str(node.config_dir),
        "LANG": "C.UTF-8",
    }
    if not quiet:
        print(f"Starting Elasticsearch {node.version} ({node.name}) on {node.url} ...")
    with open(node.console_log, "ab") as console:
        process = subprocess.Popen(
            [str(dist / "bin" / "elasticsearch")],
            stdout=console,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=node.base_dir,
            start_new_session=True,
            **run_as,
        )
    node.pid_file.write_text(str(process.pid))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise NodeError(
                f"Elasticsearch exited with code {process.returncode} while starting. "
                f"Last lines of {node.logs_dir}:\n{log_tail(node)}"
            )
        state = health(node.url, timeout=1.0)
        if state and state.get("status") in {"yellow", "green"}:
            return node.url
        time.sleep(0.5)
    stop(node)
    raise NodeError(
        f"Elasticsearch did not become healthy within {timeout:.0f}s. "
        f"Last lines of {node.logs_dir}:\n{log_tail(node)}"
    )


def exit_on_sigterm() -> None:
    """Make ``kill PID`` an exit that runs ``finally`` blocks, so a command's
    throw-away node stops with it (Ctrl-C already does; a killed ``make
    eval`` had left its node running)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def stop(node: Node, *, timeout: float = 30.0) -> bool:
    """Stop ``node`` if it runs; return whether it was running."""
    pid = _read_pid(node)
    if pid is None:
        return False
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
        _reap(pid)
    else:
        os.killpg(pid, signal.SIGKILL)
        _reap(pid)
    node.pid_file.unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.node", description=__doc__)
    parser.add_argument("action", choices=["fetch", "start", "stop", "status"])
    parser.add_argument("--name", default="dev")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("ES_PORT", 9200))
    )
    args = parser.parse_args(argv)
    node = default_node(args.name, args.port)
    try:
        if args.action == "fetch":
            print(fetch())
        elif args.action == "start":
            print(start(node))
        elif args.action == "stop":
            print("stopped" if stop(node) else "not running")
        else:
            state = health(node.url)
            print(json.dumps(state) if state else f"no node answers on {node.url}")
            return 0 if state else 1
    except NodeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
