"""Model files shipped in the package, so that a fresh set-up installs the served models instead of training them.

A model version is named after the data and parameters that build it (``hs-<data>-<params>``,
``asst-<hash>``), so a shipped version is exactly what training would produce here, bar the library versions,
which are checked too. ``clearway setup-models`` installs the shipped version when it is the one wanted and
trains otherwise; ``clearway ship-models`` copies the served versions into the package after a retraining.

Layout under ``clearway/data/models/<kind>/<version>/``::

    model.pkl.gz    the pickled model, gzip-compressed (only ever read from this package or the operator's folder),
                    perhaps without parts set-up rebuilds identically (``shipped_form`` / ``complete``)
    meta.json       version, data fingerprint, parameters, library versions, timings
    metrics.json    the model's own figures
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

MODEL_FILE = "model.pkl"
PACKED_MODEL_FILE = "model.pkl.gz"
SIDE_FILES = ("meta.json", "metrics.json")


def shipped_root() -> Path:
    return Path(str(resources.files("clearway.data").joinpath("models")))


def shipped_folder(
    kind: str, version: str, libraries: dict[str, str], shipped: Path | None = None
) -> Path | None:
    """The package's folder (or ``shipped``'s) for ``version`` of model ``kind``, when it ships one pickled
    with ``libraries`` (the installed versions of the libraries the model's objects come from: a pickle of
    another scikit-learn or LightGBM may load wrongly or not at all)."""
    folder = (shipped or shipped_root()) / kind / version
    if not (folder / PACKED_MODEL_FILE).exists():
        return None
    return folder if _meta(folder).get("libraries") == libraries else None


def install(
    kind: str,
    version: str,
    kind_dir: Path,
    libraries: dict[str, str],
    shipped: Path | None = None,
    complete: Callable[[Path], None] | None = None,
) -> bool:
    """Unpack the shipped ``version`` into ``kind_dir/<version>/``; False when the package does not ship it.
    ``complete`` rebuilds in the unpacked folder what the shipped form left out.

    The folder appears whole or not at all (unpacked beside it, then renamed), so a set-up stopped half-way
    leaves no model that looks complete."""
    source = shipped_folder(kind, version, libraries, shipped)
    if source is None:
        return False
    target = kind_dir / version
    staging = kind_dir / f".{version}.unpacking"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with gzip.open(source / PACKED_MODEL_FILE, "rb") as packed, (staging / MODEL_FILE).open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked, length=1 << 20)
    for name in SIDE_FILES:
        if (source / name).exists():
            shutil.copy2(source / name, staging / name)
    if complete is not None:
        complete(staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return True


def served_folder(kind: str, models_dir: Path) -> Path:
    """The folder of the version of ``kind`` named by ``<models_dir>/<kind>/CURRENT``."""
    marker = models_dir / kind / "CURRENT"
    if not marker.exists():
        raise FileNotFoundError(f"no {kind} model is served from {models_dir}; run `clearway setup-models`")
    return models_dir / kind / marker.read_text("utf-8").strip()


def ship(
    kind: str,
    folder: Path,
    shipped: Path | None = None,
    shipped_form: Callable[[Path], bytes] | None = None,
) -> Path:
    """Copy the built model in ``folder`` into the package (or into ``shipped``), replacing the versions of
    ``kind`` shipped before; ``shipped_form`` gives the bytes to ship for a model file (default: the file).
    Returns the shipped folder."""
    if not (folder / MODEL_FILE).exists():
        raise FileNotFoundError(f"no {MODEL_FILE} in {folder}; build the model first")
    kind_root = (shipped or shipped_root()) / kind
    for old in kind_root.glob("*") if kind_root.exists() else ():
        if old.is_dir() and old.name != folder.name:
            shutil.rmtree(old)
    target = kind_root / folder.name
    if _same_build(folder, target):
        return target  # already shipped: a pickle's bytes may differ between runs (set order), its model not
    target.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same bytes always pack to the same file.
    model = shipped_form(folder / MODEL_FILE) if shipped_form else (folder / MODEL_FILE).read_bytes()
    with (
        (target / PACKED_MODEL_FILE).open("wb") as out,
        gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as packed,
    ):
        packed.write(model)
    for name in SIDE_FILES:
        if (folder / name).exists():
            shutil.copy2(folder / name, target / name)
    return target


def _same_build(built: Path, shipped: Path) -> bool:
    """Whether ``shipped`` holds the very build in ``built`` (same version, same ``meta.json``)."""
    if not (shipped / PACKED_MODEL_FILE).exists() or not (shipped / "meta.json").exists():
        return False
    return (built / "meta.json").read_bytes() == (shipped / "meta.json").read_bytes()


def _meta(folder: Path) -> dict[str, object]:
    try:
        loaded = json.loads((folder / "meta.json").read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
