"""The API's JSON renderer (settings.REST_FRAMEWORK's DEFAULT_RENDERER_CLASSES).

A module of its own that imports no DRF view: DRF resolves the renderer setting when
``rest_framework.views`` is first imported, and if that happens while the module defining the
renderer is itself still being imported (``apps.core.api`` imports ``rest_framework.views``), the
process fails with a circular import — as it did for any process whose first DRF import was
``apps.core.api``."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from rest_framework import renderers
from rest_framework.utils import encoders


class JSONEncoderWIB(encoders.JSONEncoder):
    """Every time in a response as the serializers' ``DateTimeField`` gives it: ISO 8601 in the
    portal's zone, Asia/Jakarta (``2026-11-30T14:05:00+07:00``). DRF's encoder writes a datetime
    put in a response as it is in UTC (``…Z``): the TTE routes built their answers so, next to the
    serializers' ``+07:00`` (issue 17 fresh-eye walk)."""

    def default(self, obj):
        if isinstance(obj, datetime) and timezone.is_aware(obj):
            return timezone.localtime(obj).isoformat()
        return super().default(obj)


class JSONRendererWIB(renderers.JSONRenderer):
    encoder_class = JSONEncoderWIB
