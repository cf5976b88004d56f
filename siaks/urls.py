from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "SIAKS — Administrasi Platform"
admin.site.site_title = "SIAKS"

urlpatterns = [
    path("", include("apps.core.urls")),
    path("akun/", include("apps.accounts.urls")),
    path("", include("apps.referensi.urls")),
    path("", include("apps.pengusulan.urls")),
    path("admin/", admin.site.urls),
]
