"""django-otp's middleware, taking the verified device from the preloaded user when it is the
user's confirmed authenticator (apps/portal/konteks.py) instead of a query per request."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware


class OTPMiddleware(BaseOTPMiddleware):
    def _verify_user_sync(self, request, user):
        from apps.portal import konteks

        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = None
            if persistent_id:
                preloaded = konteks.totp(user)
                normal = self._normalize_persistent_id(persistent_id)
                if preloaded is not konteks.TIDAK_ADA and preloaded is not None and preloaded.persistent_id == normal:
                    device = preloaded
                else:  # a backup code, or a user loaded elsewhere
                    device = self._device_from_persistent_id(persistent_id)
            user.otp_device = self._finalize_device(request, user, device)
        return user
