from django.apps import AppConfig


class PenetapanConfig(AppConfig):
    name = "apps.penetapan"
    label = "penetapan"
    verbose_name = "Penetapan angka kredit"

    def ready(self) -> None:
        # Every version of a HAPAK — issued at the sidang or corrected from any page or the API —
        # starts its paraf chain with the team's Sekretariat Tim Penilai (seed 001 BAB IV E.4.b).
        from apps.penetapan.services import langkah_pengesahan_hapak
        from apps.surat.models import JenisSurat
        from apps.ttd.services import daftarkan_langkah_wajib

        daftarkan_langkah_wajib(JenisSurat.HAPAK, langkah_pengesahan_hapak)
