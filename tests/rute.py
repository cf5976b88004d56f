"""The named routes of the URL conf, for the walks that must cover every route (the cross-tenant
probe, the invalid-input walk)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def rute_bernama() -> dict[str, set[str]]:
    """name (with its namespaces) → parameter names of every named route, following includes
    (a name several patterns share gets all their parameters)."""
    found: dict[str, set[str]] = {}

    def walk(patterns, ns="", inherited: frozenset = frozenset()):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns,
                     inherited | set(p.pattern.regex.groupindex))  # fmt: skip
            elif isinstance(p, URLPattern) and p.name:
                found.setdefault(ns + p.name, set()).update(inherited | set(p.pattern.regex.groupindex))

    walk(get_resolver().url_patterns)
    return found


def rute_halaman() -> dict[str, set[str]]:
    """The page routes: no API, no admin."""
    return {n: params for n, params in rute_bernama().items() if not n.startswith(("admin:", "api:"))}
