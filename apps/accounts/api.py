"""API tokens: issued here through the same brute-force protection as the login page (axes per
username + address, the address-wide spraying guard, the paced second-factor check), listed and
revoked by their owner (apps.accounts.token)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import dua_langkah, lockout
from apps.accounts import token as api_token
from apps.accounts.lockout import respons_terkunci
from apps.accounts.models import TokenAPI
from apps.core import audit
from apps.core.audit import client_ip


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False, allow_blank=True, max_length=12,
        help_text="Kode verifikasi dua langkah (wajib bagi pembina, PPK dan superadmin): 6 angka dari aplikasi "
        "autentikator atau 8 angka kode cadangan.",
    )  # fmt: skip
    nama = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Label token, mis. nama skrip."
    )


class TokenTerbitSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Ditampilkan sekali; simpan dengan aman.")
    kedaluwarsa = serializers.DateTimeField()
    dua_langkah = serializers.BooleanField()


class TokenView(APIView):
    """Exchange a username and password (and, where required, a second-factor code) for a new
    API token that expires after a working day."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenTerbitSerializer,
            400: inline_serializer("TokenDitolak", {"non_field_errors": serializers.ListField(required=False)}),
            429: inline_serializer("TokenDijeda", {"detail": serializers.CharField()}),
        },
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The real HttpRequest, so django-axes sees the client and can refuse a locked pair.
        http_request = request._request
        sampai = lockout.ip_terblokir(http_request)
        if sampai is not None:
            return lockout.respons_ip_terkunci(http_request, sampai)
        v = data.validated_data
        user = authenticate(http_request, username=v["username"], password=v["password"])
        if getattr(http_request, "axes_locked_out", False):
            return respons_terkunci(http_request)
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": [_("Nama pengguna atau kata sandi salah.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        ip = client_ip(http_request)
        dengan_kode = False
        if dua_langkah.perlu_kode(user):
            if not v.get("otp"):
                return Response(
                    {"otp": [_("Kode verifikasi dua langkah diperlukan.")]}, status=status.HTTP_400_BAD_REQUEST
                )
            hasil = dua_langkah.cek_kode(user, v["otp"], ip_address=ip)
            if hasil.device is None:
                if hasil.jeda_sampai is not None:
                    from django.utils import timezone

                    response = Response({"detail": hasil.pesan_jeda}, status=status.HTTP_429_TOO_MANY_REQUESTS)
                    response["Retry-After"] = str(max(1, int((hasil.jeda_sampai - timezone.now()).total_seconds())))
                    return response
                return Response({"otp": [_("Kode verifikasi dua langkah salah.")]}, status=status.HTTP_400_BAD_REQUEST)
            dengan_kode = True
        token, key = api_token.terbitkan(user, dua_langkah=dengan_kode, nama=v.get("nama", ""), ip_address=ip)
        audit.record(
            "token.terbit", actor=user, instansi=user.instansi, obj=user, ip_address=ip,
            message=_("Token API %(a)s… diterbitkan.") % {"a": token.awalan},
        )  # fmt: skip
        return Response({"token": key, "kedaluwarsa": token.kedaluwarsa_at, "dua_langkah": dengan_kode})


class TokenSayaSerializer(serializers.ModelSerializer):
    class Meta:
        model = TokenAPI
        fields = ["id", "nama", "awalan", "dua_langkah", "dibuat_at", "kedaluwarsa_at", "dipakai_at", "ip_address"]


class TokenSayaViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own live API tokens; DELETE revokes one (another user's token is 404)."""

    serializer_class = TokenSayaSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return TokenAPI.objects.none()
        return api_token.aktif(self.request.user).order_by("-dibuat_at", "-id")

    def perform_destroy(self, instance):
        api_token.cabut(instance, alasan="dicabut pemilik")
        audit.record(
            "token.cabut", actor=self.request.user, instansi=self.request.user.instansi, obj=self.request.user,
            ip_address=client_ip(self.request), message=_("Token API %(a)s… dicabut.") % {"a": instance.awalan},
        )  # fmt: skip
