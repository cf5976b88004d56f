from django.urls import path

from apps.core import sehat, views

app_name = "core"

urlpatterns = [
    path("", views.index, name="index"),
    path("beranda/", views.beranda, name="beranda"),
    path("platform/instansi/", views.instansi_list, name="instansi_list"),
    path("audit/", views.audit_log, name="audit_log"),
    path("platform/outbox/", views.outbox_mati, name="outbox_mati"),
    path("platform/outbox/<uuid:pk>/ulangi/", views.outbox_ulangi, name="outbox_ulangi"),
    # Health (apps/core/sehat.py): liveness, readiness; /sehat/ is readiness too (older probes).
    path("sehat/", sehat.siap, name="healthz"),
    path("sehat/hidup/", sehat.hidup, name="sehat_hidup"),
    path("sehat/siap/", sehat.siap, name="sehat_siap"),
    path("robots.txt", views.robots, name="robots"),
]
