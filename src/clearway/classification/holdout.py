"""Our own held-out evaluation split (never trained or tuned on when measuring).

* Korean: KCS rulings decided 2024-08-01 .. 2024-10-31 (the latest months of the vendored data);
* English: EU BTI rulings decided 2025-03-15 or later (an ID/time split of the EU file), and one UK parcel
  description in five, chosen by a hash of the description (so repeats of a description fall on one side).

``clearway classify train --exclude-holdout`` trains without them; the held-out case files in
``benchmarks/classification/cases/`` are built from exactly these records.
"""

from __future__ import annotations

import hashlib
from datetime import date

from clearway.classification.corpus import LabelledText

KCS_HOLDOUT_FROM = date(2024, 8, 1)
KCS_TUNING_FROM = date(2024, 6, 1)  # 2024-06..07: the development months used while designing the model
EU_HOLDOUT_FROM = date(2025, 3, 15)
EU_TUNING_FROM = date(2025, 3, 1)
UK_HOLDOUT_SHARE = 5  # one in five


def _bucket(text: str) -> int:
    return int(hashlib.sha256(text.strip().lower().encode("utf-8")).hexdigest()[:8], 16) % UK_HOLDOUT_SHARE


def is_vague_holdout(text: str) -> bool:
    """One vague description in five is kept out of the vagueness model, to measure declines on."""
    return _bucket(text) == 0


def is_development(record: LabelledText) -> bool:
    """The tuning split used while designing (KCS 2024-06..07, EU BTI 2025-03-01..14, UK bucket 1)."""
    if record.source == "kcs":
        return record.decided_on is not None and KCS_TUNING_FROM <= record.decided_on < KCS_HOLDOUT_FROM
    if record.source == "eu_bti":
        return record.decided_on is not None and EU_TUNING_FROM <= record.decided_on < EU_HOLDOUT_FROM
    if record.source == "uk_extra":
        return _bucket(record.text) == 1
    return False


def is_holdout(record: LabelledText) -> bool:
    if record.source == "kcs":
        return record.decided_on is not None and record.decided_on >= KCS_HOLDOUT_FROM
    if record.source == "eu_bti":
        return record.decided_on is not None and record.decided_on >= EU_HOLDOUT_FROM
    if record.source == "uk_extra":
        return _bucket(record.text) == 0
    return False
