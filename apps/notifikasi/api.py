"""REST API for a user's own notifications."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.notifikasi import services
from apps.notifikasi.models import Notifikasi


class NotifikasiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notifikasi
        fields = ["id", "jenis", "judul", "isi", "url", "usulan_id", "created_at", "dibaca_at"]


class NotifikasiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your notifications, newest first. ``?belum=1``: unread only."""

    serializer_class = NotifikasiSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notifikasi.objects.none()
        qs = Notifikasi.objects.filter(user=self.request.user)
        if self.request.query_params.get("belum") == "1":
            qs = qs.filter(dibaca_at__isnull=True)
        return qs

    @extend_schema(request=None, responses=NotifikasiSerializer)
    @action(detail=True, methods=["post"])
    def baca(self, request, pk=None):
        n = self.get_object()
        services.notifikasi_tandai_dibaca(request.user, [n.pk])
        n.refresh_from_db()
        return Response(NotifikasiSerializer(n).data)

    @extend_schema(request=None, responses=inline_serializer("Ditandai", {"ditandai": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="baca-semua")
    def baca_semua(self, request):
        return Response({"ditandai": services.notifikasi_tandai_dibaca(request.user)})

    @extend_schema(responses=inline_serializer("JumlahBelumDibaca", {"belum_dibaca": serializers.IntegerField()}))
    @action(detail=False, methods=["get"])
    def jumlah(self, request):
        return Response({"belum_dibaca": self.get_queryset().filter(dibaca_at__isnull=True).count()})
