"""API token endpoint that goes through the same brute-force protection as the login page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django_otp import match_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import dua_langkah
from apps.accounts.lockout import respons_terkunci


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False, allow_blank=True, max_length=12,
        help_text="Kode verifikasi dua langkah (wajib bagi pembina, PPK dan superadmin).",
    )  # fmt: skip


class TokenView(APIView):
    """Exchange a username and password for the user's API token."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The real HttpRequest, so django-axes sees the client and can refuse a locked pair.
        http_request = request._request
        otp = data.validated_data.pop("otp", "")
        user = authenticate(http_request, **data.validated_data)
        if getattr(http_request, "axes_locked_out", False):
            return respons_terkunci(http_request)
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": [_("Nama pengguna atau kata sandi salah.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        needs_otp = (settings.SIAKS_2FA_WAJIB and dua_langkah.wajib(user)) or dua_langkah.aktif(user)
        if needs_otp and (not otp or match_token(user, otp.replace(" ", "")) is None):
            return Response(
                {"otp": [_("Kode verifikasi dua langkah diperlukan atau salah.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
