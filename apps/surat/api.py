"""REST API for letters: list, status, download, correction, the PPK's SK actions, the admin
pembina's rekomendasi, and the public verification (no login, rate limited)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, permissions, serializers, status, throttling, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import STAF_PEMBINA, Role
from apps.accounts.permissions import has_role
from apps.core import audit, files
from apps.core.api import GALAT, UPLOAD_THROTTLES, Capability, GalatSerializer, TenantScopedMixin
from apps.core.audit import client_ip
from apps.pengusulan.api.serializers import AkRincianSerializer
from apps.pengusulan.models import Usulan
from apps.referensi.models import JabatanFungsional
from apps.surat import selectors, services
from apps.surat.models import ALASAN_MAKS, JenisSurat, Surat, VersiSurat
from apps.surat.pdf import url_verifikasi

# --------------------------------------------------------------------------- serializers


class VersiSerializer(serializers.ModelSerializer):
    terkini = serializers.BooleanField(read_only=True)
    ttd = serializers.SerializerMethodField()

    class Meta:
        model = VersiSurat
        fields = ["id", "versi", "kode", "status", "sha256", "ukuran", "jumlah_halaman", "alasan", "created_at",
                  "selesai_at", "diganti_at", "terkini", "galat", "ttd"]  # fmt: skip

    def get_ttd(self, obj) -> dict | None:
        if not obj.ttd_berkas:
            return None
        return {"nama": obj.ttd_nama_asli, "sha256": obj.ttd_sha256, "diunggah_at": obj.ttd_at}


class SuratSerializer(serializers.ModelSerializer):
    penerbit = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    instansi = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    jf = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    versi = VersiSerializer(source="versi_set", many=True, read_only=True)
    usulan = serializers.SerializerMethodField()

    class Meta:
        model = Surat
        fields = ["id", "jenis", "nomor", "tanggal", "tmt", "perihal", "penerbit", "instansi", "jf",
                  "penandatangan_nama", "penandatangan_jabatan", "rekomendasi", "usulan", "versi"]  # fmt: skip

    def get_usulan(self, obj) -> list[str]:
        return [b.usulan.nomor for b in obj.baris.all()]


class PenandatanganSerializer(serializers.Serializer):
    tanggal = serializers.DateField()
    penandatangan_nama = serializers.CharField(max_length=150)
    penandatangan_jabatan = serializers.CharField(max_length=200)
    penandatangan_nip = serializers.RegexField(r"^\d{18}$", required=False, allow_blank=True)

    def penandatangan(self) -> tuple:
        d = self.validated_data
        return d["penandatangan_nama"], d["penandatangan_jabatan"], d.get("penandatangan_nip", "")


class SKSerializer(PenandatanganSerializer):
    usulan = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=1000)
    tmt = serializers.DateField()
    kolektif = serializers.BooleanField(default=False)
    ditetapkan_di = serializers.CharField(max_length=80, required=False, allow_blank=True)


class RekomendasiSerializer(PenandatanganSerializer):
    jf = serializers.SlugField()
    instansi = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=1000)


class KoreksiSerializer(serializers.Serializer):
    alasan = serializers.CharField(max_length=ALASAN_MAKS)
    tmt = serializers.DateField(required=False)
    pejabat = serializers.IntegerField(
        required=False, min_value=1,
        help_text=_("Id pejabat penanda tangan terdaftar yang menandatangani versi baru (nama, jabatan dan NIP "
                    "sebagaimana terdaftar), seperti pilihan pada halaman Perbaiki surat: untuk SK, PAK dan "
                    "rekomendasi pejabat terdaftar instansi penerbit; untuk PAK tim penilai pejabat terdaftar "
                    "instansi tim penilai (PYB). Penanda tangan HAPAK selalu ketua tim; berita acara "
                    "ditandatangani orang yang disebutnya."),
    )  # fmt: skip

    def to_internal_value(self, data):
        # Unknown fields are refused by name rather than ignored (the signer is chosen by ``pejabat``).
        if hasattr(data, "keys"):
            asing = sorted(set(data.keys()) - set(self.fields))
            if asing:
                raise serializers.ValidationError(
                    {k: [_("Bidang tidak dikenal; bidang yang diterima: %(b)s.") % {"b": ", ".join(self.fields)}]
                     for k in asing}
                )  # fmt: skip
        return super().to_internal_value(data)


class BerkasSerializer(serializers.Serializer):
    berkas = serializers.FileField()


class SalinanSerializer(BerkasSerializer):
    alasan = serializers.CharField(
        required=False, allow_blank=True, max_length=500,
        help_text="Alasan tanda tangan basah (wajib bila PDF tidak memuat tanda tangan elektronik).",
    )  # fmt: skip


class TerbitSerializer(serializers.Serializer):
    batch = serializers.UUIDField(required=False)
    surat = SuratSerializer(many=True)


class MenungguSKSerializer(serializers.ModelSerializer):
    """An usulan waiting for its SK, with what the PPK page shows before issuing it."""

    jf = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    jenjang = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    ak_rincian = AkRincianSerializer(source="*", read_only=True)
    tmt_paling_lambat = serializers.DateField(
        read_only=True, allow_null=True,
        help_text=_("TMT pengangkatan paling lambat (batas usia JF dan batas usia pensiun jenjang)."),
    )  # fmt: skip
    periksa = serializers.SerializerMethodField(
        help_text=_(
            "Yang perlu diperiksa sebelum SK diterbitkan, seperti di halaman PPK: batas TMT, baris AK yang belum "
            "terverifikasi (SK ditolak sampai dikonfirmasi), tempat lahir kosong, dan isi SK/PAK JF ini yang belum "
            "terverifikasi (dicetak tanpa tanda). Kosong: tidak ada."
        )
    )

    class Meta:
        model = Usulan
        fields = [
            "id", "nomor", "pegawai_nip", "pegawai_nama", "jf", "jenjang", "ak_awal", "ak_rincian",
            "tmt_paling_lambat", "periksa",
        ]  # fmt: skip

    def get_periksa(self, obj) -> list[str]:
        out = []
        if peringatan := obj.peringatan_tmt():
            out.append(peringatan)
        if obj.ak_baris_belum_terverifikasi():
            out.append(
                _("AK awal bersandar pada baris tabel AK yang belum terverifikasi: SK ditolak sampai admin pembina JF "
                  "%(jf)s mengonfirmasinya.") % {"jf": obj.jf.nama}
            )  # fmt: skip
        if not str((obj.data_pegawai or {}).get("tempat_lahir") or "").strip():
            out.append(str(_("Tempat lahir belum diisi: SK dan PAK hanya mencantumkan tanggal lahirnya.")))
        # Per JF and PAK rule, read once per response (the JF's data, no query).
        isi = self.context.setdefault("_isi_belum_terverifikasi", {})
        kunci = (obj.jf_id, bool(obj.pak_bersama_sk))
        if kunci not in isi:
            isi[kunci] = services.isi_belum_terverifikasi(obj.jf, dengan_pak=kunci[1])
        return out + [str(b) for b in isi[kunci]]


class PenandatanganPublikSerializer(serializers.Serializer):
    cara = serializers.ChoiceField(
        choices=["elektronik", "unggah", "manual"],
        help_text="elektronik: ditandatangani di portal; unggah: salinan bertanda tangan elektronik dari aplikasi "
        "lain, tervalidasi saat diunggah; manual: tanda tangan basah (pindaian), cadangan bila sistem tidak tersedia.",
    )
    nama = serializers.CharField(
        allow_blank=True,
        help_text="Nama penanda tangan; untuk tanda tangan basah: pejabat penanda tangan sebagaimana disebut surat "
        "(berita acara: ketua dan anggota yang hadir).",
    )
    jabatan = serializers.CharField(
        allow_blank=True, help_text="Untuk tanda tangan basah: jabatan penanda tangan sebagaimana disebut surat."
    )
    waktu = serializers.DateTimeField(
        allow_null=True, help_text="Waktu tanda tangan (cap waktu); untuk tanda tangan basah: waktu pindaian diunggah."
    )
    sah = serializers.BooleanField(help_text="Tanda tangan elektronik yang tervalidasi.")


class StatusTtdPublikSerializer(serializers.Serializer):
    """The signature status of the letter's final version, as the public page ``/v/<kode>/`` says it."""

    status = serializers.ChoiceField(
        choices=["elektronik", "manual", "sebagian", "belum"],
        help_text="elektronik: ditandatangani secara elektronik oleh semua pejabat yang disebut surat, sah; manual: "
        "ditandatangani basah (pindaian); sebagian: belum oleh semua; belum: belum ditandatangani.",
    )
    versi = serializers.IntegerField(help_text="Versi terakhir surat, yang status tanda tangannya dilaporkan.")
    lengkap = serializers.BooleanField()
    versi_ini_ditandatangani = serializers.BooleanField(
        help_text="Versi yang dicari dengan kode ini memuat tanda tangan (untuk versi yang sudah digantikan: pernah "
        "ditandatangani, meski tidak berlaku lagi)."
    )
    penandatangan = PenandatanganPublikSerializer(many=True)
    ringkasan = serializers.CharField(help_text="Kalimat yang ditampilkan halaman verifikasi publik.")


class VerifikasiPublikSerializer(serializers.Serializer):
    jenis = serializers.CharField()
    jenis_label = serializers.CharField()
    nomor = serializers.CharField()
    tanggal = serializers.DateField()
    penerbit = serializers.CharField()
    versi = serializers.IntegerField()
    berlaku = serializers.BooleanField()
    sha256 = serializers.CharField()
    pegawai = serializers.ListField(child=serializers.DictField())
    url = serializers.URLField()
    tanda_tangan = StatusTtdPublikSerializer()


class CocokSerializer(serializers.Serializer):
    sha256 = serializers.CharField()
    identik = serializers.BooleanField()
    identik_salinan_ttd = serializers.BooleanField()


def _surat_qs(user):
    return (
        selectors.surat_untuk(user)
        .select_related("penerbit", "instansi", "jf")
        .prefetch_related("versi_set", "baris__usulan")
        .order_by("-tanggal", "-id")
    )


# --------------------------------------------------------------------------- letters


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("jenis", str, enum=JenisSurat.values)]))
class SuratViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Letters you may see: your instansi's rekomendasi, SK and PAK; for pembina staff, every
    letter of the JFs your instansi administers; for a Tim Penilai AK's members and sekretariat,
    the PAK and HAPAK their team issued. ``versi[].status``: antrean → diproses → selesai."""

    serializer_class = SuratSerializer
    permission_classes = [Capability]
    # ...and a Tim Penilai AK's members and sekretariat: the PAK and HAPAK of their own team
    # (selectors.surat_untuk), which its sekretariat corrects (permissions.dapat_mengelola).
    read_capability = staticmethod(
        lambda u: has_role(u, Role.PIC_INSTANSI, Role.PPK, Role.PENILAI_AK, Role.SEKRETARIAT_TIM, *STAF_PEMBINA)
    )
    # The ketua of a Tim Penilai AK corrects the team's HAPAK (seed 001 BAB IV E.4.a; apps.penetapan.koreksi).
    write_capability = staticmethod(
        lambda u: has_role(u, Role.PPK, Role.ADMIN_PEMBINA, Role.SEKRETARIAT_TIM, Role.PENILAI_AK)
    )
    schema_model = Surat

    def scoped_queryset(self):
        qs = _surat_qs(self.request.user)
        jenis = self.request.query_params.get("jenis")
        return qs.filter(jenis=jenis) if jenis in JenisSurat.values else qs

    def _versi(self, surat, nomor=None) -> VersiSurat:
        qs = surat.versi_set.all()
        versi = qs.filter(versi=nomor).first() if nomor else qs.filter(diganti_at__isnull=True).first()
        if versi is None:
            raise Http404
        return versi

    @extend_schema(
        parameters=[
            OpenApiParameter("versi", int, description="Default: versi yang berlaku"),
            OpenApiParameter(
                "berkas", str, enum=["ttd", "terbit"],
                description="ttd: salinan bertanda tangan (tanda tangan elektronik, atau pindaian tanda tangan "
                "basah); terbit: PDF yang diterbitkan portal, belum ditandatangani. Tanpa parameter ini: salinan "
                "bertanda tangan bila versi itu sudah ditandatangani, selain itu PDF terbit — seperti tombol "
                "\"Unduh PDF\" di halaman surat. Header X-SIAKS-Berkas menyebut yang dikirim.",
            ),
        ],
        responses={(200, "application/pdf"): bytes, 409: GalatSerializer, **GALAT},
    )  # fmt: skip
    @action(detail=True, methods=["get"])
    def unduh(self, request, pk=None):
        """The letter's PDF as its page offers it: the signed copy once the version is signed (as
        "Unduh PDF bertanda tangan"), the issued unsigned PDF otherwise or with ``berkas=terbit``
        (as "PDF terbit sebelum ditandatangani (arsip)")."""
        surat = self.get_object()
        nomor = request.query_params.get("versi")
        jenis = request.query_params.get("berkas", "")
        if jenis not in ("", "ttd", "terbit"):
            raise serializers.ValidationError({"berkas": [_("Pilih ttd (salinan bertanda tangan) atau terbit.")]})
        versi = self._versi(surat, int(nomor) if nomor and nomor.isdigit() else None)
        if not versi.siap:
            return Response(
                {"detail": _("Surat masih diproses."), "status": versi.status}, status=status.HTTP_409_CONFLICT
            )
        if jenis == "ttd" and not versi.ttd_berkas:
            return Response(
                {"detail": _("Versi %(v)d surat ini belum ditandatangani: belum ada salinan bertanda tangan.")
                 % {"v": versi.versi}},
                status=status.HTTP_404_NOT_FOUND,
            )  # fmt: skip
        if jenis != "terbit" and versi.ttd_berkas:
            audit.record_objek(
                "surat.ttd_diunduh", surat, actor=request.user, ip_address=client_ip(request),
                data={"versi": versi.versi, "sha256": versi.ttd_sha256, "api": True},
            )  # fmt: skip
            response = files.serve(versi.ttd_berkas, filename=f"{surat.jenis}-{surat.pk}-v{versi.versi}-ttd.pdf")
            response["X-SIAKS-Berkas"] = "ttd"
            return response
        audit.record_objek(
            "surat.diunduh",
            surat,
            actor=request.user,
            ip_address=client_ip(request),
            data={"versi": versi.versi, "sha256": versi.sha256, "api": True},
        )
        response = files.serve(versi.berkas, filename=f"{surat.jenis}-{surat.pk}-v{versi.versi}.pdf")
        response["X-SIAKS-Berkas"] = "terbit"
        return response

    @extend_schema(request=KoreksiSerializer, responses={201: VersiSerializer, **GALAT})
    @action(detail=True, methods=["post"])
    def koreksi(self, request, pk=None):
        surat = self.get_object()
        data = KoreksiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        perubahan = {"tmt": data.validated_data["tmt"]} if data.validated_data.get("tmt") else {}
        if data.validated_data.get("pejabat") is not None:
            if surat.jenis in (JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI):
                pesan = _("Berita acara ditandatangani orang yang disebutnya; penanda tangan tidak dipilih.")
                raise serializers.ValidationError({"pejabat": [pesan]})
            if surat.jenis in (JenisSurat.PAK_AK, JenisSurat.HAPAK):
                perubahan["pejabat"] = data.validated_data["pejabat"]
            else:  # as the page's choice (apps.ttd.pilihan): the issuer's registered, active official
                from apps.ttd.pilihan import pejabat_aktif

                p = next((p for p in pejabat_aktif(surat.penerbit_id) if p.pk == data.validated_data["pejabat"]), None)
                if p is None:
                    pesan = _("Pilih pejabat penanda tangan terdaftar yang aktif dari instansi penerbit surat.")
                    raise serializers.ValidationError({"pejabat": [pesan]})
                perubahan["penandatangan"] = (p.nama, p.jabatan, p.nip)
        versi = services.surat_koreksi(
            actor=request.user, surat=surat, alasan=data.validated_data["alasan"], perubahan=perubahan,
            ip_address=client_ip(request),
        )  # fmt: skip
        return Response(VersiSerializer(versi).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": SalinanSerializer}, responses={200: VersiSerializer, **GALAT})
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser], throttle_classes=UPLOAD_THROTTLES)
    def ttd(self, request, pk=None):
        """Upload the signed copy of the version in force: a PDF signed electronically elsewhere
        (validated; refused with the reason) or a wet-ink scan with ``alasan`` (the fallback).
        An SK's usulan reach "SK terbit"."""
        from apps.ttd.services import unggah_salinan

        surat = self.get_object()
        data = SalinanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        versi = self._versi(surat)
        unggah_salinan(
            actor=request.user, versi=versi, upload=data.validated_data["berkas"],
            alasan_manual=data.validated_data.get("alasan", ""), ip_address=client_ip(request),
        )  # fmt: skip
        versi.refresh_from_db()
        return Response(VersiSerializer(versi).data)


# --------------------------------------------------------------------------- PPK


class SKViewSet(TenantScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """PPK: usulan of your instansi recommended and waiting for an SK (GET); issue SKs and PAKs (POST)."""

    serializer_class = MenungguSKSerializer
    permission_classes = [Capability]
    read_capability = write_capability = staticmethod(lambda u: has_role(u, Role.PPK))
    schema_model = Usulan

    def scoped_queryset(self):
        return (
            selectors.menunggu_sk(self.request.user.instansi.pk)
            .select_related("jf", "jenjang", "ak_tabel_ref", "ak_dasar_ref")
            .order_by("id")
        )

    @extend_schema(request=SKSerializer, responses={201: TerbitSerializer})
    def create(self, request):
        data = SKSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        issued = services.sk_terbitkan(
            actor=request.user, usulan_ids=d["usulan"], tanggal=d["tanggal"], tmt=d["tmt"],
            penandatangan=data.penandatangan(), kolektif=d["kolektif"], ditetapkan_di=d.get("ditetapkan_di", ""),
            ip_address=client_ip(request),
        )  # fmt: skip
        qs = _surat_qs(request.user).filter(pk__in=[s.pk for s in issued])
        return Response({"surat": SuratSerializer(qs, many=True).data}, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- admin pembina


class RekomendasiViewSet(TenantScopedMixin, viewsets.GenericViewSet):
    """Admin pembina: issue rekomendasi letters for one or more instansi of a JF (one batch)."""

    serializer_class = RekomendasiSerializer
    permission_classes = [Capability]
    read_capability = write_capability = staticmethod(lambda u: has_role(u, Role.ADMIN_PEMBINA))
    schema_model = Surat

    def scoped_queryset(self):
        return Surat.objects.none()

    @extend_schema(request=RekomendasiSerializer, responses={201: TerbitSerializer})
    def create(self, request):
        data = RekomendasiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        jf = JabatanFungsional.objects.filter(kode=d["jf"], instansi_pembina_id=request.user.instansi.pk).first()
        if jf is None:
            raise Http404
        batch = services.rekomendasi_terbitkan_massal(
            actor=request.user, jf=jf, instansi_ids=d["instansi"], tanggal=d["tanggal"],
            penandatangan=data.penandatangan(), ip_address=client_ip(request),
        )  # fmt: skip
        qs = _surat_qs(request.user).filter(versi_set__batch=batch)
        return Response({"batch": batch, "surat": SuratSerializer(qs, many=True).data}, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- public verification


class VerifikasiThrottle(throttling.AnonRateThrottle):
    scope = "verifikasi"

    def get_rate(self):
        return f"{settings.SIAKS_RATE_VERIFIKASI}/minute"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class VerifikasiViewSet(viewsets.ViewSet):
    """Public (no login): what a verification code stands for, and whether a file is the letter."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [VerifikasiThrottle]
    lookup_field = "kode"
    lookup_value_regex = r"[0-9A-Za-z-]{1,20}"

    @extend_schema(responses=VerifikasiPublikSerializer)
    def retrieve(self, request, kode=None):
        from apps.ttd.publik import status_publik_data

        versi = selectors.versi_publik(kode)
        surat = versi.surat
        return Response(
            VerifikasiPublikSerializer(
                {
                    "jenis": surat.jenis,
                    "jenis_label": surat.label_jenis(),
                    "nomor": surat.nomor,
                    "tanggal": surat.tanggal,
                    "penerbit": surat.penerbit.nama,
                    "versi": versi.versi,
                    "berlaku": versi.terkini,
                    "sha256": versi.sha256,
                    "pegawai": versi.pegawai_list,
                    "url": url_verifikasi(versi.kode),
                    "tanda_tangan": status_publik_data(versi),
                }
            ).data
        )

    @extend_schema(request={"multipart/form-data": BerkasSerializer}, responses=CocokSerializer)
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def cocokkan(self, request, kode=None):
        versi = selectors.versi_publik(kode)
        data = BerkasSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            hasil = selectors.cocokkan(versi, data.validated_data["berkas"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"berkas": exc.messages}) from None
        return Response({"sha256": hasil["sha256"], "identik": hasil["sama"], "identik_salinan_ttd": hasil["sama_ttd"]})
