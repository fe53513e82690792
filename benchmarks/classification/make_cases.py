"""Write the held-out benchmark case files (JSON Lines, the `clearway classify benchmark` contract).

    .venv/bin/python benchmarks/classification/make_cases.py

Held-out (never trained on when measuring, see clearway.classification.holdout):
  kr_kcs_2024-08_10.jsonl        KCS rulings decided 2024-08-01..10-31: product name + description (Korean)
  en_kcs_names_2024-08_10.jsonl  the same rulings' English product names (where there is one)
  en_eu_bti_2025-03-15_31.jsonl  EU BTI rulings decided 2025-03-15 or later, English part of the description
  en_uk_parcels_holdout.jsonl    UK parcel descriptions, hash bucket 0 (one in five)
Development (used while designing the model; reported for reference only):
  dev_kr_kcs_2024-06_07.jsonl, dev_en_kcs_names_2024-06_07.jsonl, dev_en_eu_bti_2025-03-01_14.jsonl,
  dev_en_uk_parcels.jsonl
Decline check: vague_holdout.txt (one vague parcel description in five, not used to fit the vagueness model).
The decision-reasoning field of a ruling is never written to a case.
"""

from __future__ import annotations

import json
from pathlib import Path

from clearway.classification.corpus import load_training_data
from clearway.classification.holdout import is_development, is_holdout, is_vague_holdout
from clearway.classification.text import english_part, english_segments

OUT = Path(__file__).parent / "cases"


def write(name: str, cases: list[dict]) -> None:
    path = OUT / name
    with path.open("w", encoding="utf-8") as handle:
        for case in cases:
            handle.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{path}: {len(cases)} cases")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = load_training_data()
    for _split, pick, kr_name, en_name, eu_name, uk_name in (
        (
            "holdout",
            is_holdout,
            "kr_kcs_2024-08_10.jsonl",
            "en_kcs_names_2024-08_10.jsonl",
            "en_eu_bti_2025-03-15_31.jsonl",
            "en_uk_parcels_holdout.jsonl",
        ),
        (
            "development",
            is_development,
            "dev_kr_kcs_2024-06_07.jsonl",
            "dev_en_kcs_names_2024-06_07.jsonl",
            "dev_en_eu_bti_2025-03-01_14.jsonl",
            "dev_en_uk_parcels.jsonl",
        ),
    ):
        chosen = [r for r in data.records if pick(r)]
        kcs = [r for r in chosen if r.source == "kcs"]
        write(
            kr_name, [{"id": r.id, "text": r.text, "hs": r.code, "lang": "ko", "national": "KR"} for r in kcs]
        )
        names = [(r, english_segments(r.text.split("\n")[0])) for r in kcs]
        write(
            en_name,
            [
                {"id": r.id + ":en", "text": t, "hs": r.code, "lang": "en", "national": "KR"}
                for r, t in names
                if t
            ],
        )
        eu = [(r, english_part(r.text)) for r in chosen if r.source == "eu_bti"]
        write(
            eu_name,
            [
                {"id": r.id, "text": t, "hs": r.code, "lang": "en", "national": "EU"}
                for r, t in eu
                if len(t.split()) >= 5
            ],
        )
        uk = [r for r in chosen if r.source == "uk_extra"]
        seen: set[str] = set()
        uk_cases = []
        for r in uk:
            if r.text.lower() in seen:
                continue
            seen.add(r.text.lower())
            uk_cases.append({"id": r.id, "text": r.text, "hs": r.code, "lang": "en", "national": "UK"})
        write(uk_name, uk_cases)
    vague = sorted({v for v in data.vague if is_vague_holdout(v)})
    (OUT / "vague_holdout.txt").write_text("\n".join(vague) + "\n", encoding="utf-8")
    print(f"vague_holdout.txt: {len(vague)} descriptions")


if __name__ == "__main__":
    main()
