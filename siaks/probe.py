"""Liveness files for the processes that serve no HTTP: the Celery worker and the outbox relay.

Each process touches ``$SIAKS_LIVENESS_DIR/<name>`` while its main loop turns (the worker from a
timer of its own event loop, see siaks/celery.py; the relay on each round). A container probe
runs ``python -m siaks.probe worker`` (or ``relay``): exit 0 when the file is younger than
``--max-age`` seconds, 1 otherwise. No Django import: the probe is cheap enough to run often.

One worker (or relay) per container, or give each its own ``--nama``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

DEFAULT_INTERVAL = 10.0
DEFAULT_MAX_AGE = 60.0


def liveness_dir() -> Path:
    value = os.environ.get("SIAKS_LIVENESS_DIR")
    if value:
        return Path(value)
    from siaks import embedded

    return embedded.data_dir() / "sehat"


def interval() -> float:
    return float(os.environ.get("SIAKS_LIVENESS_INTERVAL", DEFAULT_INTERVAL))


def touch(name: str) -> None:
    folder = liveness_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    tmp = folder / f".{name}.{os.getpid()}"
    tmp.write_text(f"{time.time():.3f} {os.getpid()}\n")
    os.replace(tmp, path)


def remove(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        (liveness_dir() / name).unlink()


def age(name: str) -> float | None:
    """Seconds since ``name`` last touched its file, or None if there is none."""
    try:
        stamp = float((liveness_dir() / name).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return max(0.0, time.time() - stamp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m siaks.probe", description=__doc__.split("\n\n")[0])
    parser.add_argument("nama", help="worker or relay (the liveness file's name)")
    parser.add_argument("--max-age", type=float, default=DEFAULT_MAX_AGE, help="seconds (default 60)")
    args = parser.parse_args(argv)
    seconds = age(args.nama)
    if seconds is None:
        print(f"{args.nama}: tidak ada denyut di {liveness_dir()}")
        return 1
    if seconds > args.max_age:
        print(f"{args.nama}: denyut terakhir {seconds:.0f} detik lalu (batas {args.max_age:.0f})")
        return 1
    print(f"{args.nama}: hidup (denyut {seconds:.1f} detik lalu)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
