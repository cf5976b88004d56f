"""REST API for the national recap figures (pembina staff, for the JFs their instansi administers)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import has_role
from apps.core import tenancy
from apps.core.api import Capability, TenantScopedMixin
from apps.referensi.models import JabatanFungsional
from apps.rekap import selectors
from apps.rekap.models import RekapUsulan


class RekapSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    per_status = serializers.DictField(child=serializers.IntegerField())
    per_tahap = serializers.DictField(child=serializers.IntegerField())
    per_jenjang = serializers.ListField(child=serializers.DictField())
    per_instansi = serializers.ListField(child=serializers.DictField())
    throughput = serializers.DictField()
    terlambat_perbaikan = serializers.IntegerField()


class RekapView(TenantScopedMixin, APIView):
    """National recap figures for the JFs your instansi administers (pembina staff)."""

    serializer_class = RekapSerializer
    permission_classes = [Capability]
    read_capability = write_capability = staticmethod(
        lambda u: has_role(u, Role.ADMIN_PEMBINA, Role.VERIFIKATOR, Role.KETUA_TIM)
    )
    schema_model = RekapUsulan

    def scoped_queryset(self):
        return RekapUsulan.objects.none()

    def get_queryset(self):  # the figures do not come from a queryset of this view
        return RekapUsulan.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("jf", str, description="Kode JF (default: semua yang dibina)")],
        responses=RekapSerializer,
    )
    def get(self, request):
        scope = tenancy.current()
        jf_ids = sorted(scope.jf_ids) if scope else []
        kode = request.query_params.get("jf")
        if kode:
            jf_ids = list(JabatanFungsional.objects.filter(kode=kode, pk__in=jf_ids).values_list("pk", flat=True))
        r = selectors.nasional(jf_ids, per_instansi_limit=None)
        return Response(
            {
                "total": r["total"],
                "per_status": {s: n for s, _label, n in r["per_status"]},
                "per_tahap": {t["kode"]: t["jumlah"] for t in r["tahap"]},
                "per_jenjang": r["per_jenjang"],
                "per_instansi": [
                    {
                        "kode": i["instansi__kode"],
                        "nama": i["instansi__nama"],
                        **{k: i[k] for k in ("formasi", "diusulkan", "proses", "lulus", "sk", "gugur")},
                    }
                    for i in r["per_instansi"]
                ],
                "throughput": r["throughput"],
                "terlambat_perbaikan": r["terlambat_perbaikan"],
            }
        )
