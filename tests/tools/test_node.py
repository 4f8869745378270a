"""The local Elasticsearch node starts, answers, and fails with useful messages."""

import os
import signal
import socket
from pathlib import Path

import pytest

from tools import node as es_node


@pytest.mark.elasticsearch
def test_the_session_node_answers(elasticsearch_url):
    state = es_node.health(elasticsearch_url)
    assert state is not None
    assert state["status"] in {"green", "yellow"}
    assert state["number_of_nodes"] == 1


def test_a_taken_port_gives_a_clear_message(tmp_path: Path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        node = es_node.Node(name="busy", port=port, base_dir=tmp_path)
        with pytest.raises(es_node.NodeError, match=f"Port {port} is already taken"):
            es_node.start(node, quiet=True)


def test_health_of_nothing_is_none():
    assert (
        es_node.health(f"http://127.0.0.1:{es_node.free_port()}", timeout=0.5) is None
    )


def test_config_is_single_node_loopback_without_watermarks(tmp_path: Path):
    dist = tmp_path / "dist"
    (dist / "config").mkdir(parents=True)
    (dist / "config" / "jvm.options").write_text("-Xss1m\n")
    node = es_node.Node(name="t", port=9299, base_dir=tmp_path / "n", heap="256m")
    es_node._write_config(node, dist)
    config = (node.config_dir / "elasticsearch.yml").read_text()
    assert "discovery.type: single-node" in config
    assert "network.host: 127.0.0.1" in config
    assert "http.port: 9299" in config
    assert "disk.threshold_enabled: false" in config
    assert (node.config_dir / "jvm.options").exists()
    heap = (node.config_dir / "jvm.options.d" / "hallway.options").read_text()
    assert "-Xmx256m" in heap


def test_a_killed_command_exits_through_its_finally_blocks():
    """``exit_on_sigterm``: ``kill PID`` raises SystemExit, so the commands'
    ``finally`` blocks stop their throw-away node."""
    previous = signal.getsignal(signal.SIGTERM)
    stopped = []
    try:
        es_node.exit_on_sigterm()
        with pytest.raises(SystemExit) as exited:
            try:
                os.kill(os.getpid(), signal.SIGTERM)  # handled right after
            finally:
                stopped.append(True)
        assert exited.value.code == 143
        assert stopped == [True]
    finally:
        signal.signal(signal.SIGTERM, previous)
