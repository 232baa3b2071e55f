"""Another site, on an origin of its own: a plain HTTP server for the host pages that embed the glossary."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript"}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        path = urlsplit(self.path).path
        found = self.server.files.get(path)
        if found is None:
            self.send_error(404)
            return
        body, headers = found
        data = body.encode("utf-8")
        self.send_response(200)
        suffix = path[path.rfind("."):]
        self.send_header("Content-Type", TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        pass


class HostSite:
    """The files a host site serves, by path, each with its extra response headers (e.g. a CSP)."""

    def __init__(self, server: ThreadingHTTPServer):
        self._server = server
        self.origin = f"http://127.0.0.1:{server.server_port}"

    def put(self, path: str, body: str, **headers: str) -> str:
        """Serve `body` at `path` (headers given as Content_Security_Policy=...); return its URL."""
        self._server.files[path] = (body, {name.replace("_", "-"): value for name, value in headers.items()})
        return self.origin + path


@contextmanager
def host_site():
    """Serve a host site on a free port of its own in a thread; yield it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.files = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HostSite(server)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
