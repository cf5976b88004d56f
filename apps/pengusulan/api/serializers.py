from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api import KutipanField
from apps.pengusulan.models import PELAKSANA_WAJIB, Dokumen, Formasi, Pegawai, Usulan
from apps.referensi import domain as rules
from apps.referensi.models import Golongan, JabatanFungsional, Jenjang, PredikatChoices


class PegawaiSerializer(serializers.ModelSerializer):
    nip = serializers.CharField(max_length=30, help_text=_("18 digit; boleh dengan spasi."))
    golongan = serializers.SlugRelatedField(
        slug_field="kode", queryset=Golongan.objects.all(), help_text=_("Kode golongan, mis. III/c.")
    )
    predikat = serializers.DictField(
        child=serializers.ChoiceField(choices=PredikatChoices.choices),
        required=False,
        help_text=_('Tahun → predikat kinerja, mis. {"2025": "baik"}.'),
    )

    class Meta:
        model = Pegawai
        fields = [
            "id", "nip", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "tmt_cpns", "golongan",
            "tmt_golongan", "pendidikan", "jabatan_saat_ini", "is_pelaksana", "unit_kerja", "pengalaman_bulan",
            "predikat", "hukuman_disiplin", "tanggal_hukuman", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["tmt_cpns", "created_at", "updated_at"]
        extra_kwargs = {
            "tmt_golongan": {"required": True, "allow_null": False},
            "pendidikan": {"required": True, "allow_blank": False},
            # no silent default: the PIC answers it (seed 004, masa kerja of a pelaksana III/a)
            "is_pelaksana": {
                "required": True,
                "error_messages": {"required": PELAKSANA_WAJIB, "null": PELAKSANA_WAJIB},
            },
        }

    def validate_nip(self, value):
        try:
            info = rules.nip_pns(value)
        except rules.NipError as exc:
            raise serializers.ValidationError(str(exc)) from None
        if self.instance is not None and info.nip != self.instance.nip and self.instance.nip_terkunci:
            raise serializers.ValidationError(
                _("NIP tidak dapat diubah: usulan pegawai ini sudah diajukan. Hubungi instansi pembina.")
            )
        return info.nip

    def validate_predikat(self, value):
        bad = [k for k in value if not (k.isdigit() and len(k) == 4)]
        if bad:
            raise serializers.ValidationError(_("Kunci predikat harus tahun empat digit."))
        return value


class EligibilitasSerializer(serializers.Serializer):
    rule = serializers.CharField()
    status = serializers.ChoiceField(choices=[s.value for s in rules.Status])
    message = serializers.CharField()
    source = KutipanField(
        default="", help_text=_("Sumber aturan: nama dokumen, pasal atau bagian, dan keterangan belum terverifikasi.")
    )


class AkRincianSerializer(serializers.Serializer):
    """Rincian AK awal: nilai tabel penyesuaian + AK Dasar = total, dan apakah tiap baris
    referensinya sudah terverifikasi."""

    nilai_tabel = serializers.DecimalField(
        source="ak_nilai_tabel", max_digits=8, decimal_places=3, allow_null=True, read_only=True,
        help_text=_("Nilai tabel penyesuaian angka kredit (null: asal nilai tidak tercatat)."),
    )  # fmt: skip
    tabel_terverifikasi = serializers.SerializerMethodField()
    ak_dasar = serializers.DecimalField(max_digits=8, decimal_places=3, allow_null=True, read_only=True)
    ak_dasar_terverifikasi = serializers.SerializerMethodField()
    total = serializers.DecimalField(source="ak_awal", max_digits=8, decimal_places=3, allow_null=True, read_only=True)

    def get_tabel_terverifikasi(self, obj) -> bool:
        return bool(obj.ak_tabel_ref_id and obj.ak_tabel_ref.terverifikasi)

    def get_ak_dasar_terverifikasi(self, obj) -> bool:
        return bool(obj.ak_dasar_ref_id and obj.ak_dasar_ref.terverifikasi)


class UsulanSerializer(serializers.ModelSerializer):
    pegawai = serializers.PrimaryKeyRelatedField(read_only=True)
    pegawai_nama = serializers.CharField(source="pegawai.nama", read_only=True)
    pegawai_nip = serializers.CharField(source="pegawai.nip", read_only=True)
    jf = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    jenjang = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    status_label = serializers.CharField(read_only=True)
    eligibilitas = EligibilitasSerializer(many=True, read_only=True)
    ak_rincian = AkRincianSerializer(source="*", read_only=True)
    tmt_paling_lambat = serializers.DateField(
        read_only=True, allow_null=True,
        help_text=_("TMT pengangkatan paling lambat: hari terakhir batas usia JF dan batas usia pensiun jenjang "
                    "masih terpenuhi (null: tanggal lahir tidak diketahui)."),
    )  # fmt: skip
    peringatan_tmt = serializers.SerializerMethodField(
        help_text=_("Peringatan bila TMT paling lambat sudah dekat atau lewat; kosong bila tidak ada.")
    )
    sk_koreksi_menunggu_ttd = serializers.BooleanField(
        read_only=True,
        help_text=_("SK yang berlaku adalah versi koreksi yang belum ditandatangani (versi sebelumnya sudah "
                    "ditandatangani). Status tetap sk_terbit; bernilai false lagi setelah koreksi ditandatangani "
                    "(secara elektronik atau dengan unggahan pindaian)."),
    )  # fmt: skip

    class Meta:
        model = Usulan
        fields = [
            "id", "nomor", "pegawai", "pegawai_nama", "pegawai_nip", "jf", "jenjang", "status", "status_label",
            "sk_koreksi_menunggu_ttd", "formasi", "ak_awal", "ak_rincian", "masa_kerja_pangkat", "eligibilitas",
            "tmt_paling_lambat", "peringatan_tmt", "created_at", "updated_at", "diajukan_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_peringatan_tmt(self, obj) -> str:
        return obj.peringatan_tmt()


class UsulanCreateSerializer(serializers.Serializer):
    pegawai = serializers.IntegerField(help_text=_("ID pegawai instansi Anda."))
    jf = serializers.SlugRelatedField(slug_field="kode", queryset=JabatanFungsional.objects.all())


@extend_schema_field(OpenApiTypes.DATE)
class _TanggalTeks(serializers.CharField):
    """A date as typed (YYYY-MM-DD), read by the page's rule (services.pengantar_ajukan)."""


class AjukanSerializer(serializers.Serializer):
    """The body of "ajukan": the PPK's surat pengantar, as on the page. Checked by the page's rule
    (apps.pengusulan.services.pengantar_ajukan and usulan_ajukan), each refusal under its field."""

    pengantar_nomor = serializers.CharField(
        required=False, allow_blank=True,
        help_text=_("Nomor surat pengantar usulan dari PPK. Wajib pada pengajuan pertama (usulan draf); "
                    "pada pengajuan ulang setelah perbaikan boleh kosong (yang tersimpan tetap dipakai)."),
    )  # fmt: skip
    pengantar_tanggal = _TanggalTeks(
        required=False, allow_blank=True,
        help_text=_("Tanggal surat pengantar (YYYY-MM-DD), tidak setelah hari ini. Wajib bersama nomornya "
                    "pada pengajuan pertama."),
    )  # fmt: skip


class DokumenSerializer(serializers.ModelSerializer):
    persyaratan = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    unduh = serializers.HyperlinkedIdentityField(view_name="api:dokumen-unduh")

    class Meta:
        model = Dokumen
        fields = [
            "id",
            "persyaratan",
            "versi",
            "nama_asli",
            "ukuran",
            "sha256",
            "jumlah_halaman",
            "nomor_surat",
            "tanggal_surat",
            "created_at",
            "unduh",
        ]
        read_only_fields = fields


class DokumenUploadSerializer(serializers.Serializer):
    persyaratan = serializers.CharField(help_text=_("Kode persyaratan dokumen, mis. sk_cpns."))
    berkas = serializers.FileField(allow_empty_file=True)
    nomor_surat = serializers.CharField(
        max_length=100, required=False, allow_blank=True,
        help_text=_("Nomor PAK yang ditandatangani atasan langsung (wajib untuk dokumen_pak; SK mengutipnya)."),
    )  # fmt: skip
    tanggal_surat = serializers.DateField(
        required=False, allow_null=True,
        help_text=_("Tanggal PAK yang ditandatangani atasan langsung (wajib untuk dokumen_pak)."),
    )  # fmt: skip


class FormasiSerializer(serializers.ModelSerializer):
    jf = serializers.SlugRelatedField(slug_field="kode", queryset=JabatanFungsional.objects.all())
    # Jenjang codes repeat across JFs (every JF has "ahli_muda"): the code is looked up within
    # the JF given alongside (a lookup across JFs was a MultipleObjectsReturned 500).
    jenjang = serializers.SlugField(source="jenjang.kode", max_length=40, help_text=_("Kode jenjang dalam JF ini."))
    terpakai = serializers.IntegerField(read_only=True)
    sisa = serializers.IntegerField(read_only=True)

    class Meta:
        model = Formasi
        fields = ["id", "jf", "jenjang", "unit_kerja", "jumlah", "terpakai", "sisa", "updated_at"]
        read_only_fields = ["id", "terpakai", "sisa", "updated_at"]
        validators = []  # the service upserts on (instansi, jf, jenjang, unit kerja)

    def validate(self, data):
        kode = data["jenjang"]["kode"]
        jenjang = Jenjang.objects.filter(jf=data["jf"], kode=kode).first()
        if jenjang is None:
            raise serializers.ValidationError(
                {"jenjang": _("Jenjang %(kode)s tidak ada pada JF %(jf)s.") % {"kode": kode, "jf": data["jf"].nama}}
            )
        return {**data, "jenjang": jenjang}


class TimelineSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    action = serializers.CharField()
    message = serializers.CharField(source="keterangan")
    actor = serializers.CharField(
        source="pelaku", default=None, help_text="Siapa; bagi instansi pengguna, penilai tampil sebagai Tim Penilai."
    )
