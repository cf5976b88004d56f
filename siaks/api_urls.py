from django.urls import include, path
from rest_framework.routers import DefaultRouter

from apps.accounts.api import TokenSayaViewSet, TokenView
from apps.jabatan import api as jabatan
from apps.jabatan.api_saya import SayaView
from apps.notifikasi import api as notifikasi
from apps.penetapan import api as penetapan
from apps.pengusulan.api import views as pengusulan
from apps.rekap import api as rekap
from apps.surat import api as surat
from apps.ttd import api as ttd
from apps.verifikasi import api as verifikasi

app_name = "api"

router = DefaultRouter()
router.register("pegawai", pengusulan.PegawaiViewSet, basename="pegawai")
router.register("usulan", pengusulan.UsulanViewSet, basename="usulan")
router.register("dokumen", pengusulan.DokumenViewSet, basename="dokumen")
router.register("formasi", pengusulan.FormasiViewSet, basename="formasi")
router.register("pembina/usulan", verifikasi.InboxViewSet, basename="pembina-usulan")
router.register("pembina/tim", verifikasi.TimViewSet, basename="pembina-tim")
router.register("pembina/penugasan", verifikasi.PenugasanViewSet, basename="pembina-penugasan")
router.register("pembina/sidang", verifikasi.SidangViewSet, basename="pembina-sidang")
router.register("pembina/rekomendasi", surat.RekomendasiViewSet, basename="pembina-rekomendasi")
router.register("surat", surat.SuratViewSet, basename="surat")
router.register("ppk/sk", surat.SKViewSet, basename="ppk-sk")
router.register("verifikasi-surat", surat.VerifikasiViewSet, basename="verifikasi-surat")
router.register("notifikasi", notifikasi.NotifikasiViewSet, basename="notifikasi")
router.register("ttd/paraf", ttd.ParafViewSet, basename="ttd-paraf")
router.register("ttd/antrean", ttd.AntreanTtdViewSet, basename="ttd-antrean")
router.register("ttd/batch", ttd.BatchViewSet, basename="ttd-batch")
router.register("ttd/versi", ttd.VersiTtdViewSet, basename="ttd-versi")
router.register("ttd/publik", ttd.ValidasiPublikViewSet, basename="ttd-publik")
router.register("akun/token", TokenSayaViewSet, basename="token-saya")
router.register("penetapan/usulan", penetapan.UsulanPenetapanViewSet, basename="penetapan-usulan")
router.register("penetapan/sidang", penetapan.SidangAKViewSet, basename="penetapan-sidang")
router.register("penetapan/periode", penetapan.PeriodeViewSet, basename="penetapan-periode")
router.register("penetapan/tim", penetapan.TimAKViewSet, basename="penetapan-tim")
router.register("pejabat-fungsional", jabatan.PejabatViewSet, basename="pejabat-fungsional")

urlpatterns = [
    path("token/", TokenView.as_view(), name="token"),
    path("saya/", SayaView.as_view(), name="saya"),
    path("pembina/rekap/", rekap.RekapView.as_view(), name="pembina-rekap"),
    path("pembina/pejabat-fungsional/rekap/", jabatan.RekapPemegangView.as_view(), name="pembina-pejabat-rekap"),
    path("pembina/penetapan/rekap/", penetapan.RekapPenetapanView.as_view(), name="pembina-penetapan-rekap"),
    path("", include(router.urls)),
]
