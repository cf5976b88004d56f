"""List which app imports which (every import, also those inside functions), from the source.

    .venv/bin/python scripts/lapisan.py          # app → apps it imports, with the modules
    .venv/bin/python scripts/lapisan.py --ringkas  # app → apps only

tests/core/test_lapisan.py asserts the rules docs/architecture.md states on the same data."""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ROOT / "apps"


def imports_of(path: Path) -> set[str]:
    """Every ``apps.*`` module a file imports (top level or inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("apps.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "apps":
                found |= {f"apps.{a.name}" for a in node.names}
            elif node.module.startswith("apps."):
                found.add(node.module)
                found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def app_of(module: str) -> str:
    return module.split(".")[1]


def graph() -> dict[str, dict[str, set[str]]]:
    """{app: {imported app: {importing module path}}} for the source files of apps/."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(APPS.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts or len(rel.parts) < 3:
            continue
        app = rel.parts[1]
        for module in imports_of(path):
            other = app_of(module)
            if other != app and (APPS / other).is_dir():
                out[app][other].add(str(rel))
    return out


def main(argv: list[str]) -> None:
    ringkas = "--ringkas" in argv
    g = graph()
    for app in sorted(p.name for p in APPS.iterdir() if (p / "apps.py").exists()):
        deps = g.get(app, {})
        print(f"{app} → {', '.join(sorted(deps)) or '-'}")
        if not ringkas:
            for other in sorted(deps):
                for where in sorted(deps[other]):
                    print(f"    {other:12} {where}")


if __name__ == "__main__":
    main(sys.argv[1:])
