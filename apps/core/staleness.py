"""Stale-form protection: a form carries a fingerprint of the row it was rendered from; if the
row changed in between (another user saved), the save is refused with a clear message."""

from __future__ import annotations

import hashlib
import json

from django.forms.models import model_to_dict


def fingerprint(obj) -> str:
    if obj is None or obj.pk is None:
        return ""
    data = model_to_dict(obj)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]
