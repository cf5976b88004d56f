"""REST API of the pembina journey: the same services, scoping and rules as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from apps.accounts.models import STAF_PEMBINA, Membership, Role, User
from apps.accounts.permissions import has_role
from apps.core.api import Capability, TenantScopedMixin
from apps.core.audit import client_ip
from apps.pengusulan.alur import UsulanError
from apps.pengusulan.api.serializers import EligibilitasSerializer
from apps.pengusulan.models import Usulan
from apps.referensi.models import Golongan, JabatanFungsional
from apps.verifikasi import selectors, services
from apps.verifikasi.models import AnggotaTim, PenugasanPenilai, Sidang, TimPenilai


def _staf(user):
    return has_role(user, *STAF_PEMBINA)


def _penilai(user):
    return has_role(user, Role.PENILAI, Role.KETUA_TIM)


class InboxCursor(CursorPagination):
    """Keyset pagination on (diajukan_at, id): every page costs the same."""

    ordering = ("diajukan_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class InboxUsulanSerializer(serializers.ModelSerializer):
    jf = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    jenjang = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    instansi = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    verifikator = serializers.CharField(source="verifikator.username", default=None, read_only=True, allow_null=True)
    eligibilitas = EligibilitasSerializer(many=True, read_only=True)
    sk_koreksi_menunggu_ttd = serializers.BooleanField(
        read_only=True,
        help_text=_lazy("SK yang berlaku adalah versi koreksi yang belum ditandatangani; status tetap sk_terbit."),
    )

    class Meta:
        model = Usulan
        fields = [
            "id",
            "nomor",
            "pegawai_nip",
            "pegawai_nama",
            "instansi",
            "jf",
            "jenjang",
            "status",
            "sk_koreksi_menunggu_ttd",
            "diajukan_at",
            "verifikator",
            "tenggat_perbaikan",
            "ak_awal",
            "data_pegawai",
            "eligibilitas",
        ]
        read_only_fields = fields


class HasilDokumenSerializer(serializers.Serializer):
    persyaratan = serializers.IntegerField()
    sesuai = serializers.BooleanField()
    catatan = serializers.CharField(required=False, allow_blank=True, default="")


class PemeriksaanSerializer(serializers.Serializer):
    hasil = HasilDokumenSerializer(many=True, required=False, default=list)
    keputusan = serializers.ChoiceField(
        choices=["", "memenuhi", "perbaikan", "tidak_memenuhi"], required=False, default=""
    )
    catatan = serializers.CharField(required=False, allow_blank=True, default="")
    tenggat = serializers.DateField(required=False, allow_null=True, default=None)
    peringatan = serializers.DictField(child=serializers.DictField(), required=False, default=dict)


class TugaskanSerializer(serializers.Serializer):
    usulan = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    verifikator = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[s.value for s in selectors.INBOX_STATUSES]),
            OpenApiParameter("jf", str),
            OpenApiParameter("instansi", str),
            OpenApiParameter("jenjang", str),
            OpenApiParameter("q", str, description="NIP atau nama"),
            OpenApiParameter("terlambat", bool),
        ]
    )
)
class InboxViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Submitted usulan of the JFs your pembina administers, across all instansi."""

    serializer_class = InboxUsulanSerializer
    pagination_class = InboxCursor
    permission_classes = [Capability]
    read_capability = staticmethod(_staf)
    write_capability = staticmethod(lambda u: has_role(u, Role.VERIFIKATOR, Role.ADMIN_PEMBINA))
    schema_model = Usulan

    def scoped_queryset(self):
        """The inbox selector's filters (the page's, the export's and this API's are one)."""
        from apps.surat.selectors import dengan_koreksi_sk

        p = self.request.query_params
        return dengan_koreksi_sk(
            selectors.inbox_queryset(
                jf=p.get("jf", ""),
                instansi=p.get("instansi", ""),
                jenjang=p.get("jenjang", ""),
                status=p.get("status", ""),
                terlambat=p.get("terlambat") in ("1", "true"),
                q=p.get("q", ""),
            )
        )

    @extend_schema(request=None, responses=InboxUsulanSerializer)
    @action(detail=True, methods=["post"])
    def mulai(self, request, pk=None):
        """Claim the dossier and open a review round (diajukan → verifikasi)."""
        usulan = self.get_object()
        services.pemeriksaan_mulai(actor=request.user, usulan=usulan, ip_address=client_ip(request))
        return Response(self.get_serializer(self.get_queryset().get(pk=usulan.pk)).data)

    @extend_schema(request=PemeriksaanSerializer, responses=InboxUsulanSerializer)
    @action(detail=True, methods=["post"])
    def pemeriksaan(self, request, pk=None):
        """Record per-document findings and, optionally, the decision."""
        usulan = self.get_object()
        data = PemeriksaanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["hasil"] or v["keputusan"]:
            try:
                services.pemeriksaan_simpan(
                    actor=request.user,
                    usulan=usulan,
                    hasil={h["persyaratan"]: (h["sesuai"], h["catatan"]) for h in v["hasil"]},
                    keputusan=v["keputusan"],
                    catatan=v["catatan"],
                    tenggat=v["tenggat"],
                    peringatan=v["peringatan"],
                    ip_address=client_ip(request),
                )
            except UsulanError as exc:
                # Every reason at once; the page's field names (catatan_<pk>) mean nothing here.
                raise UsulanError(exc.messages) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=usulan.pk)).data)

    @extend_schema(request=TugaskanSerializer, responses={200: None})
    @action(detail=False, methods=["post"])
    def tugaskan(self, request):
        """Assign dossiers in bulk to a verifier (admin pembina)."""
        data = TugaskanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = Membership.objects.filter(
            instansi=request.user.instansi, role__in=[Role.VERIFIKATOR, Role.ADMIN_PEMBINA], is_active=True
        ).values("user_id")
        verifikator = get_object_or_404(User.objects.filter(pk__in=ids), pk=data.validated_data["verifikator"])
        owned = list(self.get_queryset().filter(pk__in=data.validated_data["usulan"]).values_list("pk", flat=True))
        n = services.usulan_tugaskan_verifikator(actor=request.user, usulan_ids=owned, verifikator=verifikator)
        return Response({"ditugaskan": n})


class AnggotaSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    peran = serializers.ChoiceField(choices=AnggotaTim.Peran.choices)
    bersertifikat = serializers.BooleanField(default=False)
    golongan = serializers.SlugRelatedField(
        slug_field="kode", queryset=Golongan.objects.all(), required=False, allow_null=True,
        help_text=_lazy(
            "Pangkat/golongan anggota, mis. IV/a: paling rendah sama dengan pangkat pegawai yang dinilai (Rancangan "
            "Perkalan LAN tentang Tata Kerja Tim Penilai JFAK, Bab II C angka 2; belum terverifikasi)."
        ),
    )  # fmt: skip


class TimSerializer(serializers.ModelSerializer):
    jf = serializers.SlugRelatedField(slug_field="kode", queryset=JabatanFungsional.objects.all())
    anggota = AnggotaSerializer(many=True, write_only=True)
    susunan = serializers.SerializerMethodField()

    class Meta:
        model = TimPenilai
        fields = ["id", "jf", "nama", "periode_mulai", "periode_selesai", "anggota", "susunan"]

    def get_susunan(self, tim) -> list[dict]:
        return [
            {
                "user": a.user_id,
                "nama": str(a.user),
                "peran": a.peran,
                "bersertifikat": a.bersertifikat,
                "golongan": a.golongan.kode if a.golongan_id else None,
            }
            for a in tim.anggota.all()
        ]


class PenugasanTimSerializer(serializers.Serializer):
    usulan = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    penilai = serializers.ListField(child=serializers.IntegerField(), min_length=1)


class BukaSidangSerializer(serializers.Serializer):
    usulan = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    tanggal = serializers.DateField()
    tempat = serializers.CharField(
        max_length=150,
        error_messages={"required": _lazy("Isi tempat sidang; berita acara mencantumkannya."),
                        "blank": _lazy("Isi tempat sidang; berita acara mencantumkannya.")},
    )  # fmt: skip


class TimViewSet(
    TenantScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Tim Penilai of your JFs. Forming one enforces the membership rules of the Rancangan Perkalan LAN
    tentang Tata Kerja Tim Penilai JFAK, Bab II B-D (a draft, belum terverifikasi): an odd number of
    members, the ketua and sekretaris among them, at least 2 holding a bimtek certificate, a 3-year term."""

    serializer_class = TimSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(lambda u: _staf(u) or _penilai(u))
    write_capability = staticmethod(lambda u: has_role(u, Role.ADMIN_PEMBINA, Role.KETUA_TIM))
    schema_model = TimPenilai

    def scoped_queryset(self):
        return TimPenilai.objects.prefetch_related("anggota__user", "anggota__golongan")

    def create(self, request):
        data = TimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        # Only users the caller may see (the own instansi's accounts): any other id is "not
        # found" — never a name (the validation messages below name the members).
        ids = [a["user"] for a in v["anggota"]]
        visible = User.objects.filter(
            pk__in=ids, memberships__instansi=request.user.instansi, memberships__is_active=True
        ).distinct()
        users = {u.pk: u for u in visible}
        missing = [i for i in dict.fromkeys(ids) if i not in users]
        if missing:
            raise serializers.ValidationError(
                {"anggota": [_("Pengguna dengan ID %(id)s tidak ditemukan.") % {"id": i} for i in missing]}
            )
        anggota = [(users[a["user"]], a["peran"], a["bersertifikat"], a.get("golongan")) for a in v["anggota"]]
        tim = services.tim_bentuk(
            actor=request.user,
            jf=v["jf"],
            nama=v["nama"],
            mulai=v["periode_mulai"],
            selesai=v["periode_selesai"],
            anggota=anggota,
            ip_address=client_ip(request),
        )
        return Response(TimSerializer(tim).data, status=201)

    @extend_schema(request=PenugasanTimSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def tugaskan(self, request, pk=None):
        tim = self.get_object()
        data = PenugasanTimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        usulan = list(selectors.usulan_pembina().filter(pk__in=data.validated_data["usulan"]))
        penilai = list(
            User.objects.filter(pk__in=tim.anggota.filter(user_id__in=data.validated_data["penilai"]).values("user_id"))
        )
        n = services.penilai_tugaskan(
            actor=request.user, usulan_list=usulan, tim=tim, penilai=penilai, ip_address=client_ip(request)
        )
        return Response({"ditugaskan": n})

    @extend_schema(request=BukaSidangSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def sidang(self, request, pk=None):
        tim = self.get_object()
        data = BukaSidangSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        usulan = list(selectors.usulan_pembina().filter(pk__in=data.validated_data["usulan"]))
        sidang = services.sidang_buka(
            actor=request.user,
            tim=tim,
            usulan_list=usulan,
            tanggal=data.validated_data["tanggal"],
            tempat=data.validated_data["tempat"],
        )
        return Response({"sidang": sidang.pk}, status=201)


class NilaiItemSerializer(serializers.Serializer):
    kompetensi = serializers.IntegerField()
    level = serializers.IntegerField(min_value=1, max_value=5)
    bukti = serializers.CharField(required=False, allow_blank=True, default="")


class NilaiSerializer(serializers.Serializer):
    nilai = NilaiItemSerializer(many=True, required=False, default=list)
    rekomendasi = serializers.ChoiceField(
        choices=PenugasanPenilai.Rekomendasi.choices, required=False, allow_blank=True, default=""
    )
    catatan = serializers.CharField(required=False, allow_blank=True, default="")
    kirim = serializers.BooleanField(default=False)


class PenugasanSerializer(serializers.ModelSerializer):
    usulan = InboxUsulanSerializer(read_only=True)
    nilai = serializers.SerializerMethodField()

    class Meta:
        model = PenugasanPenilai
        fields = ["id", "usulan", "tim", "bebas_konflik_at", "rekomendasi", "catatan", "selesai_at", "nilai"]
        read_only_fields = fields

    def get_nilai(self, obj) -> list[dict]:
        return [
            {"kompetensi": n.kompetensi_id, "level": n.level_dicapai, "bukti": n.catatan_bukti} for n in obj.nilai.all()
        ]


class PenugasanViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your assignments as penilai; the dossier is shown after you declare no conflict of interest."""

    serializer_class = PenugasanSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(_penilai)
    write_capability = staticmethod(_penilai)
    schema_model = PenugasanPenilai

    def scoped_queryset(self):
        return selectors.penugasan_saya(self.request.user).prefetch_related("nilai").order_by("id")

    @extend_schema(request=None, responses=PenugasanSerializer)
    @action(detail=True, methods=["post"], url_path="bebas-konflik")
    def bebas_konflik(self, request, pk=None):
        penugasan = services.penugasan_bebas_konflik(
            actor=request.user, penugasan=self.get_object(), ip_address=client_ip(request)
        )
        return Response(self.get_serializer(penugasan).data)

    @extend_schema(request=NilaiSerializer, responses=PenugasanSerializer)
    @action(detail=True, methods=["post"])
    def nilai(self, request, pk=None):
        data = NilaiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        penugasan = services.nilai_simpan(
            actor=request.user,
            penugasan=self.get_object(),
            nilai={n["kompetensi"]: (n["level"], n["bukti"]) for n in v["nilai"]},
            rekomendasi=v["rekomendasi"],
            catatan=v["catatan"],
            selesai=v["kirim"],
            ip_address=client_ip(request),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=penugasan.pk)).data)


class KeputusanItemSerializer(serializers.Serializer):
    usulan = serializers.IntegerField()
    hasil = serializers.ChoiceField(choices=["lulus", "tidak_lulus"])
    alasan = serializers.CharField(required=False, allow_blank=True, default="")


class PutusanSerializer(serializers.Serializer):
    hadir = serializers.ListField(child=serializers.IntegerField(), help_text="ID pengguna anggota yang hadir")
    keputusan = KeputusanItemSerializer(many=True, required=False, default=list)


class SidangSerializer(serializers.ModelSerializer):
    berita_acara = serializers.SerializerMethodField()
    usulan = serializers.SerializerMethodField()

    class Meta:
        model = Sidang
        fields = ["id", "tim", "tanggal", "tempat", "status", "usulan", "berita_acara"]
        read_only_fields = fields

    def get_usulan(self, obj) -> list[dict]:
        return [{"usulan": r.usulan_id, "keputusan": r.keputusan, "alasan": r.alasan} for r in obj.usulan.all()]

    def get_berita_acara(self, obj) -> dict | None:
        berita = getattr(obj, "berita_acara", None) if obj.status == Sidang.Status.SELESAI else None
        return berita.isi if berita else None


class SidangViewSet(TenantScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A sidang: attendance and decisions (ketua), and the berita acara once decided."""

    serializer_class = SidangSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(lambda u: _staf(u) or _penilai(u))
    write_capability = staticmethod(lambda u: has_role(u, Role.KETUA_TIM))
    schema_model = Sidang

    def scoped_queryset(self):
        return Sidang.objects.select_related("tim")

    @extend_schema(request=PutusanSerializer, responses=SidangSerializer)
    @action(detail=True, methods=["post"])
    def putuskan(self, request, pk=None):
        sidang = self.get_object()
        data = PutusanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hadir = list(sidang.tim.anggota.filter(user_id__in=data.validated_data["hadir"]))
        services.sidang_catat_kehadiran(actor=request.user, sidang=sidang, hadir=hadir)
        if data.validated_data["keputusan"]:
            services.sidang_putuskan(
                actor=request.user,
                sidang=sidang,
                ip_address=client_ip(request),
                keputusan={k["usulan"]: (k["hasil"], k["alasan"]) for k in data.validated_data["keputusan"]},
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=sidang.pk)).data)
