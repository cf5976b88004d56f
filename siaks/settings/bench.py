"""Production settings plus the benchmark's floor view (bench/halaman_beban.py only)."""

from .production import *  # noqa: F403

SIAKS_BENCH_LANTAI = True
