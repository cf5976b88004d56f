from tests.surat.conftest import diputuskan, ppk_pk  # noqa: F401
from tests.verifikasi.conftest import diajukan, kemnaker, pic_pk, pk, staf  # noqa: F401
from tests.verifikasi.test_penilaian import tim  # noqa: F401
