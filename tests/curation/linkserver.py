"""A local HTTP server with the kinds of addresses the link checker meets: fine, moved, gone, slow, flapping."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # like a real server's backlog: many checks connect at once

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.release = threading.Event()  # set when the test ends: slow answers stop waiting
        self.hits: Counter[str] = Counter()
        self.methods: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.running = 0
        self.most_at_once = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: LinkServer

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def answer(self, *, body: bool) -> None:
        server = self.server
        path = self.path.split("?")[0]
        with server.lock:
            server.hits[path] += 1
            server.methods.append((self.command, path))
            count = server.hits[path]
            server.running += 1
            server.most_at_once = max(server.most_at_once, server.running)
        try:
            status, location = self.decide(path, count)
        finally:
            # Counted as finished before the reply leaves: once the checker has the reply it may send the next
            # request, which must not find this one still counted.
            with server.lock:
                server.running -= 1
        self.reply(status, location=location, body=body)

    def decide(self, path: str, count: int) -> tuple[int, str]:
        """The status (and redirect) for ``path``, after waiting as long as that address does."""
        server = self.server
        if path == "/ok":
            return 200, ""
        if path == "/moved":
            return 301, "/ok"
        if path == "/loop":
            return 302, "/loop"
        if path == "/no-head":
            return (405 if self.command == "HEAD" else 200), ""
        if path == "/error":
            return 500, ""
        if path == "/flap":  # two failing answers, two working ones, two failing ...
            return (503 if (count - 1) // 2 % 2 == 0 else 200), ""
        if path == "/slow":
            server.release.wait(5)  # longer than the checker waits
            return 200, ""
        if path == "/busy":
            server.release.wait(0.05)  # holds its slot a moment, to see how many run at once
            return 200, ""
        return 404, ""  # "/gone" and anything else

    def reply(self, status: int, *, location: str = "", body: bool) -> None:
        try:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            if body:
                self.wfile.write(b"ok")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker stopped waiting


@contextmanager
def link_server() -> Iterator[LinkServer]:
    server = LinkServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
