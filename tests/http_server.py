"""A throw-away HTTP server on 127.0.0.1 serving a folder, with ETags and fault switches.

Only ever bound to 127.0.0.1. Per file name, `failures` answers 503 that many times first;
`faults` makes every request for the file misbehave:

- "404", "500": that status;
- "truncated": announces the full length, sends half the body and closes;
- "stall": sends headers and a few bytes, then nothing until the server stops;
- "trickle": sends the body one byte every 0.2 s (never finishes in any sane time);
- "corrupt": a 200 with other bytes than the file's (what a wrong checksum looks like).

Each response carries an ETag (the file's SHA-256) and a matching If-None-Match gets 304.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class FlakyHandler(SimpleHTTPRequestHandler):
    failures: dict[str, int] = {}
    faults: dict[str, str] = {}
    requests: list[str] = []
    conditional: list[str] = []  # names asked for with If-None-Match
    stopping: threading.Event = threading.Event()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        name = self.path.rsplit("/", 1)[-1]
        cls = type(self)
        cls.requests.append(name)
        if cls.failures.get(name, 0) > 0:
            cls.failures[name] -= 1
            self.send_error(503, "try again")
            return
        file = Path(self.directory) / name
        fault = cls.faults.get(name)
        if fault in ("404", "500"):
            self.send_error(int(fault))
            return
        if not name or not file.is_file():
            super().do_GET()  # listings, 404s
            return
        data = file.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest() + '"'
        if self.headers.get("If-None-Match"):
            cls.conditional.append(name)
            if self.headers["If-None-Match"] == etag and fault is None:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
        if fault == "corrupt":
            data = b"<treaty>not what was published</treaty>"
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.end_headers()
        if fault == "truncated":
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if fault == "stall":
            self.wfile.write(data[:10])
            self.wfile.flush()
            cls.stopping.wait(120)
            return
        if fault == "trickle":
            for byte in data:
                if cls.stopping.wait(0.2):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            return
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


class ServedURL(str):
    """The server's base URL; `.requests` lists the file names asked for, in order, and
    `.conditional` those asked for with an If-None-Match header."""

    requests: list[str]
    conditional: list[str]


@contextmanager
def serve_folder(folder: Path, failures: dict[str, int] | None = None,
                 faults: dict[str, str] | None = None) -> Iterator[ServedURL]:
    handler = type("Handler", (FlakyHandler,), {"failures": dict(failures or {}), "faults": dict(faults or {}),
                                                "requests": [], "conditional": [],
                                                "stopping": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = ServedURL(f"http://127.0.0.1:{server.server_address[1]}/")
    url.requests = handler.requests
    url.conditional = handler.conditional
    try:
        yield url
    finally:
        handler.stopping.set()  # release stalled and trickling responses
        server.shutdown()
        server.server_close()
