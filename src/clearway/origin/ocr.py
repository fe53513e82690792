"""OCR of scanned certificates: images (PNG, JPEG, TIFF) and image-only PDFs to lines of text with confidences.

The engine is Debian's ``tesseract-ocr`` (5.x) with the ``kor``, ``eng`` and ``chi_sim`` language packs, run
as a subprocess with TSV output (one row per word with its confidence). ``setup.sh`` installs it; the binary
can be named by ``CLEARWAY_TESSERACT``. Without it a scan raises :class:`OcrUnavailable` saying what to
install. A PDF without a text layer is read through the images embedded in its pages (what a scanner
writes), each page's largest image. Each line keeps the lowest confidence (0..1) of its words after its
label, so one badly read word lowers the field it belongs to.

Settings were chosen on other scans of the benchmark's forms (seeds 2-3 of ``benchmarks/origin/scan_set``)
than the reported ones (0-1): a 3-px median before Otsu's threshold read more fields right; leaving the
binarising to tesseract, ``--psm 6`` (three times the CPU) and ``--psm 4`` (more wrong values unflagged) did
not help; ``eng+kor`` without ``chi_sim`` read the same fields with a third less CPU but could not read a
Chinese issuer's text.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageChops, ImageFilter, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from clearway.origin.errors import CertificateUnreadable, OcrUnavailable

LANGUAGES = ("eng", "kor", "chi_sim")
TIMEOUT_SECONDS = 180
TARGET_DPI = 300
MAX_PAGES = 6
RIGHT_HALF = 0.42  # a line starting this far across the page is in a right-hand box
INSTALL_HINT = (
    "install Debian's tesseract-ocr with its language packs (apt-get install tesseract-ocr tesseract-ocr-kor "
    "tesseract-ocr-eng tesseract-ocr-chi-sim; setup.sh does it), or upload the issuer's PDF with a text layer, "
    "or register the certificate's fields as JSON"
)
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float


def is_image(data: bytes, filename: str = "") -> bool:
    return data[:4].startswith(IMAGE_MAGIC) or filename.lower().endswith(
        (".png", ".jpg", ".jpeg", ".tif", ".tiff")
    )


def tesseract() -> str | None:
    return shutil.which(os.environ.get("CLEARWAY_TESSERACT", "tesseract"))


@lru_cache(maxsize=4)
def _languages(binary: str) -> tuple[str, ...]:
    try:
        out = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except OSError:
        return ()
    installed = {line.strip() for line in out.splitlines()[1:]}
    return tuple(lang for lang in LANGUAGES if lang in installed)


def engine(filename: str) -> tuple[str, str]:
    """The tesseract binary and the ``-l`` argument, or :class:`OcrUnavailable` naming what is missing."""
    binary = tesseract()
    what = f"'{filename}' is a scan" if filename else "the document is a scan"
    if binary is None:
        raise OcrUnavailable(f"{what}, and reading it needs OCR: {INSTALL_HINT}", file=filename or None)
    languages = _languages(binary)
    missing = [lang for lang in LANGUAGES if lang not in languages]
    if missing:
        raise OcrUnavailable(
            f"{what}, and the OCR language pack(s) {', '.join(missing)} are not installed: {INSTALL_HINT}",
            file=filename or None,
        )
    return binary, "+".join(languages)


def page_images(data: bytes, filename: str = "") -> list[Image.Image]:
    """The page images of a scan: every frame of an image file, or each PDF page's largest embedded image."""
    name = f"'{filename}'" if filename else "the document"
    if data.lstrip()[:5] == b"%PDF-":
        try:
            reader = PdfReader(io.BytesIO(data))
            images: list[Image.Image] = []
            for page in reader.pages[:MAX_PAGES]:
                found = [img.image for img in page.images if img.image is not None]
                if found:
                    images.append(max(found, key=lambda im: im.width * im.height))
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise CertificateUnreadable(
                f"{name}: the page images of the PDF cannot be read ({exc})"
            ) from None
        if not images:
            raise CertificateUnreadable(
                f"{name}: no text layer and no scanned page image in the PDF",
                file=filename or None,
            )
        return images
    try:
        image = Image.open(io.BytesIO(data))
        frames = []
        for index in range(min(getattr(image, "n_frames", 1), MAX_PAGES)):
            image.seek(index)
            frames.append(image.copy())
        for frame in frames:
            frame.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise CertificateUnreadable(
            f"{name} is not a readable PNG, JPEG or TIFF image ({exc.__class__.__name__})",
            file=filename or None,
        ) from None
    return frames


def _prepare(image: Image.Image) -> tuple[bytes, int]:
    """Greyscale (a coloured stamp faded out), deskewed, scaled up to about 300 dpi (tesseract reads small
    print badly), despeckled and binarised, as PNG bytes."""
    dpi_info = image.info.get("dpi")
    dpi = round(float(dpi_info[0])) if dpi_info and dpi_info[0] else 0
    if not dpi:  # no resolution recorded: guess it from an A4 page's width
        dpi = max(72, round(image.width / 8.27))
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGB", "RGBA", "P", "CMYK"):
        # the lightest channel: black print stays black, a red or blue stamp over it fades to light grey
        r, g, b = image.convert("RGB").split()
        grey = ImageChops.lighter(ImageChops.lighter(r, g), b)
    else:
        grey = image.convert("L")
    grey = deskew(grey)
    if dpi < TARGET_DPI * 0.8:
        factor = TARGET_DPI / dpi
        grey = grey.resize(
            (round(grey.width * factor), round(grey.height * factor)), Image.Resampling.LANCZOS
        )
        dpi = TARGET_DPI
    # a 3-pixel median takes out dust and toner specks (read as stray marks that drag a line's confidence
    # down) and leaves strokes at 300 dpi whole
    grey = binarise(grey.filter(ImageFilter.MedianFilter(3)))
    out = io.BytesIO()
    grey.save(out, format="PNG")
    return out.getvalue(), dpi


def skew_angle(grey: Image.Image) -> float:
    """The rotation (degrees, within ±5) that makes the page's text rows horizontal: the angle at which the
    row sums of ink vary most (a projection profile), searched on a reduced copy."""
    small = grey.copy()
    small.thumbnail((800, 800))
    ink = (np.asarray(small, dtype=np.float32) < 128).astype(np.uint8) * 255
    mask = Image.fromarray(ink)
    best, best_score = 0.0, -1.0
    for step in range(-20, 21):
        angle = step * 0.25
        rows = np.asarray(mask.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        score = float(np.var(np.diff(rows)))
        if score > best_score:
            best, best_score = angle, score
    return best


def binarise(grey: Image.Image) -> Image.Image:
    """Black print on white by Otsu's threshold (blur and JPEG noise otherwise read as stray strokes)."""
    pixels = np.asarray(grey, dtype=np.uint8)
    if int(pixels.min()) == int(pixels.max()):  # a blank page: nothing to separate
        return grey
    counts = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(counts)
    mass = np.cumsum(counts * levels)
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight - mass * total) ** 2 / (weight * (total - weight))
    threshold = int(np.argmax(np.nan_to_num(between[:-1], nan=-1.0)))
    return Image.fromarray(np.where(pixels > threshold, 255, 0).astype(np.uint8))


def deskew(grey: Image.Image) -> Image.Image:
    angle = skew_angle(grey)
    if abs(angle) < 0.2:
        return grey
    return grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def parse_tsv(tsv: str) -> list[OcrLine]:
    """Tesseract's TSV (one row per word) as lines in reading order, each with its lowest word confidence.

    Side-by-side boxes of a form are often read as one line ("Exporter:  Invoice No.: ..."): a line is cut
    where the gap between two words is wider than three text heights, and within a block the right-hand
    pieces are read after the left-hand ones, as the boxes are."""
    lines: dict[tuple[str, str, str, str], list[tuple[str, float, int, int, int]]] = {}
    page_width = 0
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) >= 9 and cols[0] == "1" and cols[8].isdigit():
            page_width = int(cols[8])
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text or _NOISE.fullmatch(text):  # box rules and specks read as "|", "—", "ㆍ"...
            continue
        try:
            conf, left, width, height = float(cols[10]), int(cols[6]), int(cols[8]), int(cols[9])
        except ValueError:
            continue
        lines.setdefault((cols[1], cols[2], cols[3], cols[4]), []).append(
            (text, max(conf, 0.0) / 100, left, left + width, height)
        )
    blocks: dict[tuple[str, str], list[tuple[int, list[tuple[str, float, int, int, int]]]]] = {}
    for order, (key, words) in enumerate(lines.items()):
        heights = sorted(w[4] for w in words)
        height = heights[len(heights) // 2]
        piece = [words[0]]
        for word in words[1:]:
            # a wide gap, or a narrower one after a label's colon, parts two boxes read as one line
            if word[2] - piece[-1][3] > (1.5 if piece[-1][0].endswith(":") else 2) * height:
                blocks.setdefault(key[:2], []).append((order, piece))
                piece = []
            piece.append(word)
        blocks.setdefault(key[:2], []).append((order, piece))
    placed: list[tuple[int, OcrLine]] = []
    for pieces in blocks.values():
        lefts = [p[0][2] for _, p in pieces]
        cuts = [p[0][2] for (o, p), (o2, _) in zip(pieces[1:], pieces, strict=False) if o == o2]
        split = min(cuts) if cuts else max(lefts) + 1
        ordered = sorted(pieces, key=lambda op: (op[1][0][2] >= split, op[0]))
        placed.extend(
            (p[0][2], OcrLine(tidy(_join([(w[0], w[1]) for w in p])), _value_confidence(p)))
            for _, p in ordered
        )
    return columns([(left, line) for left, line in placed if line.text], page_width)


_BOX_START = re.compile(r"^(?:\d{1,2}\.\s*\D|[^:]{1,60}:)")


def columns(lines: list[tuple[int, OcrLine]], page_width: int) -> list[OcrLine]:
    """Lines (with their left edge) in the order the form's boxes are read: a line in the right half of
    the page (a box beside another, such as "Certificate No." beside "1. Exporter") is held back until the
    left-hand box is done, that is until the next left-hand line that starts a box ("2. Producer...",
    "Consignee:"), so a label's value is not cut off by its neighbour's text read in between."""
    if page_width <= 0:
        return [line for _, line in lines]
    out: list[OcrLine] = []
    held: list[OcrLine] = []
    for left, line in lines:
        if left >= RIGHT_HALF * page_width:
            held.append(line)
            continue
        if held and _BOX_START.match(line.text):
            out.extend(held)
            held = []
        out.append(line)
    return out + held


def _value_confidence(words: list[tuple[str, float, int, int, int]]) -> float:
    """The lowest confidence of the line's words after its label ("Certificate No.: X" counts X only: how
    well the label was read says nothing of the value, and a misread label is not matched at all)."""
    colon = next((i for i, w in enumerate(words[:8]) if w[0].endswith(":")), None)
    value = words[colon + 1 :] if colon is not None and colon + 1 < len(words) else words
    return round(min(w[1] for w in value), 3)


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\uff1a": ":"})
_LEAD = re.compile(r"^[\s'\"`.,:;_~|!*«»-]+")
_BOX_NUMBER = re.compile(r"^(\d{1,2})[,:;]\s*(?=[A-Za-z])")
_SPACED_APOSTROPHE = re.compile(r"(?<=[A-Za-z])' s\b")
_SPACED_NUMBER = re.compile(r"(?<=\d)(?:(\.) (?=\d\d\b)|(,) (?=\d{3}\b))")
_NUMBER_SIGN = re.compile(r"\b(Invoice|Reference|Certificate) N[oG0][.!,]?(?=:|\s)", re.I)


def tidy(text: str) -> str:
    """A line as the form printed it, undoing what print noise does to it: curly quotes made straight, stray
    marks before the first word dropped ("`Exporter:", ".Consignee:"), a box number's full stop read as a
    comma ("1, Exporter"), a split apostrophe ("Importer' s") and a misread "No." after "Invoice",
    "Reference" or "Certificate" ("Reference NG.:") mended, so labels are recognised; and a space read
    into a number after its full stop or thousands comma ("8413. 60", "3, 600") taken out."""
    text = _LEAD.sub("", text.translate(_QUOTES))
    text = _BOX_NUMBER.sub(r"\1. ", text)
    text = _SPACED_NUMBER.sub(lambda m: m.group(1) or m.group(2), text)  # "8413. 60", "3, 600"
    text = _SPACED_APOSTROPHE.sub("'s", text).replace("Co,,", "Co.,")
    text = _join_syllables(text)
    return _NUMBER_SIGN.sub(r"\1 No.", text)


_HANGUL = re.compile(r"[\uac00-\ud7a3]+")


def _join_syllables(text: str) -> str:
    """Hangul read with a space after each syllable joined back: a run of two or more lone syllables is one
    word, run into the Hangul word after it ("한 빛 무역" -> "한빛무역", "서 울 특별시" -> "서울특별시")."""
    out: list[str] = []
    run: list[str] = []
    for word in [*text.split(" "), ""]:
        if len(word) == 1 and _HANGUL.fullmatch(word):
            run.append(word)
            continue
        if len(run) >= 2:
            joined = "".join(run)
            if _HANGUL.match(word):
                out.append(joined + word)
                run = []
                continue
            out.append(joined)
        else:
            out.extend(run)
        run = []
        out.append(word)
    return " ".join(out[:-1])


def _join(words: list[tuple[str, float]]) -> str:
    """The line's words; a code split after a hyphen or slash ("2026-" "10-" "30") is joined back."""
    out = ""
    for text, _ in words:
        out += (
            text
            if not out or (out[-1] in "-/" and out[-2:-1].isalnum() and text[:1].isalnum())
            else " " + text
        )
    return out


_NOISE = re.compile(r"[^\w]{1,3}|[|lIㆍ]")


def read_images(images: list[Image.Image], filename: str = "") -> list[OcrLine]:
    binary, languages = engine(filename)
    lines: list[OcrLine] = []
    for number, image in enumerate(images, start=1):
        png, dpi = _prepare(image)
        try:
            done = subprocess.run(
                [binary, "stdin", "stdout", "-l", languages, "--psm", "3", "--dpi", str(dpi), "tsv"],
                input=png,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise CertificateUnreadable(
                f"OCR of page {number} of '{filename}' took longer than {TIMEOUT_SECONDS} s",
                file=filename or None,
            ) from None
        except OSError as exc:
            raise OcrUnavailable(f"the OCR engine could not be started ({exc}): {INSTALL_HINT}") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise CertificateUnreadable(
                f"OCR failed on page {number} of '{filename}': {message[0]}", file=filename or None
            )
        lines.extend(parse_tsv(done.stdout.decode("utf-8", "replace")))
    return lines
