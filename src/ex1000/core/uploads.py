"""Files from the outside world (payment proofs, trade documents): accepted only when
they decode as what they claim to be, and images re-encoded without their metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from .error_codes import CoreError
from .errors import AppError

MAX_PIXELS = 40_000_000
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _refuse(field: str, code: CoreError = CoreError.UNSUPPORTED_FILE, **params) -> AppError:
    return AppError(code, errors={field: [code]}, **params)


def _pdf(content: bytes, field: str) -> CheckedFile:
    """Read page by page, then written anew without the document information (author,
    title, software) and the XMP metadata stream: what the sender's machine put there
    stays behind, the pages do not change. A signed PDF is kept byte for byte."""
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if len(reader.pages) < 1:
            raise _refuse(field)
        form = reader.trailer["/Root"].get("/AcroForm")
        if form is not None and int(form.get_object().get("/SigFlags", 0)):
            # Digitally signed (a contract, a bank's statement): rewriting would void the
            # signature, so the bytes are kept as they are.
            return CheckedFile(content, "application/pdf")
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        for holder in (writer.root_object, *(page for page in writer.pages)):
            for key in ("/Metadata", "/PieceInfo"):
                if key in holder:
                    del holder[key]
        out = io.BytesIO()
        writer.write(out)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise _refuse(field) from exc
    return CheckedFile(out.getvalue(), "application/pdf")


def _image(content: bytes, field: str) -> CheckedFile:
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in ("JPEG", "PNG"):
                raise _refuse(field)
            if image.width * image.height > MAX_PIXELS:
                raise _refuse(field)
            image.load()  # a truncated or corrupt file fails here
            fmt = image.format
            clean = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            # Pillow writes back what ``info`` holds (a JPEG comment, XMP, ICC): drop it all.
            clean.info = {}
            out = io.BytesIO()
            # Saved without exif/icc/text chunks: GPS and camera data do not survive.
            clean.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse(field) from exc
    return CheckedFile(out.getvalue(), "image/jpeg" if fmt == "JPEG" else "image/png")


def checked_document(file, *, max_bytes: int, field: str = "file") -> CheckedFile:
    """A PDF, JPEG or PNG of at most ``max_bytes``, decoded to prove it is one."""
    if file is None:
        raise _refuse(field, CoreError.FILE_REQUIRED)
    if file.size > max_bytes:
        raise _refuse(field, CoreError.FILE_TOO_LARGE, mb=max_bytes // (1024 * 1024))
    file.seek(0)
    content = file.read()
    if content.startswith(b"%PDF-"):
        return _pdf(content, field)
    if content.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return _image(content, field)
    raise _refuse(field)
