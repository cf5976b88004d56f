"""Checks every uploaded document passes before it is stored.

Extension allow-list *and* content: not empty, not over the size limit, a real PDF (``%PDF-``
header, parsed by pypdf), not encrypted, and free of JavaScript, OpenAction and Launch actions.
Works on the upload as Django spooled it (a temporary file above 1 MB), reading in chunks:
memory stays flat whatever the size."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.format import megabita

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
# Names whose presence anywhere in the document means active content.
FORBIDDEN_KEYS = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/Launch": "Launch",
    "/OpenAction": "OpenAction",
}
MAX_OBJECTS = 200_000
# Keys whose values are page content, images, fonts or metadata: large streams that hold no
# actions. Not following them keeps memory flat (pypdf reads a stream whole when it is resolved).
SKIP_KEYS = {
    "/Parent", "/P", "/Contents", "/Thumb", "/Metadata", "/FontFile", "/FontFile2", "/FontFile3",
    "/XObject", "/ColorSpace", "/Pattern", "/Shading", "/DestOutputProfile", "/PieceInfo",
}  # fmt: skip


@dataclass(frozen=True)
class CheckedFile:
    nama_asli: str
    ekstensi: str
    ukuran: int
    sha256: str
    jumlah_halaman: int | None


def nama_dasar(raw: str) -> str:
    """An uploaded file's base name: folder parts (``/`` or ``\\``, also percent-encoded, as in
    ``..%2F..%2Fx.pdf``) and control characters removed. "" when nothing is left."""
    raw = raw or ""
    decoded = unquote(raw)
    name = decoded if ("/" in decoded or "\\" in decoded) else raw
    name = "".join(c for c in name if c.isprintable())
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "" if base in {".", ".."} else base[:255]


def check_upload(upload, *, allowed_extensions: list[str], max_bytes: int) -> CheckedFile:
    """Validate an UploadedFile; raise ValidationError with a translated message naming the problem.

    A name with folder parts is reduced to its base name (the caller tells the user; the stored
    file's name is ours anyway), and refused when no name is left."""
    name = nama_dasar(upload.name)
    if not name:
        raise ValidationError(
            _("Nama berkas %(name)s tidak dapat dipakai. Ganti nama berkas lalu unggah lagi.")
            % {"name": repr(upload.name or "")},
            code="nama",
        )
    ext = PurePath(name).suffix.lower().lstrip(".")
    allowed = [e.lower() for e in allowed_extensions]
    if ext not in allowed:
        raise ValidationError(
            _("Jenis berkas .%(ext)s tidak diizinkan. Unggah berkas %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(e.upper() for e in allowed)},
            code="ekstensi",
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Berkas %(name)s kosong (0 byte).") % {"name": name}, code="kosong")
    if size > max_bytes:
        raise ValidationError(
            _("Berkas %(name)s berukuran %(size)s, melebihi batas %(max)s.")
            % {"name": name, "size": megabita(size), "max": megabita(max_bytes)},
            code="terlalu_besar",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    head = b""
    for chunk in upload.chunks(CHUNK):
        if len(head) < 8:
            head += chunk[: 8 - len(head)]
        digest.update(chunk)
    pages = None
    if ext == "pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError(
                _("Berkas %(name)s bukan PDF yang sah (isinya bukan dokumen PDF).") % {"name": name},
                code="bukan_pdf",
            )
        pages = _check_pdf(upload, name)
    upload.seek(0)
    return CheckedFile(nama_asli=name, ekstensi=ext, ukuran=size, sha256=digest.hexdigest(), jumlah_halaman=pages)


def _check_pdf(upload, name: str) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("Berkas %(name)s terenkripsi atau dilindungi kata sandi. Unggah versi tanpa kata sandi.")
                % {"name": name},
                code="terenkripsi",
            )
        pages = len(reader.pages)
        # Walk every object reachable from the trailer and look for active content.
        seen: set[tuple[int, int]] = set()
        stack = [reader.trailer]
        visited = 0
        while stack:
            obj = stack.pop()
            if isinstance(obj, IndirectObject):
                key = (obj.idnum, obj.generation)
                if key in seen:
                    continue
                seen.add(key)
                obj = obj.get_object()
            visited += 1
            if visited > MAX_OBJECTS:
                raise ValidationError(_("Berkas %(name)s terlalu rumit untuk diperiksa.") % {"name": name})
            if isinstance(obj, DictionaryObject):
                for key in obj:
                    if key in FORBIDDEN_KEYS or (key == "/S" and obj[key] in ("/JavaScript", "/Launch")):
                        what = FORBIDDEN_KEYS.get(key) or str(obj[key]).lstrip("/")
                        raise ValidationError(
                            _("Berkas %(name)s memuat %(what)s. Demi keamanan, cetak ulang sebagai PDF biasa "
                              "lalu unggah kembali.") % {"name": name, "what": what},
                            code="konten_aktif",
                        )  # fmt: skip
                stack.extend(v for k, v in obj.items() if k not in SKIP_KEYS)
            elif isinstance(obj, ArrayObject):
                stack.extend(obj)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        logger.info("unreadable pdf %s: %s", name, exc)
        raise ValidationError(
            _("Berkas %(name)s rusak atau tidak dapat dibaca sebagai PDF.") % {"name": name}, code="rusak"
        ) from None
    if pages == 0:
        raise ValidationError(_("Berkas %(name)s tidak memiliki halaman.") % {"name": name}, code="rusak")
    return pages


def serve(fieldfile, *, filename: str, content_type: str = "application/pdf", inline: bool = False):
    """The response that hands a stored file to a user who was allowed to see it.

    On S3 (production) the browser is redirected to a short-lived signed URL of the private
    object, with the download name and type set by the signature; on the filesystem the file is
    streamed. The caller has already checked permission and written the audit entry."""
    from urllib.parse import quote

    from django.http import FileResponse, HttpResponseRedirect

    if not fieldfile.name:  # removed by the retention schedule (apps/pengusulan/retensi.py)
        from django.http import Http404
        from django.utils.translation import gettext as _

        raise Http404(_("Berkas ini telah dihapus sesuai jadwal retensi data."))
    storage = fieldfile.storage
    disposition = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(filename)}"
    if getattr(storage, "querystring_auth", False) and hasattr(storage, "bucket_name"):
        url = storage.url(
            fieldfile.name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(fieldfile.open("rb"), as_attachment=not inline, filename=filename,
                                content_type=content_type)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
