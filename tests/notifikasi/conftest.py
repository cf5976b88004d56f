from tests.surat.conftest import diputuskan, ppk_pk  # noqa: F401
from tests.verifikasi.conftest import (  # noqa: F401
    diajukan,
    kemnaker,
    pic_pk,
    pk,
    staf,
    tim,
)
