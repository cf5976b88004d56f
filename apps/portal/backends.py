"""Django's ModelBackend, loading ``request.user`` with its request context in one query."""

from __future__ import annotations

from django.contrib.auth import backends


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        from apps.portal import konteks

        user = konteks.muat(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
