"""Files a filer sends in reply to a document request: checked by what they are (magic bytes), not by what
they are called, and kept by their digest under the runtime home. The check is pure; :func:`store` writes.

Accepted: PDF, PNG, JPEG and TIFF, each at most :data:`MAX_BYTES`, at most :data:`MAX_FILES` per reply. There is
no virus scanner in the embedded installation; the type check refuses executables, archives and office files
with macros, which is where malware travels in trade documents.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from clearway.errors import FieldError

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    content: bytes


@dataclass(frozen=True, slots=True)
class CheckedFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    content: bytes


def content_type_of(content: bytes) -> str | None:
    return next((kind for magic, kind in MAGIC if content.startswith(magic)), None)


def clean_name(filename: str) -> str:
    """The file's own name (no folders), without control characters, at most 200 characters."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return (name or "document")[-200:]


def check(uploads: list[Upload]) -> tuple[list[CheckedFile], list[FieldError]]:
    errors: list[FieldError] = []
    if len(uploads) > MAX_FILES:
        errors.append(FieldError("/files", "too_many", f"at most {MAX_FILES} files"))
    out = []
    for i, upload in enumerate(uploads):
        pointer = f"/files/{i}"
        kind = content_type_of(upload.content)
        if not upload.content:
            errors.append(FieldError(pointer, "empty", f"{clean_name(upload.filename)} is empty"))
        elif len(upload.content) > MAX_BYTES:
            errors.append(
                FieldError(
                    pointer,
                    "too_large",
                    f"{clean_name(upload.filename)} is over {MAX_BYTES // (1024 * 1024)} MB",
                )
            )
        elif kind is None:
            errors.append(
                FieldError(
                    pointer,
                    "unsupported_type",
                    f"{clean_name(upload.filename)} is not a PDF, PNG, JPEG or TIFF file",
                )
            )
        else:
            out.append(
                CheckedFile(
                    clean_name(upload.filename),
                    kind,
                    len(upload.content),
                    hashlib.sha256(upload.content).hexdigest(),
                    upload.content,
                )
            )
    return out, errors


def path_of(root: Path, sha256: str) -> Path:
    return root / "attachments" / sha256[:2] / sha256


def store(root: Path, checked: CheckedFile) -> Path:
    """Write the file under its digest (the same content is stored once; a rolled-back reply leaves only an
    unreferenced file)."""
    target = path_of(root, checked.sha256)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(checked.content)
        tmp.replace(target)
    return target
