from __future__ import annotations

from apps.core import tenancy


class TenantScopeMiddleware:
    """Enter the logged-in user's tenant scope for the rest of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with tenancy.activate(tenancy.scope_for_user(request.user)):
            return self.get_response(request)
