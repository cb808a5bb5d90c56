"""A throw-away HTTP server on 127.0.0.1 serving a folder (with a fault switch)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class FlakyHandler(SimpleHTTPRequestHandler):
    """Serves files; the first `failures[name]` requests for a file answer 503."""

    failures: dict[str, int] = {}
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        name = self.path.rsplit("/", 1)[-1]
        type(self).requests.append(name)
        if type(self).failures.get(name, 0) > 0:
            type(self).failures[name] -= 1
            self.send_error(503, "try again")
            return
        super().do_GET()

    def log_message(self, *args) -> None:
        pass


class ServedURL(str):
    """The server's base URL; `.requests` lists the file names asked for, in order."""

    requests: list[str]


@contextmanager
def serve_folder(folder: Path, failures: dict[str, int] | None = None) -> Iterator[ServedURL]:
    handler = type("Handler", (FlakyHandler,), {"failures": dict(failures or {}), "requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = ServedURL(f"http://127.0.0.1:{server.server_address[1]}/")
    url.requests = handler.requests
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
