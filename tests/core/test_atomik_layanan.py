"""A service that locks rows (``select_for_update``) is one unit of work of its own: it is
decorated ``@transaction.atomic`` or opens ``transaction.atomic()`` itself, so it never relies on
its caller's transaction (a view's ATOMIC_REQUESTS, a test's). Twice a new helper was inserted
between ``@transaction.atomic`` and the service it decorated (apps/ttd/services.unggah_salinan,
apps/ttd/alur.alur_simpan): the decorator then wrapped the helper and the service ran without its
own transaction. The lock helpers below are documented as running inside their caller's."""

from __future__ import annotations

import ast
from pathlib import Path

#: Module-level functions that take the caller's transaction by design (each says so).
DALAM_TRANSAKSI_PEMANGGIL = {
    ("apps/penetapan/alur.py", "kunci"),
    ("apps/pengusulan/alur.py", "kunci_usulan"),
    ("apps/jabatan/kenaikan.py", "kenaikan_jenjang_terapkan"),  # from pindahkan's effects
    ("apps/pengusulan/services.py", "usulan_ak_hitung_ulang"),  # from referensi.ak_row_update
}


def _atomic(fn: ast.FunctionDef) -> bool:
    if any("atomic" in ast.unparse(d) for d in fn.decorator_list):
        return True
    return "transaction.atomic(" in ast.unparse(fn)


def test_every_public_service_that_locks_rows_is_atomic_itself():
    root = Path(__file__).resolve().parents[2]
    tanpa = []
    for path in sorted((root / "apps").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(root).as_posix()
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            lock = "select_for_update" in ast.unparse(node) and not _atomic(node)
            if lock and (rel, node.name) not in DALAM_TRANSAKSI_PEMANGGIL:
                tanpa.append(f"{rel}:{node.lineno} {node.name}")
    assert not tanpa, "services that lock rows without a transaction of their own: " + ", ".join(tanpa)
