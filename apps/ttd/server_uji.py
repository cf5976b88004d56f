"""The lifecycle the local stand-in servers share (the BSrE API, ``bsre_uji``; the TSA,
``tsa_uji``): an HTTP server on a daemon thread, started and stopped by hand or as a context."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer


class ServerUji:
    def _siapkan(self, handler, host: str, port: int, soket=None) -> None:
        """``soket``: a socket already bound and listening (handed over by run_portal, which
        bound it so that no other portal can take the port between choosing and serving)."""
        if soket is None:
            self.server = ThreadingHTTPServer((host, port), handler)
        else:
            self.server = ThreadingHTTPServer(soket.getsockname()[:2], handler, bind_and_activate=False)
            self.server.socket.close()
            self.server.socket = soket
            self.server.server_address = soket.getsockname()[:2]
            self.server.server_name, self.server.server_port = self.server.server_address
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
