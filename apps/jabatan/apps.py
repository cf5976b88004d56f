from django.apps import AppConfig


class JabatanConfig(AppConfig):
    name = "apps.jabatan"
    label = "jabatan"
    verbose_name = "Jabatan fungsional dan angka kredit"

    def ready(self) -> None:
        from apps.jabatan import efek  # noqa: F401 - registers the "SK terbit" effect of the workflow
