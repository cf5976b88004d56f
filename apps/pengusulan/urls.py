from django.urls import path

from apps.pengusulan import views

app_name = "pengusulan"

urlpatterns = [
    path("pegawai/", views.pegawai_list, name="pegawai_list"),
    path("pegawai/<int:pk>/", views.pegawai_detail, name="pegawai_detail"),
]
