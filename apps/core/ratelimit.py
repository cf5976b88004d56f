"""A small fixed-window rate limit per client IP in the shared cache (Redis), for pages that
need no login (the public verification page) and for uploads. A 429 page says when to retry."""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.core.audit import client_ip


def terlampaui(kunci: str, ident: str, per_menit: int) -> int:
    """Count this request; return 0 when allowed, else the seconds until the window ends."""
    window = int(time.time() // 60)
    key = f"rl:{kunci}:{ident}:{window}"
    try:
        added = cache.add(key, 1, timeout=65)
        count = 1 if added else cache.incr(key)
    except Exception:  # the cache is down: do not lock people out of the portal
        return 0
    if count > per_menit:
        return 60 - int(time.time()) % 60
    return 0


def batasi(kunci: str, *, per_menit: int | str, hanya_post: bool = False):
    """``per_menit``: a number, or the name of the setting holding it (read per request)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (hanya_post and request.method != "POST"):
                ident = str(request.user.pk) if getattr(request.user, "is_authenticated", False) else client_ip(request)
                limit = getattr(settings, per_menit) if isinstance(per_menit, str) else per_menit
                retry = terlampaui(kunci, ident or "?", limit)
                if retry:
                    response = render(
                        request,
                        "429.html",
                        {"pesan": _("Terlalu banyak permintaan. Coba lagi dalam %(s)d detik.") % {"s": retry}},
                        status=429,
                    )
                    response["Retry-After"] = str(retry)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
