"""REST API for electronic signatures: the paraf queue and paraf, the signing queue, signing one
or many letters (the BSrE passphrase only in the request body, over HTTPS), batch status, a
version's signature status, and validation of a signed copy (logged in, and public by code)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import UPLOAD_THROTTLES, Capability, TenantScopedMixin
from apps.core.audit import client_ip
from apps.surat import selectors
from apps.surat.api import BerkasSerializer, VerifikasiThrottle
from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.models import BatchTtd, TandaTangan


class VersiRingkasSerializer(serializers.ModelSerializer):
    surat = serializers.IntegerField(source="surat_id")
    jenis = serializers.CharField(source="surat.jenis")
    nomor = serializers.CharField(source="surat.nomor")
    perihal = serializers.CharField(source="surat.perihal")
    #: The instansi the letter concerns (the pembina signs rekomendasi for many).
    instansi = serializers.CharField(source="surat.instansi.nama")

    class Meta:
        model = VersiSurat
        fields = ["id", "surat", "jenis", "nomor", "perihal", "instansi", "versi", "kode", "sha256"]


class TandaTanganSerializer(serializers.ModelSerializer):
    surat = serializers.CharField(source="versi.surat.nomor")
    instansi = serializers.CharField(source="versi.surat.instansi.nama")

    class Meta:
        model = TandaTangan
        fields = ["id", "versi", "surat", "instansi", "cara", "status", "galat", "percobaan", "penandatangan_nama",
                  "penandatangan_nip", "sidik_jari", "waktu_ttd", "sha256", "alasan_manual"]  # fmt: skip


class ParafSerializer(serializers.Serializer):
    urutan = serializers.IntegerField()
    sebutan = serializers.CharField()
    user = serializers.CharField()
    paraf_at = serializers.DateTimeField(allow_null=True)
    sha256 = serializers.CharField(allow_blank=True)
    #: The paraf given at this step counts for this version (false: none given, or void).
    berlaku = serializers.BooleanField(default=False)
    #: Why a paraf given does not count ("tidak berlaku: versi digantikan"); empty otherwise.
    keterangan = serializers.CharField(allow_blank=True, default="")


class RiwayatParafSerializer(serializers.Serializer):
    """Every paraf given on this version, also those that no longer count."""

    urutan = serializers.IntegerField()
    sebutan = serializers.CharField(allow_blank=True)
    user = serializers.CharField()
    paraf_at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    berlaku = serializers.BooleanField()
    keterangan = serializers.CharField(allow_blank=True)


class StatusVersiSerializer(serializers.Serializer):
    versi = VersiRingkasSerializer()
    paraf = ParafSerializer(many=True)
    riwayat_paraf = RiwayatParafSerializer(many=True)
    paraf_lengkap = serializers.BooleanField()
    tanda_tangan = TandaTanganSerializer(many=True)
    lengkap = serializers.BooleanField()


class TandatanganiSerializer(serializers.Serializer):
    versi = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=services.MAKS_BATCH)
    passphrase = serializers.CharField(
        required=False, allow_blank=True, write_only=True, trim_whitespace=False, max_length=200,
        help_text="Passphrase sertifikat BSrE (backend bsre). Tidak disimpan.",
    )  # fmt: skip


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    selesai = serializers.IntegerField()
    gagal = serializers.IntegerField()
    proses = serializers.IntegerField()
    persen = serializers.IntegerField()
    alasan_sama = serializers.CharField(
        help_text="Alasan bila semua surat yang gagal gagal karena satu alasan (mis. passphrase salah); "
        "kosong bila tidak."
    )


class DilewatiSerializer(serializers.Serializer):
    versi = serializers.IntegerField()
    surat = serializers.IntegerField()
    nomor = serializers.CharField()
    instansi = serializers.CharField(allow_blank=True, default="")
    versi_ke = serializers.IntegerField()
    alasan = serializers.CharField()


class BatchSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    progress = ProgressSerializer()
    item = TandaTanganSerializer(many=True)
    dilewati = DilewatiSerializer(many=True, help_text="Surat terpilih yang tidak ditandatangani, dengan alasannya.")


class PemeriksaanTtdSerializer(serializers.Serializer):
    """One check of the report: passed, failed, or not checked (null: an earlier check failed)."""

    kode = serializers.CharField(
        help_text="utuh, penandatangan, rantai, waktu, tidak_diubah, identik atau bertanda_tangan (berkas tanpa TTE)."
    )
    label = serializers.CharField()
    lulus = serializers.BooleanField(allow_null=True)
    keterangan = serializers.CharField(allow_blank=True)


class LaporanTtdSerializer(serializers.Serializer):
    field = serializers.CharField()
    nama = serializers.CharField()
    nip = serializers.CharField(allow_blank=True)
    nik = serializers.CharField(allow_blank=True)
    sidik_jari = serializers.CharField()
    penerbit = serializers.CharField()
    utuh = serializers.BooleanField()
    terpercaya = serializers.BooleanField()
    waktu = serializers.DateTimeField(allow_null=True)
    waktu_terpercaya = serializers.BooleanField()
    diubah_setelah_ttd = serializers.BooleanField()
    pejabat_cocok = serializers.BooleanField()
    nama_cocok = serializers.BooleanField(help_text="Nama pada sertifikat sama dengan nama pejabat pada surat.")
    pemeriksaan = PemeriksaanTtdSerializer(many=True)


class LaporanSerializer(serializers.Serializer):
    sah = serializers.BooleanField()
    identik = serializers.BooleanField()
    lengkap = serializers.BooleanField()
    ringkasan = serializers.CharField()
    alasan = serializers.ListField(child=serializers.CharField())
    tanda_tangan = LaporanTtdSerializer(many=True)
    pemeriksaan = PemeriksaanTtdSerializer(many=True, help_text="Pemeriksaan berkas (identik dengan yang diterbitkan).")


class LaporanPublikSerializer(LaporanSerializer):
    """The public verdict (the same as the public page's): ``identik`` means byte-identical to a
    PDF the portal issued for this letter (``versi`` says which; ``berlaku`` whether that version
    is still in force); ``sah`` only for a valid signed copy of the version in force."""

    versi = serializers.IntegerField(allow_null=True, help_text="Versi surat yang identik dengan berkas ini.")
    berlaku = serializers.BooleanField(help_text="Versi itu adalah versi yang berlaku.")
    versi_berlaku = serializers.IntegerField(allow_null=True)
    versi_berlaku_ditandatangani = serializers.BooleanField()
    tingkat = serializers.ChoiceField(choices=["sah", "peringatan", "tidak_sah"])


def _data_laporan(lap) -> dict:
    """The verdict of :func:`apps.ttd.publik.periksa_publik` as :class:`LaporanPublikSerializer`."""
    return {
        "sah": lap.sah, "identik": lap.identik, "lengkap": lap.lengkap, "ringkasan": lap.ringkasan,
        "alasan": lap.alasan, "tanda_tangan": lap.tanda_tangan, "pemeriksaan": lap.pemeriksaan,
        "versi": lap.versi, "berlaku": lap.berlaku, "versi_berlaku": lap.versi_berlaku,
        "versi_berlaku_ditandatangani": lap.versi_berlaku_ditandatangani, "tingkat": lap.tingkat,
    }  # fmt: skip


def _periksa(versi, upload, *, alasan: str):
    """The one verdict (the public page's) on ``upload`` for the letter ``versi`` belongs to:
    matched against every version (identical, superseded, changed, unsigned, another letter)."""
    from apps.core import tenancy
    from apps.ttd.publik import periksa_publik

    if upload.size > settings.SIAKS_VERIFIKASI_MAKS_BYTES:
        raise serializers.ValidationError({"berkas": ["Berkas terlalu besar untuk diperiksa (maks. 20 MB)."]})
    data = upload.read()
    with tenancy.all_tenants(reason=alasan):
        return periksa_publik(versi, data)


def _is_staff(u) -> bool:
    return bool(u.instansi)


class ParafViewSet(TenantScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Letter versions waiting for your paraf."""

    serializer_class = VersiRingkasSerializer
    permission_classes = [Capability]
    read_capability = write_capability = staticmethod(_is_staff)
    schema_model = VersiSurat
    pagination_class = None

    def scoped_queryset(self):
        return services.antrean_paraf(self.request.user)


class AntreanTtdViewSet(TenantScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Letter versions whose paraf chain is complete and that wait for your signature (you are a
    registered signing official). POST signs the chosen ones in one batch."""

    serializer_class = VersiRingkasSerializer
    permission_classes = [Capability]
    read_capability = write_capability = staticmethod(_is_staff)
    schema_model = VersiSurat
    pagination_class = None

    def scoped_queryset(self):
        return services.antrean_ttd(self.request.user)

    @extend_schema(request=TandatanganiSerializer, responses={202: BatchSerializer})
    def create(self, request):
        data = TandatanganiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["versi"]
        visible = services.versi_boleh_ttd(request.user, ids)
        if visible != set(ids):
            raise Http404
        batch = services.minta_tandatangan(
            actor=request.user, versi_ids=ids, passphrase=data.validated_data.get("passphrase", ""),
            ip_address=client_ip(request),
        )  # fmt: skip
        return Response(_batch_data(batch), status=status.HTTP_202_ACCEPTED)


def _batch_data(batch) -> dict:
    items = services.item_batch(batch)
    return {
        "id": batch.pk,
        "created_at": batch.created_at,
        "progress": services.progress(batch),
        "item": TandaTanganSerializer(items, many=True).data,
        "dilewati": DilewatiSerializer(services.dilewati_batch(batch), many=True).data,
    }


class BatchViewSet(TenantScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A signing batch you started: progress and each letter's result (with the reason if it failed)."""

    serializer_class = BatchSerializer
    permission_classes = [Capability]
    read_capability = write_capability = staticmethod(_is_staff)
    schema_model = BatchTtd

    def scoped_queryset(self):
        return BatchTtd.objects.filter(dibuat_oleh=self.request.user)

    def retrieve(self, request, pk=None):
        return Response(_batch_data(self.get_object()))


class VersiTtdViewSet(TenantScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A letter version's paraf and signatures; give your paraf; validate a signed copy of it."""

    serializer_class = StatusVersiSerializer
    permission_classes = [Capability]
    read_capability = write_capability = staticmethod(_is_staff)
    schema_model = VersiSurat

    def scoped_queryset(self):
        return selectors.versi_untuk(self.request.user).select_related("surat", "surat__instansi")

    def retrieve(self, request, pk=None):
        versi = self.get_object()
        paraf = [
            {"urutan": s["langkah"].urutan, "sebutan": s["langkah"].sebutan, "user": s["langkah"].nama_pemberi,
             "paraf_at": s["tercatat"].created_at if s["tercatat"] else None,
             "sha256": s["tercatat"].sha256 if s["tercatat"] else "",
             "berlaku": s["paraf"] is not None, "keterangan": s["keterangan"]}
            for s in services.status_paraf(versi)
        ]  # fmt: skip
        riwayat = [
            {"urutan": p.urutan, "sebutan": p.sebutan, "user": str(p.user), "paraf_at": p.created_at,
             "sha256": p.sha256, "berlaku": not (ket := services.keterangan_paraf(p, versi)), "keterangan": ket}
            for p in versi.paraf.select_related("user").order_by("urutan", "created_at", "id")
        ]  # fmt: skip
        ttd = versi.tanda_tangan.select_related("versi__surat__instansi").order_by("id")
        return Response(
            {
                "versi": VersiRingkasSerializer(versi).data,
                "paraf": paraf,
                "riwayat_paraf": riwayat,
                "paraf_lengkap": services.paraf_lengkap(versi),
                "tanda_tangan": TandaTanganSerializer(ttd, many=True).data,
                "lengkap": services.lengkap(versi),
            }
        )

    @extend_schema(request=None, responses={201: ParafSerializer})
    @action(detail=True, methods=["post"])
    def paraf(self, request, pk=None):
        """Give your paraf. As on the page (``ttd:paraf``): also on a letter your instansi issued
        that another instansi holds (a Tim Penilai AK's PAK filed under the holder's instansi)
        when its paraf chain names you; anyone else gets 404."""
        from contextlib import nullcontext

        from apps.core import tenancy

        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise Http404 from None
        lintas = not self.get_queryset().filter(pk=pk).exists()
        if lintas and pk not in services.versi_paraf_lintas(request.user, [pk]):
            raise Http404
        with tenancy.all_tenants(reason=services.LINTAS_PARAF) if lintas else nullcontext():
            versi = VersiSurat.objects.select_related("surat").get(pk=pk) if lintas else self.get_object()
            p = services.paraf_beri(actor=request.user, versi=versi, ip_address=client_ip(request))
            data = {"urutan": p.urutan, "sebutan": p.sebutan, "user": str(p.user), "paraf_at": p.created_at,
                    "sha256": p.sha256, "berlaku": True, "keterangan": ""}  # fmt: skip
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": BerkasSerializer}, responses=LaporanPublikSerializer)
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser], throttle_classes=UPLOAD_THROTTLES)
    def validasi(self, request, pk=None):
        """Check a copy of this letter (nothing is stored), with the public page's verdict: which
        version it is identical to, whether that version is in force (a superseded version's
        signed copy is not ``sah``), changed after signing, unsigned, or another letter's."""
        versi = self.get_object()
        data = BerkasSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lap = _periksa(versi, data.validated_data["berkas"], alasan="a signed copy of a letter the user can see")
        return Response(_data_laporan(lap))


class ValidasiPublikViewSet(viewsets.ViewSet):
    """Public (no login): validate a signed copy of the letter whose code is printed on it,
    against the letter's version in force. Nothing is stored; rate limited."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [VerifikasiThrottle]
    lookup_field = "kode"
    lookup_value_regex = r"[0-9A-Za-z-]{1,20}"

    @extend_schema(request={"multipart/form-data": BerkasSerializer}, responses=LaporanPublikSerializer)
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def validasi(self, request, kode=None):
        from apps.surat.selectors import versi_publik
        from apps.ttd.publik import samarkan

        versi = versi_publik(kode)
        data = BerkasSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lap = _periksa(
            versi, data.validated_data["berkas"],
            alasan="public validation of a signed copy of a letter by its printed code",
        )  # fmt: skip
        return Response(_data_laporan(samarkan(lap)))
