"""gunicorn reads this file from the working directory: metrics across every worker process.

prometheus_client's multiprocess mode: each worker writes its samples to files in
``PROMETHEUS_MULTIPROC_DIR`` (a fresh temporary folder unless set), a scrape answered by any
worker adds them all up (apps/core/metrik.py), and a dead worker's live gauges are dropped.
Everything else (bind, workers, timeout) stays on the command line."""

import os
import tempfile
from pathlib import Path

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="siaks-prometheus-")


def on_starting(server):
    # Files of an earlier run in a reused folder would add old counts to the new ones.
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
