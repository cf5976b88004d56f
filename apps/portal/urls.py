from django.urls import path

from apps.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("beranda/", views.beranda, name="beranda"),
    path("platform/instansi/", views.instansi_list, name="instansi_list"),
    path("audit/", views.audit_log, name="audit_log"),
    path("platform/outbox/", views.outbox_mati, name="outbox_mati"),
    path("platform/outbox/<uuid:pk>/ulangi/", views.outbox_ulangi, name="outbox_ulangi"),
]
