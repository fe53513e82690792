"""For ``clearway setup-models``: make sure the served classification model exists and is current."""

from __future__ import annotations

from clearway.classification.corpus import fingerprint
from clearway.classification.model import HSClassifier
from clearway.classification.registry import current_dir, library_versions, read_meta, root, set_current
from clearway.classification.shipping import rebuild_index
from clearway.classification.training import data_files, train, version_name
from clearway.config import Settings
from clearway.shipped_models import install


def expected_version() -> str:
    """The version `clearway classify train` would write now (data fingerprint + default parameters)."""
    return version_name(fingerprint(data_files()), HSClassifier().get_params(), exclude_holdout=False)


def build_models(settings: Settings) -> str:
    """Serve the model the data and parameters make: the one already built, else the one the package ships
    (built from the same data and parameters with the same libraries), else train it (about 10 minutes)."""
    folder = current_dir(settings.models_dir)
    wanted = expected_version()
    if folder is not None and folder.name == wanted:
        meta = read_meta(folder)
        return f"classification model {wanted} is current (trained {meta.get('created_at', '?')})"
    if install(
        "classification", wanted, root(settings.models_dir), library_versions(), complete=rebuild_index
    ):
        set_current(settings.models_dir, wanted)
        meta = read_meta(root(settings.models_dir) / wanted)
        return (
            f"classification model {wanted} installed as shipped (trained {meta.get('created_at', '?')}; "
            "retrieval index rebuilt from the vendored data)"
        )
    notes: list[str] = []
    result = train(
        settings.models_dir, cache_dir=settings.home / "cache" / "classification", log=notes.append
    )
    embedded = [n for n in notes if "shipped" in n or "embedded now" in n]
    return (
        f"classification model {result.version} trained in {result.seconds:.0f} s "
        f"({result.size_bytes / 1e6:.0f} MB) and served" + "".join(f"; {n}" for n in embedded)
    )
