from django.urls import path

from apps.core import sehat, views

app_name = "core"

urlpatterns = [
    # Health (apps/core/sehat.py): liveness, readiness; /sehat/ is readiness too (older probes).
    path("sehat/", sehat.siap, name="healthz"),
    path("sehat/hidup/", sehat.hidup, name="sehat_hidup"),
    path("sehat/siap/", sehat.siap, name="sehat_siap"),
    path("robots.txt", views.robots, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
]
