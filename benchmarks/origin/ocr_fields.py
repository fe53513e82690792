"""Field accuracy of reading scanned certificates of origin (OCR, then the same field reader as text PDFs).

The noisy set is :mod:`benchmarks.origin.scan_set` (Clearway's own certificate records for each form,
printed and "scanned" with rotation, blur, a stamp, 150 dpi and JPEG artefacts; deterministic). Each scan goes
through the product's path for an upload (:func:`clearway.origin.reading.read_document`, tesseract) or, with
``--engine rapidocr``, through RapidOCR (rapidocr-onnxruntime, if installed; not a Clearway dependency) and
then the same field reader. For every ground-truth field: correct (same value once case, spacing and
punctuation at the ends are ignored), flagged for confirmation (or not found), or wrong and NOT flagged (the
harmful case). CPU seconds per page count the OCR subprocess too (os.times children).

    PYTHONPATH=src python benchmarks/origin/ocr_fields.py [--seeds 2] [--first-seed 0] [--engine tesseract|rapidocr]

Writes benchmarks/results/origin_ocr.json (origin_ocr_rapidocr.json for RapidOCR), with machine and commit.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks import record as results
from benchmarks.origin.scan_set import Record, as_png, scan, variants
from clearway.origin.reading import CONFIRM_BELOW, Reading, read_certificate, read_document


def normalise(value: Any) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return re.sub(r"\s+", " ", text).strip(" .,;:'\"\u2018\u2019\u201c\u201d-_").casefold()


def outcome(reading: Reading, name: str, truth: str) -> str:
    """'correct', 'flagged' (low confidence or not found: the officer is asked) or 'wrong' (unflagged)."""
    if name.startswith("items/"):
        _, index, key = name.split("/")
        item = reading.items[int(index)] if len(reading.items) > int(index) else None
        if item is None or item.get(key) is None:
            return "flagged"
        value, flagged = item[key], bool(item.get("needs_confirmation"))
    else:
        found = reading.fields.get(name)
        if found is None:
            return "flagged"
        value, flagged = found.value, found.confidence < CONFIRM_BELOW
    if normalise(value) == normalise(truth):
        return "flagged_correct" if flagged else "correct"
    return "flagged" if flagged else "wrong"


def rapidocr_reader() -> Any:
    from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-not-found]

    engine = RapidOCR()

    def read(image: Any) -> Reading:
        import numpy as np

        result, _ = engine(np.asarray(image.convert("RGB")))
        boxes = sorted(
            (
                (min(p[1] for p in box), max(p[1] for p in box), min(p[0] for p in box), text, float(score))
                for box, text, score in (result or [])
            ),
        )
        lines: list[list[tuple[float, str, float]]] = []
        bottom = -1.0
        for top, low, left, text, score in boxes:
            if lines and top < bottom - (low - top) * 0.5:
                lines[-1].append((left, text, score))
                bottom = max(bottom, low)
            else:
                lines.append([(left, text, score)])
                bottom = low
        ordered = [sorted(line) for line in lines]
        text = "\n".join(" ".join(t for _, t, _ in line) for line in ordered)
        return read_certificate(
            text, line_confidence=[min(s for _, _, s in line) for line in ordered], source="ocr"
        )

    return read


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=2, help="noisy scans per form (default 2)")
    parser.add_argument(
        "--first-seed",
        type=int,
        default=0,
        help="seed of the first scan (default 0, the reported set; settings were chosen on seeds 2-3)",
    )
    parser.add_argument("--engine", choices=("tesseract", "rapidocr"), default="tesseract")
    args = parser.parse_args()
    read_rapid = rapidocr_reader() if args.engine == "rapidocr" else None

    per_form: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_field: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    pages: list[dict[str, Any]] = []
    for rec, seed in variants(args.seeds, args.first_seed):
        image = scan(rec, seed)
        started, wall = os.times(), time.perf_counter()
        if read_rapid is not None:
            reading = read_rapid(image)
        else:
            reading = read_document(as_png(image), f"{rec.key}-{seed}.png")
        ended = os.times()
        cpu = (ended.user + ended.system + ended.children_user + ended.children_system) - (
            started.user + started.system + started.children_user + started.children_system
        )
        outcomes = {name: outcome(reading, name, truth) for name, truth in rec.truth.items()}
        for name, result in outcomes.items():
            per_form[_form(rec)][result] += 1
            per_field[name][result] += 1
        pages.append(
            {
                "form": _form(rec),
                "seed": seed,
                "rotation_degrees": image.info.get("angle"),
                "agreement_read": reading.agreement,
                "agreement_right": reading.agreement == rec.agreement,
                "cpu_seconds": round(cpu, 2),
                "wall_seconds": round(time.perf_counter() - wall, 2),
                "outcomes": outcomes,
            }
        )
        print(f"{_form(rec)} seed {seed}: {outcomes} ({cpu:.1f} s CPU)", flush=True)

    total = _summary(defaultdict(int, {k: sum(c[k] for c in per_form.values()) for k in _KEYS}))
    cpu_pages = [p["cpu_seconds"] for p in pages]
    body = {
        "engine": args.engine,
        "engine_version": _engine_version(args.engine),
        "set": {
            "forms": len(per_form),
            "pages": len(pages),
            "fields": total["fields"],
            "noise": "rotation ±3°, Gaussian blur 0.8-1.8 px at 300 dpi, round stamp over the issuer or "
            "declaration box, downscaled to 150 dpi, 6000 specks, JPEG quality 30-55",
        },
        "confirm_below": CONFIRM_BELOW,
        "overall": total,
        "agreement_detected": round(sum(p["agreement_right"] for p in pages) / len(pages), 3),
        "cpu_seconds_per_page": {
            "mean": round(sum(cpu_pages) / len(cpu_pages), 2),
            "max": round(max(cpu_pages), 2),
        },
        "per_form": {k: _summary(v) for k, v in sorted(per_form.items())},
        "per_field": {k: _summary(v) for k, v in sorted(per_field.items())},
        "pages": pages,
        "note": "field accuracy = correct and unflagged / fields; flagged = shown to the officer to confirm "
        "(low confidence or not found); wrong_unflagged = a wrong value that would be used unless the officer "
        "noticed. CPU seconds include the OCR subprocess; wall time is distorted by other load on the machine.",
    }
    name = "origin_ocr" if args.engine == "tesseract" else "origin_ocr_rapidocr"
    if args.first_seed:
        name += f"_seed{args.first_seed}"
    print(results.write(name, body))
    print({k: total[k] for k in ("field_accuracy", "flagged_share", "wrong_unflagged_rate")})


_KEYS = ("correct", "flagged_correct", "flagged", "wrong")


def _form(rec: Record) -> str:
    return f"{rec.agreement} {rec.form}"


def _summary(counts: dict[str, int]) -> dict[str, Any]:
    n = sum(counts[k] for k in _KEYS) or 1
    return {
        "fields": n,
        "field_accuracy": round(counts["correct"] / n, 3),
        "read_right_incl_flagged": round((counts["correct"] + counts["flagged_correct"]) / n, 3),
        "flagged_share": round((counts["flagged"] + counts["flagged_correct"]) / n, 3),
        "wrong_unflagged_rate": round(counts["wrong"] / n, 3),
    }


def _engine_version(engine: str) -> str:
    if engine == "rapidocr":
        from importlib.metadata import version

        return f"rapidocr-onnxruntime {version('rapidocr-onnxruntime')}"
    import subprocess

    from clearway.origin.ocr import tesseract

    binary = tesseract()
    if binary is None:
        return "not installed"
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).splitlines()[0]


if __name__ == "__main__":
    main()
