"""REST API for the usulan penetapan angka kredit: the same services and the same visibility as
the pages (``selectors.terlihat``: another instansi's usulan is a 404), refusals as 400."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import STAF_PEMBINA
from apps.core import tenancy
from apps.core.api import UPLOAD_THROTTLES, Capability, TenantScopedMixin
from apps.core.audit import client_ip
from apps.penetapan import selectors, services
from apps.penetapan.models import DokumenPenetapan, PenilaianAK, UsulanPenetapanAK


class DokumenPenetapanSerializer(serializers.ModelSerializer):
    class Meta:
        model = DokumenPenetapan
        fields = ["id", "jenis", "nama_asli", "sha256", "ukuran", "diunggah_at"]


class UsulanPenetapanSerializer(serializers.ModelSerializer):
    jf = serializers.CharField(source="jf.kode", read_only=True)
    jenjang = serializers.CharField(source="jenjang.nama", read_only=True)
    periode = serializers.CharField(source="periode.nama", read_only=True, allow_null=True, default=None)
    ak_kumulatif = serializers.DecimalField(max_digits=9, decimal_places=3, read_only=True, allow_null=True)
    ak_syarat = serializers.DecimalField(max_digits=9, decimal_places=3, read_only=True, allow_null=True)

    class Meta:
        model = UsulanPenetapanAK
        fields = [
            "id", "pejabat", "pejabat_nip", "pejabat_nama", "jf", "jenjang", "periode", "tahun", "luar_periode_bup",
            "status", "putaran", "diajukan_at", "catatan_sekretariat", "ak_kumulatif", "ak_syarat", "hasil",
            "surat_nomor", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class BuatSerializer(serializers.Serializer):
    pejabat = serializers.IntegerField(min_value=1, max_value=2**62)


class PeriksaSerializer(serializers.Serializer):
    lengkap = serializers.BooleanField()
    catatan = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class NilaiAKSerializer(serializers.Serializer):
    rekomendasi = serializers.ChoiceField(choices=PenilaianAK.Rekomendasi.choices)
    catatan = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class UnggahSerializer(serializers.Serializer):
    jenis = serializers.ChoiceField(choices=DokumenPenetapan.Jenis.choices)
    berkas = serializers.FileField()


def _ada_lingkup(user) -> bool:
    return tenancy.scope_for_user(user) is not None


class UsulanPenetapanViewSet(
    TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Usulan penetapan angka kredit you take part in: the PIC's instansi's, those of the teams
    you sit in (member, or sekretariat within its term), the JF's for pembina staff once
    submitted, and a holder's own. ``status``: draft → diajukan → (dikembalikan → diajukan) →
    penilaian → sidang → pak | hapak."""

    serializer_class = UsulanPenetapanSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(_ada_lingkup)
    write_capability = staticmethod(_ada_lingkup)
    schema_model = UsulanPenetapanAK

    def scoped_queryset(self):
        return selectors.terlihat(self.request.user).select_related("jf", "jenjang", "periode").order_by("-id")

    def _jawab(self, usulan, code=status.HTTP_200_OK):
        usulan = self.scoped_queryset().get(pk=usulan.pk)
        return Response(UsulanPenetapanSerializer(usulan).data, status=code)

    @extend_schema(request=BuatSerializer, responses={201: UsulanPenetapanSerializer})
    def create(self, request):
        """The PIC starts an usulan for a holder of the instansi, in the open period (or, outside
        one, for a holder reaching the batas usia pensiun)."""
        from django.http import Http404

        from apps.jabatan.models import PejabatFungsional

        data = BuatSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        instansi = request.user.instansi
        pejabat = PejabatFungsional.objects.filter(
            pk=data.validated_data["pejabat"], instansi_id=getattr(instansi, "pk", None)
        ).first()
        if pejabat is None:
            raise Http404
        usulan = services.usulan_buat(actor=request.user, pejabat=pejabat, ip_address=client_ip(request))
        return self._jawab(usulan, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=UsulanPenetapanSerializer)
    @action(detail=True, methods=["post"])
    def ajukan(self, request, pk=None):
        usulan = services.usulan_ajukan(actor=request.user, usulan=self.get_object(), ip_address=client_ip(request))
        return self._jawab(usulan)

    @extend_schema(request=None, responses=UsulanPenetapanSerializer)
    @action(detail=True, methods=["post"])
    def batalkan(self, request, pk=None):
        usulan = services.usulan_batalkan(actor=request.user, usulan=self.get_object(), ip_address=client_ip(request))
        return self._jawab(usulan)

    @extend_schema(request=PeriksaSerializer, responses=UsulanPenetapanSerializer)
    @action(detail=True, methods=["post"])
    def periksa(self, request, pk=None):
        """The Sekretariat Tim Penilai: complete (to the team) or returned with notes."""
        usulan = self.get_object()  # another instansi's: 404 before the body is read
        data = PeriksaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        usulan = services.sekretariat_periksa(
            actor=request.user, usulan=usulan, lengkap=data.validated_data["lengkap"],
            catatan=data.validated_data["catatan"], ip_address=client_ip(request),
        )  # fmt: skip
        return self._jawab(usulan)

    @extend_schema(request=NilaiAKSerializer, responses=UsulanPenetapanSerializer)
    @action(detail=True, methods=["post"])
    def nilai(self, request, pk=None):
        """A team member's online assessment (never of their own usulan)."""
        usulan = self.get_object()
        data = NilaiAKSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.penilaian_simpan(
            actor=request.user, usulan=usulan, rekomendasi=data.validated_data["rekomendasi"],
            catatan=data.validated_data["catatan"], ip_address=client_ip(request),
        )  # fmt: skip
        return self._jawab(usulan)

    @extend_schema(request={"multipart/form-data": UnggahSerializer}, responses={201: DokumenPenetapanSerializer})
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser], throttle_classes=UPLOAD_THROTTLES)
    def dokumen(self, request, pk=None):
        """Evidence: SKP/predikat, SK jabatan, SK pangkat, the last PAK, the last HAPAK."""
        usulan = self.get_object()
        data = UnggahSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dok = services.dokumen_unggah(
            actor=request.user, usulan=usulan, jenis=data.validated_data["jenis"],
            upload=data.validated_data["berkas"], ip_address=client_ip(request),
        )  # fmt: skip
        return Response(DokumenPenetapanSerializer(dok).data, status=status.HTTP_201_CREATED)


class RekapBarisSerializer(serializers.Serializer):
    jf = serializers.CharField(source="jf__nama")
    tahun = serializers.IntegerField()
    periode = serializers.CharField(source="periode__nama", allow_null=True)
    diajukan = serializers.IntegerField()
    pak = serializers.IntegerField()
    hapak = serializers.IntegerField()
    proses = serializers.IntegerField()


class RekapPenetapanView(TenantScopedMixin, APIView):
    """PAK and HAPAK per JF, year and period, national for the JFs your instansi administers
    (pembina staff)."""

    permission_classes = [Capability]
    read_capability = staticmethod(lambda u: bool(set(u.roles) & set(STAF_PEMBINA)))
    write_capability = staticmethod(lambda u: False)

    def scoped_queryset(self):  # pragma: no cover - TenantScopedMixin's contract; not a list view
        return UsulanPenetapanAK.objects.none()

    @extend_schema(responses=RekapBarisSerializer(many=True))
    def get(self, request):
        baris = selectors.rekap_periode(tenancy.require().jf_ids)
        return Response(RekapBarisSerializer(baris, many=True).data)
