"""The lifecycle the local stand-in servers share (the BSrE API, ``bsre_uji``; the TSA,
``tsa_uji``): an HTTP server on a daemon thread, started and stopped by hand or as a context."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer


class ServerUji:
    def _siapkan(self, handler, host: str, port: int) -> None:
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
