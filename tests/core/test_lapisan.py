"""The layers, read from the source (scripts/lapisan.py): core is the floor, portal the roof."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("lapisan", ROOT / "scripts" / "lapisan.py")
lapisan = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lapisan)


def test_core_imports_no_app_above_it():
    assert dict(lapisan.graph().get("core", {})) == {}


def test_no_app_imports_the_portal_shell():
    importers = {app: deps["portal"] for app, deps in lapisan.graph().items() if "portal" in deps}
    assert importers == {}


def test_the_import_reader_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from apps.surat import pdf\n    import apps.rekap.models\n")
    assert lapisan.imports_of(source) == {"apps.surat", "apps.surat.pdf", "apps.rekap.models"}


def test_reference_data_reaches_the_usulan_only_through_pengusulans_services():
    """A national AK row change recomputes usulan: pengusulan writes them (usulan_ak_hitung_ulang)."""
    imported = set()
    for path in (ROOT / "apps" / "referensi").rglob("*.py"):
        if "migrations" not in path.parts:
            imported |= {m for m in lapisan.imports_of(path) if m.startswith("apps.pengusulan")}
    assert imported <= {
        "apps.pengusulan",
        "apps.pengusulan.services",
        "apps.pengusulan.services.usulan_ak_hitung_ulang",
    }


def test_no_app_imports_another_apps_private_names():
    """A name with a leading underscore is its module's own: another app calls the public
    function meant for it (apps.surat.isi.umum for the PAK/HAPAK snapshots, not ``_umum``)."""
    private = []
    for path in sorted((ROOT / "apps").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        app = path.relative_to(ROOT).parts[1]
        for module in lapisan.imports_of(path):
            parts = module.split(".")
            if parts[1] != app and any(p.startswith("_") and not p.startswith("__") for p in parts[2:]):
                private.append(f"{path.relative_to(ROOT)}: {module}")
    assert private == []
