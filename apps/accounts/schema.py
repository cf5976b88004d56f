"""OpenAPI description of our token authentication (the same header as DRF's)."""

from drf_spectacular.authentication import TokenScheme


class SiaksTokenScheme(TokenScheme):
    target_class = "apps.accounts.token.TokenAuthentication"
    name = "tokenAuth"
