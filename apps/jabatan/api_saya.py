"""The pejabat fungsional's own data over the API (issue 19, item 5): their record with both AK
totals, their ledger and their letters. No object id in the URL: the holder's scope (their own
record, ``apps.core.tenancy``) decides, as on the pages; other roles get 403."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.accounts import permissions
from apps.accounts.models import Role
from apps.core.api import Capability, TenantScopedMixin
from apps.jabatan import selectors_saya
from apps.jabatan.api import MutasiSerializer, PejabatDetailSerializer
from apps.jabatan.models import PejabatFungsional
from apps.surat.models import Surat


class SuratSayaSerializer(serializers.ModelSerializer):
    jenis_label = serializers.CharField(source="label_jenis", read_only=True)
    unduh = serializers.SerializerMethodField(
        help_text=_(
            "Tautan unduh yang sama dengan halaman Saya: salinan bertanda tangan bila sudah ditandatangani; "
            "PAK dan HAPAK yang belum ditandatangani tidak dapat diunduh (null)."
        )
    )
    unduh_bertanda_tangan = serializers.SerializerMethodField(
        help_text=_("Tautan salinan bertanda tangan; null bila belum ditandatangani.")
    )
    ditandatangani = serializers.BooleanField(read_only=True)
    ditandatangani_pada = serializers.DateTimeField(read_only=True, allow_null=True)
    status_ttd = serializers.CharField(
        read_only=True, help_text=_('Misalnya "PAK diterbitkan, menunggu tanda tangan …".')
    )

    class Meta:
        model = Surat
        fields = [
            "id", "jenis", "jenis_label", "nomor", "tanggal", "perihal", "tmt", "ditandatangani",
            "ditandatangani_pada", "status_ttd", "unduh", "unduh_bertanda_tangan",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_unduh(self, obj):
        versi = getattr(obj, "terkini", None)
        if versi is None or not versi.siap or obj.ditahan:
            return None
        return self.get_unduh_bertanda_tangan(obj) or reverse("surat:unduh", args=[versi.pk])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_unduh_bertanda_tangan(self, obj):
        versi = getattr(obj, "terkini", None)
        return reverse("surat:unduh_ttd", args=[versi.pk]) if obj.ditandatangani else None


class SayaSerializer(serializers.Serializer):
    pejabat = PejabatDetailSerializer()
    mutasi = MutasiSerializer(many=True)
    surat = SuratSayaSerializer(many=True)


def _pejabat(user) -> bool:
    return permissions.has_role(user, Role.PEJABAT_FUNGSIONAL)


class SayaView(TenantScopedMixin, GenericAPIView):
    """Your own record as a pejabat fungsional: jabatan, AK totals, the AK ledger and your letters
    (each with its download link)."""

    permission_classes = [Capability]
    read_capability = staticmethod(_pejabat)
    write_capability = staticmethod(lambda user: False)
    serializer_class = SayaSerializer
    schema_model = PejabatFungsional

    def scoped_queryset(self):
        return PejabatFungsional.objects.filter(user_id=self.request.user.pk)

    @extend_schema(responses=SayaSerializer)
    def get(self, request):
        pejabat = selectors_saya.pejabat_saya(request.user)
        if pejabat is None:
            raise Http404
        from apps.jabatan.selectors import mutasi_dari

        data = {
            "pejabat": PejabatDetailSerializer(pejabat).data,
            "mutasi": MutasiSerializer(mutasi_dari(pejabat), many=True).data,
            "surat": SuratSayaSerializer(selectors_saya.surat_pejabat(pejabat), many=True).data,
        }
        return Response(data)
