"""REST API of the PIC journey: same services, permissions and tenant scoping as the pages."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts import permissions
from apps.core import audit, files
from apps.core.api import UPLOAD_THROTTLES, Capability, TenantScopedMixin
from apps.core.audit import client_ip
from apps.pengusulan import selectors, services
from apps.pengusulan.api import serializers as s
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Dokumen, Pegawai, Usulan
from apps.referensi.models import JabatanFungsional, PersyaratanDokumen


class PegawaiViewSet(
    TenantScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Pegawai of your instansi."""

    serializer_class = s.PegawaiSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(permissions.can_view_instansi_data)
    write_capability = staticmethod(permissions.can_manage_pegawai)
    http_method_names = ["get", "post", "patch", "head", "options"]
    schema_model = Pegawai

    def scoped_queryset(self):
        return selectors.pegawai_list(q=self.request.query_params.get("q", ""))

    @extend_schema(parameters=[OpenApiParameter("q", str, description="Cari NIP atau nama")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.pegawai_create(
            actor=self.request.user, data=dict(serializer.validated_data), ip_address=client_ip(self.request)
        )

    def perform_update(self, serializer):
        serializer.instance = services.pegawai_update(
            actor=self.request.user,
            pegawai=serializer.instance,
            data=dict(serializer.validated_data),
            ip_address=client_ip(self.request),
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[x.value for x in Status]),
            OpenApiParameter("jf", str, description="Kode JF"),
            OpenApiParameter("jenjang", str, description="Kode jenjang"),
            OpenApiParameter("q", str, description="Cari NIP, nama atau nomor usulan"),
        ]
    )
)
class UsulanViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Usulan of your instansi: create, submit (ajukan), withdraw (batalkan), documents."""

    serializer_class = s.UsulanSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(permissions.can_view_instansi_data)
    write_capability = staticmethod(permissions.can_submit_usulan)
    schema_model = Usulan

    def scoped_queryset(self):
        p = self.request.query_params
        st = p.get("status", "")
        return selectors.usulan_for_pic_list(
            status=st if st in {x.value for x in Status} else "",
            jf=p.get("jf", ""),
            jenjang=p.get("jenjang", ""),
            q=p.get("q", ""),
        ).select_related("ak_tabel_ref", "ak_dasar_ref")  # the AK breakdown's row states, in the same query

    @extend_schema(request=s.UsulanCreateSerializer, responses={201: s.UsulanSerializer})
    def create(self, request):
        data = s.UsulanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pegawai = get_object_or_404(selectors.pegawai_list(), pk=data.validated_data["pegawai"])
        usulan = services.usulan_create(
            actor=request.user, pegawai=pegawai, jf=data.validated_data["jf"], ip_address=client_ip(request)
        )
        return Response(self.get_serializer(usulan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AjukanSerializer, responses=s.UsulanSerializer)
    @action(detail=True, methods=["post"])
    def ajukan(self, request, pk=None):
        """Submit, with the PPK's surat pengantar (required for a draft), as the page does."""
        data = s.AjukanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        usulan = self.get_object()
        d = data.validated_data
        kwargs = services.pengantar_ajukan(usulan, nomor=d.get("pengantar_nomor"), tanggal=d.get("pengantar_tanggal"))
        usulan = services.usulan_ajukan(actor=request.user, usulan=usulan, ip_address=client_ip(request), **kwargs)
        return Response(self.get_serializer(usulan).data)

    @extend_schema(request=None, responses=s.UsulanSerializer)
    @action(detail=True, methods=["post"])
    def batalkan(self, request, pk=None):
        usulan = services.usulan_batalkan(actor=request.user, usulan=self.get_object(), ip_address=client_ip(request))
        return Response(self.get_serializer(usulan).data)

    # The three reads below answer a bare array (no pagination): pagination_class=None makes the
    # schema say so (it described a paginated object).
    @extend_schema(responses=s.EligibilitasSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def eligibilitas(self, request, pk=None):
        usulan = self.get_object()
        result = selectors.eligibilitas_usulan(usulan)
        data = [{"rule": o.rule, "status": o.status.value, "message": o.message, "source": o.source}
                for o in result.outcomes]  # fmt: skip
        return Response(s.EligibilitasSerializer(data, many=True).data)

    @extend_schema(responses=s.TimelineSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        entries = selectors.timeline(self.get_object(), pembaca=request.user)
        return Response(s.TimelineSerializer(entries, many=True).data)

    @extend_schema(methods=["get"], responses=s.DokumenSerializer(many=True))
    @extend_schema(methods=["post"], request=s.DokumenUploadSerializer, responses={201: s.DokumenSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        throttle_classes=UPLOAD_THROTTLES,
        pagination_class=None,
    )
    def dokumen(self, request, pk=None):
        """GET: every version of every document; POST (multipart): upload a new version."""
        usulan = self.get_object()
        if request.method == "GET":
            rows = (
                Dokumen.objects.filter(usulan=usulan)
                .select_related("persyaratan")
                .order_by("persyaratan__urutan", "-versi")
            )
            return Response(s.DokumenSerializer(rows, many=True, context={"request": request}).data)
        upload = s.DokumenUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        persyaratan = get_object_or_404(
            PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis),
            kode=upload.validated_data["persyaratan"],
        )
        dokumen = services.dokumen_upload(
            actor=request.user, jf=usulan.jf, persyaratan=persyaratan, upload=upload.validated_data["berkas"],
            usulan=usulan, ip_address=client_ip(request),
            nomor_surat=upload.validated_data.get("nomor_surat", ""),
            tanggal_surat=upload.validated_data.get("tanggal_surat"),
        )  # fmt: skip
        return Response(s.DokumenSerializer(dokumen, context={"request": request}).data, status=status.HTTP_201_CREATED)


class DokumenViewSet(TenantScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Stored document versions (yours, or of the JFs your pembina administers)."""

    serializer_class = s.DokumenSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(
        lambda u: permissions.can_view_instansi_data(u) or permissions.can_verify(u) or permissions.can_assess(u)
    )
    write_capability = staticmethod(lambda u: False)
    schema_model = Dokumen

    def scoped_queryset(self):
        return selectors.dokumen_untuk(self.request.user)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def unduh(self, request, pk=None):
        dokumen = self.get_object()
        audit.record_objek(
            "dokumen.diunduh",
            dokumen,
            actor=request.user,
            ip_address=client_ip(request),
            data={"sha256": dokumen.sha256, "api": True},
        )
        pdf = dokumen.ekstensi == "pdf"
        return files.serve(
            dokumen.berkas,
            filename=dokumen.nama_asli,
            content_type="application/pdf" if pdf else "application/octet-stream",
        )


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("jf", str, description="Kode JF", required=True)]))
class FormasiViewSet(TenantScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Approved formasi of your instansi per JF, with positions used and free. POST upserts a row."""

    serializer_class = s.FormasiSerializer
    permission_classes = [Capability]
    read_capability = staticmethod(permissions.can_view_instansi_data)
    write_capability = staticmethod(permissions.can_manage_pegawai)
    pagination_class = None

    def list(self, request):
        jf = JabatanFungsional.objects.filter(kode=request.query_params.get("jf", "")).first()
        if jf is None:
            raise Http404
        return Response(s.FormasiSerializer(selectors.formasi_overview(jf), many=True).data)

    @extend_schema(request=s.FormasiSerializer, responses={200: s.FormasiSerializer})
    def create(self, request):
        data = s.FormasiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        formasi = services.formasi_simpan(
            actor=request.user, jf=v["jf"], jenjang=v["jenjang"], unit_kerja=v.get("unit_kerja", ""),
            jumlah=v["jumlah"], ip_address=client_ip(request),
        )  # fmt: skip
        row = next(r for r in selectors.formasi_overview(v["jf"]) if r.pk == formasi.pk)
        return Response(s.FormasiSerializer(row).data)
