"""REST API of the holders and their AK ledger: the same services, permissions and tenant
scoping as the pages (another instansi's holder is 404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import permissions
from apps.accounts.models import STAF_PEMBINA
from apps.core.api import GALAT, UPLOAD_THROTTLES, Capability, RincianField, TenantScopedMixin
from apps.jabatan import selectors, services
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.referensi.models import JabatanFungsional, Jenjang, PredikatChoices


class AmbangSerializer(serializers.Serializer):
    ak_pangkat = serializers.DecimalField(max_digits=12, decimal_places=3)
    ak_jenjang = serializers.DecimalField(max_digits=12, decimal_places=3)
    ambang_pangkat = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    ambang_jenjang = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    pangkat_sejak = serializers.DateField(allow_null=True, help_text=_("Memenuhi AK kenaikan pangkat sejak."))
    jenjang_sejak = serializers.DateField(allow_null=True, help_text=_("Memenuhi AK kenaikan jenjang sejak."))


class PejabatSerializer(serializers.ModelSerializer):
    jf = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    jenjang = serializers.SerializerMethodField(
        help_text=_(
            "Jenjang yang berlaku hari ini (kode). Kenaikan jenjang yang TMT-nya belum tiba ada pada jenjang_terjadwal."
        )
    )
    jenjang_nama = serializers.SerializerMethodField(help_text=_("Nama jenjang yang berlaku hari ini."))
    kelas_jabatan = serializers.SerializerMethodField(help_text=_("Kelas jabatan jenjang yang berlaku hari ini."))
    tmt_jabatan = serializers.SerializerMethodField(help_text=_("TMT jenjang yang berlaku hari ini."))
    jenjang_terjadwal = serializers.SerializerMethodField(
        help_text=_("Jenjang (kode) dari SK kenaikan jenjang yang TMT-nya belum tiba; null bila tidak ada.")
    )
    tmt_jenjang_terjadwal = serializers.SerializerMethodField(
        help_text=_("TMT jenjang_terjadwal: tanggal mulai berlakunya; null bila tidak ada.")
    )
    golongan = serializers.SerializerMethodField(
        help_text=_(
            "Pangkat/golongan yang berlaku hari ini. Kenaikan pangkat yang TMT-nya belum tiba ada pada "
            "golongan_terjadwal."
        )
    )
    tmt_golongan = serializers.SerializerMethodField(help_text=_("TMT pangkat/golongan yang berlaku hari ini."))
    golongan_terjadwal = serializers.SerializerMethodField(
        help_text=_("Pangkat/golongan dari SK kenaikan pangkat yang TMT-nya belum tiba; null bila tidak ada.")
    )
    tmt_golongan_terjadwal = serializers.SerializerMethodField(
        help_text=_("TMT golongan_terjadwal: tanggal mulai berlakunya; null bila tidak ada.")
    )

    class Meta:
        model = PejabatFungsional
        fields = [
            "id", "nip", "nama", "tempat_lahir", "jf", "jenjang", "jenjang_nama", "kelas_jabatan", "tmt_jabatan",
            "jenjang_terjadwal", "tmt_jenjang_terjadwal", "golongan", "tmt_golongan", "golongan_terjadwal",
            "tmt_golongan_terjadwal", "unit_kerja", "aktif",
            "sumber", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    # The jenjang in force today and the one scheduled, as the holder's pages show them.
    @extend_schema_field(serializers.CharField())
    def get_jenjang(self, obj):
        return obj.jenjang_berlaku.kode

    @extend_schema_field(serializers.CharField())
    def get_jenjang_nama(self, obj):
        return obj.jenjang_berlaku.nama

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_kelas_jabatan(self, obj):
        return obj.jenjang_berlaku.kelas_jabatan

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_tmt_jabatan(self, obj):
        tmt = obj.jenjang_berlaku.tmt_jabatan
        return tmt.isoformat() if tmt else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_jenjang_terjadwal(self, obj):
        return obj.jenjang.kode if obj.jenjang_belum_berlaku else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_tmt_jenjang_terjadwal(self, obj):
        return obj.tmt_jabatan.isoformat() if obj.jenjang_belum_berlaku and obj.tmt_jabatan else None

    # The golongan in force today and the one scheduled (issue 19 F7), as the holder's pages show them.
    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_golongan(self, obj):
        return obj.golongan_berlaku[0] or None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_tmt_golongan(self, obj):
        tmt = obj.golongan_berlaku[1]
        return tmt.isoformat() if tmt else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_golongan_terjadwal(self, obj):
        t = obj.golongan_terjadwal
        return (t[0] or None) if t else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_tmt_golongan_terjadwal(self, obj):
        t = obj.golongan_terjadwal
        return t[1].isoformat() if t and t[1] else None


class PejabatDetailSerializer(PejabatSerializer):
    ak_kumulatif = serializers.SerializerMethodField(
        help_text=_(
            "AK kumulatif yang berlaku (seperti pada halaman pejabat): jumlah untuk kenaikan pangkat berikutnya, atau "
            "untuk kenaikan jenjang bila hanya ambang itu yang terpenuhi atau pangkat sudah tertinggi pada jenjangnya; "
            "kenaikan pangkat dan jenjang yang tercatat sudah diperhitungkan."
        )
    )
    ak_kumulatif_untuk = serializers.SerializerMethodField(
        help_text=_("Untuk apa ak_kumulatif dihitung: pangkat (kenaikan pangkat) atau jenjang (kenaikan jenjang).")
    )
    ak_jumlah_buku = serializers.SerializerMethodField(
        help_text=_(
            "Jumlah semua baris buku angka kredit (saldo buku). Berbeda dari ak_kumulatif setelah kenaikan pangkat "
            "atau jenjang, karena kenaikan pangkat hanya mengurangi AK untuk kenaikan pangkat."
        )
    )
    ambang = serializers.SerializerMethodField()
    sk_nomor = serializers.CharField(source="sk_surat.nomor", read_only=True, default=None, allow_null=True)

    class Meta(PejabatSerializer.Meta):
        fields = [
            *PejabatSerializer.Meta.fields, "sk_nomor", "ak_kumulatif", "ak_kumulatif_untuk", "ak_jumlah_buku",
            "ambang",
        ]  # fmt: skip
        read_only_fields = fields

    def _berlaku(self, obj) -> dict:
        """The AK kumulatif the holder's pages lead with (``selectors.ak_berlaku``), once per holder."""
        cache = getattr(obj, "_ak_berlaku", None)
        if cache is None:
            cache = obj._ak_berlaku = selectors.ak_berlaku(selectors.ambang(obj), list(selectors.mutasi_dari(obj)))
        return cache

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=3))
    def get_ak_kumulatif(self, obj):
        return f"{self._berlaku(obj)['ak']:.3f}"

    @extend_schema_field(serializers.ChoiceField(choices=["pangkat", "jenjang"]))
    def get_ak_kumulatif_untuk(self, obj):
        return self._berlaku(obj)["tujuan"]

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=3))
    def get_ak_jumlah_buku(self, obj):
        return f"{selectors.ak_kumulatif(obj):.3f}"

    @extend_schema_field(AmbangSerializer(allow_null=True))
    def get_ambang(self, obj):
        k = next(iter(selectors.kelayakan(pejabat_ids=[obj.pk])), None)
        return AmbangSerializer(k).data if k else None


class MutasiSerializer(serializers.ModelSerializer):
    jenjang = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    surat = serializers.CharField(source="surat.nomor", read_only=True, default=None, allow_null=True)
    dibuat_oleh = serializers.CharField(source="dibuat_oleh.username", read_only=True, default=None, allow_null=True)
    rincian = RincianField(
        read_only=True, help_text=_("Rincian perhitungan; sumber tiap nilai dikutip dengan nama dokumen.")
    )
    golongan = serializers.SlugRelatedField(
        slug_field="kode", read_only=True, allow_null=True, help_text=_("Kenaikan pangkat: pangkat/golongan baru.")
    )
    berkas_unduh = serializers.SerializerMethodField()
    predikat = serializers.CharField(
        read_only=True, help_text=_("Predikat kinerja (konversi/koreksi): sangat_baik, baik, butuh_perbaikan, kurang, "
                                    "sangat_kurang; kosong untuk mutasi lain."),
    )  # fmt: skip

    class Meta:
        model = MutasiAK
        fields = [
            "id", "jenis", "nilai", "periode_mulai", "periode_selesai", "predikat", "persentase", "koefisien",
            "bulan", "jenjang", "rincian", "mengoreksi", "surat", "dibuat_oleh", "created_at", "keterangan",
            "golongan", "dokumen_nomor", "dokumen_tanggal", "berkas_unduh",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_berkas_unduh(self, obj):
        """The download link of the row's document (the SK kenaikan pangkat), if one was stored."""
        from django.urls import reverse

        return reverse("jabatan:mutasi_berkas", args=[obj.pk]) if obj.berkas else None


class PredikatSerializer(serializers.Serializer):
    predikat = serializers.ChoiceField(choices=PredikatChoices.choices)
    periode_mulai = serializers.DateField()
    periode_selesai = serializers.DateField()
    jenjang = serializers.CharField(
        required=False, allow_blank=True, max_length=30,
        help_text=_("Kode jenjang pada periode ini; kosong: jenjang saat ini."),
    )  # fmt: skip

    def validate(self, data):
        if data["periode_selesai"] < data["periode_mulai"]:
            raise serializers.ValidationError({"periode_selesai": _("Akhir periode tidak boleh sebelum awal periode.")})
        return data


class KenaikanPangkatSerializer(serializers.Serializer):
    golongan = serializers.CharField(max_length=6, help_text=_("Kode pangkat/golongan baru, mis. III/b."))
    tmt_golongan = serializers.DateField()
    sk_nomor = serializers.CharField(max_length=100)
    sk_tanggal = serializers.DateField()
    pak = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**62,
        help_text=_("Id usulan penetapan AK yang menghasilkan PAK; kosong: PAK terbaru yang belum dipakai."),
    )  # fmt: skip
    berkas = serializers.FileField(required=False, help_text=_("Berkas SK kenaikan pangkat (PDF)."))
    sk_kolektif = serializers.BooleanField(
        required=False, default=False,
        help_text=_("SK kolektif: nomor SK yang sama boleh tercatat untuk pejabat lain instansi ini (tanggal sama)."),
    )  # fmt: skip
    pak_luar_nomor = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="",
        help_text=_("Tanpa PAK di portal: nomor PAK yang terbit di luar portal (wajib bersama tanggal dan berkasnya)."),
    )  # fmt: skip
    pak_luar_tanggal = serializers.DateField(required=False, allow_null=True, default=None)
    pak_luar_berkas = serializers.FileField(required=False, help_text=_("Berkas PAK di luar portal (PDF)."))


class KelayakanSerializer(AmbangSerializer):
    pejabat = serializers.IntegerField(source="pejabat_id")


class UsulanKenaikanJenjangSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nomor = serializers.CharField()
    jenis = serializers.CharField()
    status = serializers.CharField()
    jf = serializers.CharField(source="jf.kode")
    jenjang = serializers.CharField(source="jenjang.kode", help_text=_("Jenjang yang dituju."))


class ImporSerializer(serializers.Serializer):
    berkas = serializers.FileField(help_text=_("Berkas XLSX sesuai templat halaman impor."))
    jf = serializers.SlugRelatedField(slug_field="kode", queryset=JabatanFungsional.objects.all())


class GalatBarisSerializer(serializers.Serializer):
    baris = serializers.IntegerField(allow_null=True)
    kolom = serializers.CharField(allow_blank=True)
    alasan = serializers.CharField()


class ImporHasilSerializer(serializers.Serializer):
    diimpor = serializers.IntegerField(help_text=_("Baris yang diimpor."))
    baris_gagal = serializers.IntegerField(help_text=_("Baris yang tidak diimpor."))
    galat = GalatBarisSerializer(many=True, help_text=_("Alasan per baris yang tidak diimpor."))


def _boleh_baca(user) -> bool:
    return permissions.can_view_instansi_data(user) or permissions.has_role(user, *STAF_PEMBINA)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("jf", str, description="Kode JF"),
            OpenApiParameter("jenjang", str, description="Kode jenjang yang berlaku hari ini"),
        ]
    )
)
class PejabatViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Pejabat fungsional of your instansi (or of the JFs your pembina administers), their AK
    ledger, predikat entry (konversi) and who meets the AK thresholds."""

    serializer_class = PejabatSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(_boleh_baca)
    write_capability = staticmethod(permissions.can_manage_pegawai)
    schema_model = PejabatFungsional

    def scoped_queryset(self):
        p = self.request.query_params
        jf = JabatanFungsional.objects.filter(kode=p.get("jf", "")[:20]).first() if p.get("jf") else None
        kode = p.get("jenjang", "")[:30]
        if kode and not Jenjang.objects.filter(kode=kode, **({"jf": jf} if jf else {})).exists():
            return PejabatFungsional.objects.none()
        # Without a JF, the jenjang of that code in each JF (Ahli Pertama of every JF, not of the first).
        return selectors.pejabat_list(jf=jf, jenjang_kode=kode or None).select_related("sk_surat")

    def get_serializer_class(self):
        return PejabatDetailSerializer if self.action == "retrieve" else PejabatSerializer

    @extend_schema(responses=MutasiSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def mutasi(self, request, pk=None):
        """The holder's ledger, oldest first (append-only)."""
        return Response(MutasiSerializer(selectors.mutasi_dari(self.get_object()), many=True).data)

    @extend_schema(request=PredikatSerializer, responses={201: MutasiSerializer, **GALAT})
    @action(detail=True, methods=["post"])
    def predikat(self, request, pk=None):
        """Record a predikat kinerja for a period: it is converted and appended as a konversi row."""
        pejabat = self.get_object()
        data = PredikatSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        jenjang = None
        if v.get("jenjang"):
            jenjang = Jenjang.objects.filter(jf_id=pejabat.jf_id, kode=v["jenjang"]).first()
            if jenjang is None:
                raise serializers.ValidationError({"jenjang": [_("Jenjang tidak dikenal untuk JF ini.")]})
        mutasi = services.konversi_catat(
            pejabat, predikat=v["predikat"], periode_mulai=v["periode_mulai"], periode_selesai=v["periode_selesai"],
            jenjang=jenjang, oleh=request.user,
        )  # fmt: skip
        return Response(MutasiSerializer(mutasi).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": KenaikanPangkatSerializer,
                            "application/json": KenaikanPangkatSerializer},
                   responses={201: MutasiSerializer, **GALAT})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="kenaikan-pangkat",
            parser_classes=[MultiPartParser, FormParser, JSONParser])  # fmt: skip
    def kenaikan_pangkat(self, request, pk=None):
        """Record the holder's SK kenaikan pangkat after the PAK: a kenaikan_pangkat row on the
        ledger (the threshold's AK used, the rest carried over) and the record's new golongan."""
        from apps.jabatan import pangkat
        from apps.penetapan.models import UsulanPenetapanAK
        from apps.referensi.models import Golongan

        pejabat = self.get_object()
        data = KenaikanPangkatSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        golongan = Golongan.objects.filter(kode=v["golongan"].strip()).first()
        if golongan is None:
            raise serializers.ValidationError({"golongan": [_("Kode pangkat/golongan tidak dikenal.")]})
        pak = None
        if v.get("pak"):
            pak = UsulanPenetapanAK.objects.filter(pk=v["pak"], pejabat=pejabat).select_related("surat").first()
            if pak is None:
                raise serializers.ValidationError({"pak": [_("PAK tidak ditemukan untuk pejabat ini.")]})
        mutasi = pangkat.kenaikan_pangkat_catat(
            actor=request.user, pejabat=pejabat, golongan=golongan, tmt_golongan=v["tmt_golongan"],
            sk_nomor=v["sk_nomor"], sk_tanggal=v["sk_tanggal"], pak=pak, berkas=v.get("berkas"),
            sk_kolektif=v.get("sk_kolektif", False), pak_luar_nomor=v.get("pak_luar_nomor", ""),
            pak_luar_tanggal=v.get("pak_luar_tanggal"), pak_luar_berkas=v.get("pak_luar_berkas"),
        )  # fmt: skip
        return Response(MutasiSerializer(mutasi).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: UsulanKenaikanJenjangSerializer, **GALAT})
    @action(detail=True, methods=["post"], url_path="kenaikan-jenjang")
    def kenaikan_jenjang(self, request, pk=None):
        """Propose the holder for the next jenjang (the PIC): a draft usulan ``kenaikan_jenjang``
        whose documents are uploaded and which is submitted through /usulan/. Refused (400) when the
        AK kumulatif does not meet the threshold; a repeated request returns the live usulan."""
        from apps.core.audit import client_ip
        from apps.jabatan import kenaikan

        pejabat = self.get_object()  # another instansi's holder: 404
        usulan = kenaikan.kenaikan_jenjang_usulkan(actor=request.user, pejabat=pejabat, ip_address=client_ip(request))
        return Response(UsulanKenaikanJenjangSerializer(usulan).data, status=status.HTTP_201_CREATED)

    def _impor(self, request, fungsi):
        from apps.core.audit import client_ip

        data = ImporSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = fungsi(
            actor=request.user, berkas=data.validated_data["berkas"], jf=data.validated_data["jf"],
            ip_address=client_ip(request),
        )  # fmt: skip
        if report.berkas:  # the file itself (too big, not an XLSX, wrong columns): nothing read
            raise serializers.ValidationError({"berkas": list(report.berkas)})
        hasil = {
            "diimpor": report.imported,
            "baris_gagal": report.rows_failed,
            "galat": [{"baris": b, "kolom": k, "alasan": a} for b, k, a in report.errors],
        }
        return Response(ImporHasilSerializer(hasil).data)

    @extend_schema(request={"multipart/form-data": ImporSerializer}, responses={200: ImporHasilSerializer, **GALAT})
    @action(detail=False, methods=["post"], url_path="impor-pejabat", parser_classes=[MultiPartParser],
            throttle_classes=UPLOAD_THROTTLES)  # fmt: skip
    def impor_pejabat(self, request):
        """Import holders who entered the JF before the portal (the PIC), from the page's XLSX
        template: the rows without problems go in, each other row is listed with its reason."""
        return self._impor(request, services.pejabat_impor)

    @extend_schema(request={"multipart/form-data": ImporSerializer}, responses={200: ImporHasilSerializer, **GALAT})
    @action(detail=False, methods=["post"], url_path="impor-predikat", parser_classes=[MultiPartParser],
            throttle_classes=UPLOAD_THROTTLES)  # fmt: skip
    def impor_predikat(self, request):
        """Import predikat kinerja per holder and period (the PIC), converted into AK as the page does;
        each refused row is listed with its reason."""
        return self._impor(request, services.predikat_impor)

    @extend_schema(
        responses=KelayakanSerializer(many=True),
        parameters=[OpenApiParameter("jf", str, description="Kode JF")],
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def memenuhi(self, request):
        """Holders whose AK kumulatif meets the threshold for kenaikan pangkat or jenjang, and since when."""
        jf = JabatanFungsional.objects.filter(kode=request.query_params.get("jf", "")[:20]).first()
        rows = selectors.kelayakan(jf=jf, hanya_memenuhi=True)
        return Response(KelayakanSerializer(rows, many=True).data)


class RekapPemegangBarisSerializer(serializers.Serializer):
    jf = serializers.CharField(source="jf__nama")
    instansi = serializers.CharField(source="instansi__nama")
    jenjang = serializers.CharField(source="jenjang__nama")
    jumlah = serializers.IntegerField(source="n")


class RekapPemegangSerializer(serializers.Serializer):
    jumlah = serializers.IntegerField(help_text=_("Pejabat fungsional aktif pada JF yang Anda bina."))
    memenuhi_pangkat = serializers.IntegerField(help_text=_("Yang memenuhi AK kenaikan pangkat."))
    memenuhi_jenjang = serializers.IntegerField(help_text=_("Yang memenuhi AK kenaikan jenjang."))
    baris = RekapPemegangBarisSerializer(many=True, help_text=_("Per JF, instansi dan jenjang."))


class RekapPemegangView(TenantScopedMixin, APIView):
    """The pembina's national recap of holders of the JFs your instansi administers: per JF,
    instansi and jenjang, and how many meet the AK thresholds (as the recap page)."""

    permission_classes = [Capability]
    read_capability = staticmethod(lambda u: permissions.has_role(u, *STAF_PEMBINA))
    write_capability = staticmethod(lambda u: False)

    def scoped_queryset(self):  # pragma: no cover - TenantScopedMixin's contract; not a list view
        return PejabatFungsional.objects.none()

    @extend_schema(responses=RekapPemegangSerializer)
    def get(self, request):
        return Response(RekapPemegangSerializer(selectors.rekap_nasional()).data)
