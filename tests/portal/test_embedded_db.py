"""The embedded PostgreSQL server: starts, is reused, survives a crash's leftovers, stops."""

from __future__ import annotations

import os
import subprocess
import sys
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


@pytest.mark.parametrize(("database_url", "starts"), [("postgres://x@127.0.0.1:9/x", False), ("", True)])
def test_the_embedded_server_starts_only_without_database_url(database_url, starts):
    # Settings are imported in a fresh process whose embedded server refuses to start, so we see whether it tried.
    code = (
        "import portal.embedded_db as e\n"
        "def refuse(self): raise SystemExit('embedded server started')\n"
        "e.EmbeddedPostgres.ensure_running = refuse\n"
        "import portal.settings\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DEBUG="1", **({"DATABASE_URL": database_url} if database_url else {}))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True
    )
    assert ("embedded server started" in result.stderr) is starts
    assert (result.returncode == 0) is not starts
