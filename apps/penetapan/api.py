"""REST API for the usulan penetapan angka kredit: the same services and the same visibility as
the pages (``selectors.terlihat``: another instansi's usulan is a 404), refusals as 400."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import STAF_PEMBINA
from apps.core import tenancy
from apps.core.api import GALAT, UPLOAD_THROTTLES, Capability, KutipanField, TenantScopedMixin
from apps.core.audit import client_ip
from apps.penetapan import selectors, services
from apps.penetapan.models import (
    AnggotaTimAK,
    DokumenPenetapan,
    PenilaianAK,
    PeriodePenetapan,
    SekretariatTimAK,
    SidangAK,
    TimPenilaiAK,
    UsulanPenetapanAK,
)
from apps.referensi.models import JabatanFungsional


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

    @extend_schema(request=BuatSerializer, responses={201: UsulanPenetapanSerializer, **GALAT})
    def create(self, request):
        """The PIC starts an usulan for a holder of the instansi, in the open period (or, outside
        one, for a holder who has reached the batas usia pensiun and is not yet retired: Pedoman
        Tata Kerja Tim Penilai JFAK, BAB IV C)."""
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

    @extend_schema(request=None, responses={200: UsulanPenetapanSerializer, **GALAT})
    @action(detail=True, methods=["post"])
    def ajukan(self, request, pk=None):
        usulan = services.usulan_ajukan(actor=request.user, usulan=self.get_object(), ip_address=client_ip(request))
        return self._jawab(usulan)

    @extend_schema(request=None, responses={200: UsulanPenetapanSerializer, **GALAT})
    @action(detail=True, methods=["post"])
    def batalkan(self, request, pk=None):
        usulan = services.usulan_batalkan(actor=request.user, usulan=self.get_object(), ip_address=client_ip(request))
        return self._jawab(usulan)

    @extend_schema(request=PeriksaSerializer, responses={200: UsulanPenetapanSerializer, **GALAT})
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

    @extend_schema(request=NilaiAKSerializer, responses={200: UsulanPenetapanSerializer, **GALAT})
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

    @extend_schema(
        request={"multipart/form-data": UnggahSerializer},
        responses={201: DokumenPenetapanSerializer, **GALAT},
    )
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


# --- Sidang penetapan AK (seed 001 BAB IV D): opened by the team's sekretariat, decided by its ketua.


class SidangUsulanSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=_("Status usulan, seperti pada /penetapan/usulan/."))

    class Meta:
        model = UsulanPenetapanAK
        fields = ["id", "pejabat_nip", "pejabat_nama", "status", "ak_kumulatif", "ak_syarat", "hasil", "surat_nomor"]
        read_only_fields = fields


def _usulan_sidang(sidang_list) -> None:
    """The usulan of every sidang of the list, read in one query (``_usulan`` on each). As the
    sidang page: the team's usulan may be of other instansi than the reader's scope; the sidang
    themselves were read in the reader's scope (``selectors.sidang_terlihat``)."""
    per_sidang: dict[int, list] = {s.pk: [] for s in sidang_list}
    if per_sidang:
        with tenancy.all_tenants(reason="the usulan of the team's own sidang, listed with it"):
            for u in UsulanPenetapanAK.objects.filter(sidang_id__in=sorted(per_sidang)).order_by("pejabat_nama", "pk"):
                per_sidang[u.sidang_id].append(u)
    for s in sidang_list:
        s._usulan = per_sidang[s.pk]


class SidangAKListSerializer(serializers.ListSerializer):
    """A page of sidang: their usulan read once for the page, not once per sidang."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        _usulan_sidang(rows)
        return super().to_representation(rows)


class AnggotaSidangSerializer(serializers.ModelSerializer):
    """A member of the sidang's team: ``id`` is what ``putuskan`` takes in ``hadir``."""

    nama = serializers.CharField(source="user.nama_lengkap", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = AnggotaTimAK
        fields = ["id", "username", "nama", "peran"]
        read_only_fields = fields


class SidangAKSerializer(serializers.ModelSerializer):
    tim_nama = serializers.CharField(source="tim.nama", read_only=True)
    hadir = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    anggota = AnggotaSidangSerializer(
        source="tim.anggota", many=True, read_only=True,
        help_text=_("Anggota tim (termasuk anggota pengganti); id-nya dikirim dalam 'hadir' saat memutuskan."),
    )  # fmt: skip
    usulan = serializers.SerializerMethodField()

    class Meta:
        model = SidangAK
        fields = ["id", "tim", "tim_nama", "tanggal", "tempat", "status", "anggota", "hadir", "ditutup_at", "usulan",
                  "created_at"]  # fmt: skip
        read_only_fields = fields
        list_serializer_class = SidangAKListSerializer

    @extend_schema_field(SidangUsulanSerializer(many=True))
    def get_usulan(self, obj):
        if not hasattr(obj, "_usulan"):
            _usulan_sidang([obj])
        return SidangUsulanSerializer(obj._usulan, many=True).data


class SidangBukaSerializer(serializers.Serializer):
    tim = serializers.PrimaryKeyRelatedField(
        queryset=QuerySet(model=TimPenilaiAK).none(), help_text=_("Id tim penilai tempat Anda menjadi sekretariat.")
    )
    tanggal = serializers.DateField()
    tempat = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")
    usulan = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), min_length=1, max_length=500,
        help_text=_("Id usulan tim yang paling sedikit 2/3 anggotanya telah menilai."),
    )  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:  # the schema generator has no user (nor scope)
            ids = [t.pk for t in selectors.tim_sekretariat(user)]
            self.fields["tim"].queryset = TimPenilaiAK.objects.filter(pk__in=ids)


class SidangPutuskanSerializer(serializers.Serializer):
    hadir = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), required=False, default=list, max_length=500,
        help_text=_("Id anggota tim (AnggotaTimAK) yang hadir; sah bila paling sedikit 2/3 anggota hadir."),
    )  # fmt: skip
    pyb_nama = serializers.CharField(max_length=150, help_text=_("Nama PYB (pejabat yang berwenang menetapkan AK)."))
    pyb_jabatan = serializers.CharField(max_length=200)
    pyb_nip = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    ttd_manual = serializers.BooleanField(
        required=False, default=False,
        help_text=_("Wajib true bila instansi tim belum mendaftarkan pejabat penanda tangan elektronik: PAK "
                    "ditandatangani basah lalu pindaiannya diunggah sekretariat tim."),
    )  # fmt: skip

    def validate_pyb_nip(self, value):
        from apps.referensi.domain import NipError, parse_nip

        value = (value or "").strip()
        if value:
            try:
                parse_nip(value)
            except NipError as exc:
                raise serializers.ValidationError(str(exc)) from exc
        return value


class SidangAKViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sidang penetapan AK of the teams you sit in (member, or sekretariat within its term). The
    sekretariat opens one for usulan that ⌈2/3⌉ of the members assessed; the ketua decides it
    with ⌈2/3⌉ attending: PAK for those who meet the requirement, HAPAK for the others.
    ``status``: dibuka → diputuskan."""

    serializer_class = SidangAKSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(_ada_lingkup)
    write_capability = staticmethod(_ada_lingkup)
    schema_model = SidangAK

    def scoped_queryset(self):
        return (
            selectors.sidang_terlihat(self.request.user)
            .prefetch_related("hadir", Prefetch("tim__anggota", queryset=AnggotaTimAK.objects.select_related("user")))
            .order_by("-tanggal", "-id")
        )

    @extend_schema(request=SidangBukaSerializer, responses={201: SidangAKSerializer, **GALAT})
    def create(self, request):
        """The team's sekretariat (in term) opens a sidang for usulan in assessment."""
        if "sekretariat_tim" not in request.user.roles:
            raise PermissionDenied
        data = SidangBukaSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        sidang = services.sidang_buka(
            actor=request.user, tim=v["tim"], tanggal=v["tanggal"], tempat=v["tempat"], usulan_ids=v["usulan"],
            ip_address=client_ip(request),
        )  # fmt: skip
        return Response(SidangAKSerializer(self.scoped_queryset().get(pk=sidang.pk)).data, status=201)

    @extend_schema(request=SidangPutuskanSerializer, responses={200: SidangAKSerializer, **GALAT})
    @action(detail=True, methods=["post"])
    def putuskan(self, request, pk=None):
        """The ketua decides the sidang; the PAK and HAPAK are rendered in the background."""
        from apps.ttd import pilihan

        sidang = self.get_object()  # not a team of yours: 404 before the body is read
        data = SidangPutuskanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if not v["ttd_manual"] and not pilihan.pejabat_aktif(sidang.tim.instansi_id):
            raise serializers.ValidationError({"ttd_manual": [_(
                "Instansi tim penilai belum mendaftarkan pejabat penanda tangan elektronik. Daftarkan PYB lebih "
                "dahulu, atau nyatakan bahwa PAK ditandatangani basah."
            )]})  # fmt: skip
        if v["ttd_manual"] and not v["pyb_nip"]:
            raise serializers.ValidationError({"pyb_nip": [_("Isi NIP PYB.")]})
        services.sidang_putuskan(
            actor=request.user, sidang=sidang, hadir_ids=v["hadir"],
            pyb=(v["pyb_nama"], v["pyb_jabatan"], v["pyb_nip"]), ttd_manual=v["ttd_manual"],
            ip_address=client_ip(request),
        )  # fmt: skip
        return Response(SidangAKSerializer(self.scoped_queryset().get(pk=sidang.pk)).data)


# --- Periods of penetapan AK (seed 001 BAB IV C), configured by the JF's admin pembina.


class PeriodeSerializer(serializers.ModelSerializer):
    jf = serializers.SlugRelatedField(slug_field="kode", queryset=JabatanFungsional.objects.none())
    bulan_pengajuan = serializers.IntegerField(min_value=1, max_value=12)
    hari_mulai = serializers.IntegerField(
        min_value=1,
        max_value=31,
        help_text=_("1–31 sesuai bulan pengajuan; 29 Februari: tanggal terakhir bulan itu pada tahun bukan kabisat."),
    )
    hari_selesai = serializers.IntegerField(
        min_value=1,
        max_value=31,
        help_text=_("1–31 sesuai bulan pengajuan; 29 Februari: tanggal terakhir bulan itu pada tahun bukan kabisat."),
    )
    bulan_pak = serializers.IntegerField(min_value=1, max_value=12)
    bulan_kenaikan_pangkat = serializers.IntegerField(min_value=1, max_value=12)
    sumber = KutipanField(
        max_length=200, required=False, allow_blank=True,
        help_text=_("Sumber aturan periode: nama dokumen, pasal atau bagian, dan keterangan belum terverifikasi."),
    )  # fmt: skip

    class Meta:
        model = PeriodePenetapan
        fields = [
            "id", "jf", "kode", "nama", "bulan_pengajuan", "hari_mulai", "hari_selesai", "bulan_pak",
            "bulan_kenaikan_pangkat", "aktif", "sumber",
        ]  # fmt: skip
        read_only_fields = ["id"]
        validators = []  # the JF/kode uniqueness is the service's (one translated message)

    def __init__(self, *args, jf_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jf"].queryset = JabatanFungsional.objects.filter(pk__in=sorted(jf_ids))
        if self.instance is not None:
            self.fields["jf"].read_only = True  # a period stays with its JF

    def validate_kode(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError(_("Isi kode periode."))
        return value

    def validate(self, data):
        a = data.get("hari_mulai", getattr(self.instance, "hari_mulai", None))
        b = data.get("hari_selesai", getattr(self.instance, "hari_selesai", None))
        if a is not None and b is not None and b < a:
            raise serializers.ValidationError({"hari_selesai": [_("Tanggal tutup tidak boleh sebelum tanggal buka.")]})
        return data


def _admin_pembina(user) -> bool:
    return "admin_pembina" in (user.roles or ()) and tenancy.scope_for_user(user) is not None


@extend_schema_view(
    create=extend_schema(responses={201: PeriodeSerializer, **GALAT}),
    update=extend_schema(responses={200: PeriodeSerializer, **GALAT}),
    partial_update=extend_schema(responses={200: PeriodeSerializer, **GALAT}),
)
class PeriodeViewSet(
    TenantScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The periods of penetapan AK of the JFs your instansi administers (admin pembina): the
    submission window (day ``hari_mulai``–``hari_selesai`` of ``bulan_pengajuan``), the month of
    the PAK and of the kenaikan pangkat, e.g. proposals in October → PAK in January → kenaikan pangkat in April,
    or April → July → October (Rancangan Perkalan LAN on SI SAKA, BAB IV C)."""

    serializer_class = PeriodeSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(_admin_pembina)
    write_capability = staticmethod(_admin_pembina)
    schema_model = PeriodePenetapan

    def _jf_ids(self):
        return sorted(tenancy.require().jf_ids)

    def scoped_queryset(self):
        return (
            PeriodePenetapan.objects.filter(jf_id__in=self._jf_ids())
            .select_related("jf")
            .order_by("jf__nama", "bulan_pengajuan", "id")
        )

    def get_serializer(self, *args, **kwargs):
        if not getattr(self, "swagger_fake_view", False):
            kwargs["jf_ids"] = self._jf_ids()
        return super().get_serializer(*args, **kwargs)

    def _simpan(self, serializer, periode=None):
        v = dict(serializer.validated_data)
        jf = periode.jf if periode is not None else v["jf"]
        data = {f: getattr(periode, f) for f in serializer.fields if periode is not None and hasattr(periode, f)}
        data.update(v)
        data["jf"] = jf
        return services.periode_simpan(
            actor=self.request.user, jf=jf, data=data, periode=periode, ip_address=client_ip(self.request)
        )

    def perform_create(self, serializer):
        serializer.instance = self._simpan(serializer)

    def perform_update(self, serializer):
        serializer.instance = self._simpan(serializer, periode=serializer.instance)


# --- Forming a Tim Penilai AK and its Sekretariat (seed 001 BAB II; apps.penetapan.pembentukan).


class AnggotaTimSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    nama = serializers.CharField(source="user.nama_lengkap", read_only=True)

    class Meta:
        model = AnggotaTimAK
        fields = ["id", "user", "username", "nama", "peran", "bersertifikat"]
        read_only_fields = fields


class SekretariatTimSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    nama = serializers.CharField(source="user.nama_lengkap", read_only=True)

    class Meta:
        model = SekretariatTimAK
        fields = ["id", "user", "username", "nama", "masa_mulai", "masa_selesai"]
        read_only_fields = fields


class TimAKSerializer(serializers.ModelSerializer):
    jf = serializers.CharField(source="jf.kode", read_only=True)
    instansi = serializers.CharField(source="instansi.nama", read_only=True)
    dikelola = serializers.SerializerMethodField(help_text=_("Anda dapat menetapkan sekretariat tim ini."))

    class Meta:
        model = TimPenilaiAK
        fields = ["id", "jf", "instansi", "tingkat", "nama", "nomor_sk", "masa_mulai", "masa_selesai", "dikelola",
                  "created_at"]  # fmt: skip
        read_only_fields = fields

    def get_dikelola(self, obj) -> bool:
        from apps.penetapan import pembentukan

        return pembentukan.boleh_kelola(self.context["request"].user, obj)


class TimAKDetailSerializer(TimAKSerializer):
    anggota = AnggotaTimSerializer(many=True, read_only=True)
    sekretariat = SekretariatTimSerializer(many=True, read_only=True)

    class Meta(TimAKSerializer.Meta):
        fields = [*TimAKSerializer.Meta.fields, "anggota", "sekretariat"]
        read_only_fields = fields


class AnggotaBaruSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=2**62, help_text=_("Id akun penilai_ak instansi Anda."))
    peran = serializers.ChoiceField(choices=AnggotaTimAK.Peran.choices)
    bersertifikat = serializers.BooleanField(required=False, default=False)


class TimBentukSerializer(serializers.Serializer):
    jf = serializers.CharField(max_length=20, help_text=_("Kode JF yang dapat Anda bentuk timnya."))
    nama = serializers.CharField(max_length=150)
    nomor_sk = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    masa_mulai = serializers.DateField(help_text=_("Masa jabatan tim 3 tahun; tanggal selesai dihitung otomatis."))
    sekretariat_mulai = serializers.DateField(required=False, allow_null=True, default=None)
    anggota = AnggotaBaruSerializer(many=True, max_length=200)
    sekretariat = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), required=False, default=list, max_length=50,
        help_text=_("Id akun sekretariat_tim instansi Anda."),
    )  # fmt: skip


class SekretariatBaruSerializer(serializers.Serializer):
    sekretariat = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), max_length=50,
        help_text=_("Id akun sekretariat_tim instansi Anda."),
    )  # fmt: skip
    mulai = serializers.DateField(help_text=_("Masa keanggotaan sekretariat 1 tahun sejak tanggal ini."))


class CalonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    nama = serializers.CharField(source="nama_lengkap")


class CalonTimSerializer(serializers.Serializer):
    penilai = CalonSerializer(many=True)
    sekretariat = CalonSerializer(many=True)


def _pilih(calon, ids, field):
    """The accounts of ``ids`` among ``calon`` (the actor's instansi's): another id is a 400."""
    by_id = {u.pk: u for u in calon}
    asing = [i for i in ids if i not in by_id]
    if asing:
        raise serializers.ValidationError(
            {field: [_("Akun %(ids)s bukan calon dari instansi Anda.") % {"ids": ", ".join(map(str, asing))}]}
        )
    return [by_id[i] for i in ids]


class TimAKViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The Tim Penilai AK you form or oversee, with members and sekretariat: the PIC (or the
    pembina for the pusat level) forms the teams of their instansi; the JF's admin pembina sees
    every team of their JFs. Not a team former: 404, as the pages."""

    serializer_class = TimAKSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(_ada_lingkup)
    write_capability = staticmethod(_ada_lingkup)
    schema_model = TimPenilaiAK

    def initial(self, request, *args, **kwargs):
        from rest_framework.exceptions import NotFound

        from apps.penetapan import pembentukan

        super().initial(request, *args, **kwargs)
        self.pembentuk = pembentukan.tingkat_dibentuk(request.user) is not None
        # A member or the sekretariat reads their own team(s) — the ids the sidang needs; only a
        # team former writes here.
        if not self.pembentuk and (self.action not in ("list", "retrieve") or not self._tim_sendiri_ids()):
            raise NotFound

    def _tim_sendiri_ids(self) -> list[int]:
        user = self.request.user
        ids = set(AnggotaTimAK.objects.filter(user=user).values_list("tim_id", flat=True))
        ids |= set(SekretariatTimAK.objects.filter(user=user).values_list("tim_id", flat=True))
        return sorted(ids)

    def scoped_queryset(self):
        from apps.penetapan import pembentukan

        terlihat = pembentukan.tim_terlihat(self.request.user).values("pk")
        return (
            TimPenilaiAK.objects.filter(Q(pk__in=terlihat) | Q(pk__in=self._tim_sendiri_ids()))
            .select_related("jf", "instansi")
            .prefetch_related("anggota__user", "sekretariat__user")
            .order_by("jf__nama", "-masa_mulai", "id")
        )

    def get_serializer_class(self):
        return TimAKDetailSerializer if self.action == "retrieve" else TimAKSerializer

    def _jawab(self, tim, code=status.HTTP_200_OK):
        tim = self.scoped_queryset().get(pk=tim.pk)
        return Response(TimAKDetailSerializer(tim, context={"request": self.request}).data, status=code)

    @extend_schema(request=TimBentukSerializer, responses={201: TimAKDetailSerializer, **GALAT})
    def create(self, request):
        """Form a team for a 3-year term with its sekretariat for one year; refused (400) with every
        broken rule at once (members' number and roles, certification, terms)."""
        from apps.accounts.models import Role
        from apps.penetapan import pembentukan

        data = TimBentukSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        jf = pembentukan.jf_pilihan(request.user).filter(kode=v["jf"]).first()
        if jf is None:
            raise serializers.ValidationError({"jf": [_("Jabatan fungsional ini tidak dapat Anda bentuk timnya.")]})
        calon = list(pembentukan.calon(request.user, Role.PENILAI_AK))
        users = _pilih(calon, [a["user"] for a in v["anggota"]], "anggota")
        anggota = [(u, a["peran"], a["bersertifikat"]) for u, a in zip(users, v["anggota"], strict=True)]
        sekretariat = _pilih(list(pembentukan.calon(request.user, Role.SEKRETARIAT_TIM)), v["sekretariat"],
                             "sekretariat")  # fmt: skip
        tim = pembentukan.tim_bentuk(
            actor=request.user, jf=jf, nama=v["nama"], nomor_sk=v["nomor_sk"], mulai=v["masa_mulai"],
            anggota=anggota, sekretariat=sekretariat, sekretariat_mulai=v["sekretariat_mulai"],
            ip_address=client_ip(request),
        )  # fmt: skip
        return self._jawab(tim, status.HTTP_201_CREATED)

    @extend_schema(request=SekretariatBaruSerializer, responses={200: TimAKDetailSerializer, **GALAT})
    @action(detail=True, methods=["post"])
    def sekretariat(self, request, pk=None):
        """A new sekretariat term (one year) for a team your instansi formed."""
        from rest_framework.exceptions import NotFound

        from apps.accounts.models import Role
        from apps.penetapan import pembentukan

        tim = self.get_object()
        if not pembentukan.boleh_kelola(request.user, tim):
            raise NotFound  # as the page: only the team's own former manages it
        data = SekretariatBaruSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        users = _pilih(list(pembentukan.calon(request.user, Role.SEKRETARIAT_TIM)), v["sekretariat"], "sekretariat")
        pembentukan.sekretariat_tetapkan(
            actor=request.user, tim=tim, users=users, mulai=v["mulai"], ip_address=client_ip(request)
        )
        return self._jawab(tim)

    @extend_schema(responses=CalonTimSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def calon(self, request):
        """The accounts of your instansi that can be chosen as members (penilai_ak) and sekretariat."""
        from apps.accounts.models import Role
        from apps.penetapan import pembentukan

        return Response(CalonTimSerializer({
            "penilai": pembentukan.calon(request.user, Role.PENILAI_AK),
            "sekretariat": pembentukan.calon(request.user, Role.SEKRETARIAT_TIM),
        }).data)  # fmt: skip
