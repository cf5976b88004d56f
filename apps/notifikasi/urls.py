from django.urls import path

from apps.notifikasi import views

app_name = "notifikasi"

urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("pengaturan/", views.pengaturan, name="pengaturan"),
    path("baca-semua/", views.baca_semua, name="baca_semua"),
    path("<int:pk>/", views.buka, name="buka"),
]
