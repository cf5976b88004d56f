from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from apps.pengusulan.api import views as pengusulan

app_name = "api"

router = DefaultRouter()
router.register("pegawai", pengusulan.PegawaiViewSet, basename="pegawai")
router.register("usulan", pengusulan.UsulanViewSet, basename="usulan")
router.register("dokumen", pengusulan.DokumenViewSet, basename="dokumen")
router.register("formasi", pengusulan.FormasiViewSet, basename="formasi")

urlpatterns = [
    path("token/", obtain_auth_token, name="token"),
    path("", include(router.urls)),
]
