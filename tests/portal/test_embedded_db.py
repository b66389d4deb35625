"""The embedded PostgreSQL server: starts, is reused, survives a crash's leftovers, stops."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from portal.embedded_db import EmbeddedPostgres, binaries_dir


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = EmbeddedPostgres(Path(tmp_path_factory.mktemp("embedded")))
    yield server
    server.stop()


def query(server: EmbeddedPostgres, sql: str) -> str:
    settings = server.database_settings()
    return subprocess.run(
        [
            str(binaries_dir() / "psql"),
            "-h",
            settings["HOST"],
            "-U",
            settings["USER"],
            "-d",
            settings["NAME"],
            "-Atc",
            sql,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_first_use_creates_the_cluster_and_the_database(server):
    server.ensure_running()
    assert server.is_running()
    assert query(server, "SELECT current_database()") == "delarum"


def test_a_second_start_reuses_the_running_server(server):
    server.ensure_running()
    pid = (server.data_dir / "postmaster.pid").read_text().splitlines()[0]
    server.ensure_running()
    assert (server.data_dir / "postmaster.pid").read_text().splitlines()[0] == pid


def test_a_stale_pid_file_from_a_crash_does_not_block_the_next_start(server):
    server.ensure_running()
    assert server.stop() is True
    assert not server.is_running()
    # A crash leaves postmaster.pid behind, naming a pid that now belongs to another process (ours).
    (server.data_dir / "postmaster.pid").write_text(f"{os.getpid()}\n{server.data_dir}\n")

    server.ensure_running()

    assert server.is_running()
    assert query(server, "SELECT 1") == "1"


def test_stop_says_whether_anything_was_running(server):
    server.ensure_running()
    assert server.stop() is True
    assert server.stop() is False
