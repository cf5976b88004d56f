from django.urls import path

from apps.rekap import views

app_name = "rekap"

urlpatterns = [
    path("pembina/rekap/", views.nasional, name="nasional"),
    path("pembina/rekap/pdf/", views.ekspor_pdf, name="ekspor_pdf"),
    path("pembina/usulan/ekspor/", views.ekspor_inbox, name="ekspor_inbox"),
    path("usulan/ekspor/", views.ekspor_usulan, name="ekspor_usulan"),
    path("ekspor/", views.ekspor_daftar, name="ekspor_daftar"),
    path("ekspor/<int:pk>/unduh/", views.ekspor_unduh, name="ekspor_unduh"),
]
