"""REST API for electronic signatures: the paraf queue and paraf, the signing queue, signing one
or many letters (the BSrE passphrase only in the request body, over HTTPS), batch status, a
version's signature status, and validation of a signed copy (logged in, and public by code)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import GALAT, GALAT_BACA, UPLOAD_THROTTLES, Capability, GalatSerializer, TenantScopedMixin
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


class ParafBatchSerializer(serializers.Serializer):
    """The letters to give your paraf on at once: by version id (the version you read), and/or by
    letter id (its version in force when the request arrives)."""

    versi = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False, default=list,
        max_length=services.MAKS_BATCH, help_text="Id versi surat yang diparaf (versi yang Anda baca).",
    )  # fmt: skip
    surat = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False, default=list,
        max_length=services.MAKS_BATCH, help_text="Id surat: paraf pada versinya yang berlaku saat itu.",
    )  # fmt: skip

    def validate(self, attrs):
        if not attrs["versi"] and not attrs["surat"]:
            raise serializers.ValidationError({"versi": [_("Pilih surat yang akan diparaf.")]})
        if len(attrs["versi"]) + len(attrs["surat"]) > services.MAKS_BATCH:
            raise serializers.ValidationError(
                {"versi": [_("Paling banyak %(n)d surat sekali paraf.") % {"n": services.MAKS_BATCH}]}
            )
        return attrs


class HasilParafSerializer(serializers.Serializer):
    versi = serializers.IntegerField(allow_null=True, help_text="Versi yang diparaf (null: tidak ditemukan).")
    surat = serializers.IntegerField(allow_null=True)
    nomor = serializers.CharField(allow_blank=True)
    versi_ke = serializers.IntegerField(allow_null=True)
    hasil = serializers.ChoiceField(choices=["diberikan", "ditolak", "tidak_ditemukan"])
    alasan = serializers.CharField(allow_blank=True, help_text="Alasan paraf tidak diberikan; kosong bila diberikan.")
    paraf = ParafSerializer(allow_null=True)


class ParafBatchHasilSerializer(serializers.Serializer):
    diberikan = serializers.IntegerField()
    ditolak = serializers.IntegerField(help_text="Surat yang ditemukan tetapi parafnya tidak diberikan.")
    tidak_ditemukan = serializers.IntegerField(help_text="Surat yang tidak ada atau tidak dapat Anda jangkau.")
    hasil = HasilParafSerializer(many=True, help_text="Satu baris per surat yang dipilih, dalam urutan permintaan.")


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
        help_text="Alasan bersama bila lebih dari satu surat gagal karena alasan yang sama (mis. passphrase "
        "salah); kosong bila tidak."
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
    pejabat_cocok = serializers.BooleanField(
        allow_null=True,
        help_text="Sertifikat mengenali pejabat yang disebut surat; null: tidak diperiksa (tanda tangan rusak atau "
        "sertifikat tidak tepercaya), sama dengan pemeriksaan `penandatangan`.",
    )
    nama_cocok = serializers.BooleanField(
        allow_null=True,
        help_text="Nama pada sertifikat sama dengan nama pejabat pada surat; null: tidak diperiksa.",
    )
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


#: A queue's read: no object is looked up (no 404).
GALAT_ANTREAN = {401: GalatSerializer, 403: GalatSerializer}


@extend_schema_view(list=extend_schema(responses={200: VersiRingkasSerializer(many=True), **GALAT_ANTREAN}))
class ParafViewSet(TenantScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Letter versions waiting for your paraf. POST gives your paraf on many at once."""

    serializer_class = VersiRingkasSerializer
    permission_classes = [Capability]
    read_capability = write_capability = staticmethod(_is_staff)
    schema_model = VersiSurat
    pagination_class = None

    def scoped_queryset(self):
        return services.antrean_paraf(self.request.user)

    @extend_schema(
        request=ParafBatchSerializer,
        responses={200: ParafBatchHasilSerializer, 400: GALAT[400], **GALAT_ANTREAN},
    )
    def create(self, request):
        """Give your paraf on the chosen letters in one request, with the rules of the single
        paraf and of "Paraf terpilih" on /ttd/: your step of the chain must be the next one, the
        paraf is bound to the version's sha256 and a superseded version takes none. One result
        per letter, in the order asked: ``diberikan`` (with the paraf), ``ditolak`` (with the
        reason), or ``tidak_ditemukan`` — a letter that does not exist or that you may not reach
        (another instansi's) is answered alike, with nothing about it."""
        data = ParafBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hasil = services.paraf_banyak(
            actor=request.user, versi_ids=data.validated_data["versi"], surat_ids=data.validated_data["surat"],
            ip_address=client_ip(request),
        )  # fmt: skip
        baris = [_baris_paraf(h) for h in hasil]
        n = {k: sum(1 for b in baris if b["hasil"] == k) for k in ("diberikan", "ditolak", "tidak_ditemukan")}
        return Response({**n, "hasil": baris})


def _data_paraf(p) -> dict:
    return {"urutan": p.urutan, "sebutan": p.sebutan, "user": str(p.user), "paraf_at": p.created_at,
            "sha256": p.sha256, "berlaku": True, "keterangan": ""}  # fmt: skip


def _baris_paraf(h) -> dict:
    if not h.ditemukan:
        return {"versi": h.versi_id, "surat": h.surat_id, "nomor": "", "versi_ke": None, "hasil": "tidak_ditemukan",
                "alasan": h.alasan, "paraf": None}  # fmt: skip
    return {
        "versi": h.versi_id, "surat": h.surat_id, "nomor": h.nomor, "versi_ke": h.versi_ke,
        "hasil": "diberikan" if h.diberikan else "ditolak", "alasan": h.alasan,
        "paraf": _data_paraf(h.paraf) if h.diberikan else None,
    }  # fmt: skip


@extend_schema_view(list=extend_schema(responses={200: VersiRingkasSerializer(many=True), **GALAT_ANTREAN}))
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

    @extend_schema(request=TandatanganiSerializer, responses={202: BatchSerializer, **GALAT})
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


@extend_schema_view(retrieve=extend_schema(responses={200: BatchSerializer, **GALAT_BACA}))
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


@extend_schema_view(retrieve=extend_schema(responses={200: StatusVersiSerializer, **GALAT_BACA}))
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

    @extend_schema(request=None, responses={201: ParafSerializer, **GALAT})
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
            data = _data_paraf(p)
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": BerkasSerializer},
        responses={200: LaporanPublikSerializer, **GALAT, 429: GalatSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser], throttle_classes=UPLOAD_THROTTLES)
    def validasi(self, request, pk=None):
        """Check a copy of this letter (nothing is stored), with the public page's verdict: which
        version it is identical to, whether that version is in force (a superseded version's
        signed copy is not ``sah``), changed after signing, unsigned, or another letter's."""
        versi = self.get_object()
        data = BerkasSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lap = _periksa(versi, data.validated_data["berkas"], alasan="a signed copy of a letter the user can see")
        if lap.sah and lap.versi is not None:
            # The upload's rule too (the letter page refuses it): a copy signed before that
            # version's paraf chain was complete is not acceptable (fresh-eye F6).
            cocok = VersiSurat.objects.filter(surat_id=versi.surat_id, versi=lap.versi).first()
            if cocok is not None and (dini := services.alasan_sebelum_paraf(cocok, lap.tanda_tangan)):
                lap.sah, lap.tingkat, lap.teks = False, "tidak_sah", dini
                lap.alasan.append(dini)
        return Response(_data_laporan(lap))


class ValidasiPublikViewSet(viewsets.ViewSet):
    """Public (no login): validate a signed copy of the letter whose code is printed on it,
    against the letter's version in force. Nothing is stored; rate limited."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [VerifikasiThrottle]
    lookup_field = "kode"
    lookup_value_regex = r"[0-9A-Za-z-]{1,20}"

    @extend_schema(
        request={"multipart/form-data": BerkasSerializer},
        responses={200: LaporanPublikSerializer, 400: GALAT[400], 404: GalatSerializer, 429: GalatSerializer},
    )
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
