from django.urls import path

from apps.ttd import views

app_name = "ttd"

urlpatterns = [
    path("ttd/", views.antrean, name="antrean"),
    path("ttd/tandatangani/", views.tandatangani, name="tandatangani"),
    path("ttd/batch/<uuid:pk>/", views.batch, name="batch"),
    path("ttd/versi/<int:pk>/paraf/", views.paraf, name="paraf"),
    path("ttd/versi/<int:pk>/unggah/", views.unggah, name="unggah"),
    path("ttd/alur/", views.alur_daftar, name="alur"),
    path("ttd/alur/<int:pk>/", views.alur_ubah, name="alur_ubah"),
    path("ttd/versi/<int:pk>/baca/", views.baca, name="baca"),
    path("ttd/pejabat/", views.pejabat_daftar, name="pejabat"),
    path("ttd/pejabat/baru/", views.pejabat_form, name="pejabat_baru"),
    path("ttd/pejabat/<int:pk>/", views.pejabat_form, name="pejabat_ubah"),
    path("ttd/pejabat/<int:pk>/aktif/", views.pejabat_aktif, name="pejabat_aktif"),
]
