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
            if path == "/ok":
                self.reply(200, body=body)
            elif path == "/moved":
                self.reply(301, location="/ok", body=body)
            elif path == "/loop":
                self.reply(302, location="/loop", body=body)
            elif path == "/gone":
                self.reply(404, body=body)
            elif path == "/no-head":
                self.reply(405 if self.command == "HEAD" else 200, body=body)
            elif path == "/error":
                self.reply(500, body=body)
            elif path == "/flap":  # two failing answers, two working ones, two failing ...
                self.reply(503 if (count - 1) // 2 % 2 == 0 else 200, body=body)
            elif path == "/slow":
                server.release.wait(5)  # longer than the checker waits
                self.reply(200, body=body)
            elif path == "/busy":
                server.release.wait(0.05)  # holds its slot a moment, to see how many run at once
                self.reply(200, body=body)
            else:
                self.reply(404, body=body)
        finally:
            with server.lock:
                server.running -= 1

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
