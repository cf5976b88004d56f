"""pyHanko logs the expected failures of a validation (an untrusted or expired certificate, a
file changed after signing) as warnings with the full traceback, although the portal answers
them as a report with the reason (the public page, the PPK's upload). :class:`PenolakanPyhanko`
turns such a record into one structured line: pyHanko's message, the error's class in
``penolakan_validasi`` and its text on one line in ``alasan``, without the traceback. Any other
exception keeps its traceback (a fault to look into). Attached in ``LOGGING`` (siaks/settings/base.py)
to the pyHanko loggers that log these (a logger's filter sees only its own records, not its
children's)."""

from __future__ import annotations

import functools
import logging


@functools.cache
def _diharapkan() -> tuple[type[BaseException], ...]:
    from pyhanko.sign.diff_analysis.policy_api import SuspiciousModification
    from pyhanko_certvalidator import errors

    return (
        errors.ValidationError,  # expired, revoked, not yet valid, disallowed algorithm, invalid certificate
        errors.PathError,  # no path to a trusted root (PathBuildingError)
        errors.InvalidSignature,
        SuspiciousModification,  # changed after signing
    )


class PenolakanPyhanko(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and isinstance(exc, _diharapkan()):
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
            record.penolakan_validasi = type(exc).__name__
            record.alasan = " ".join(str(exc).split())[:500]
        return True
