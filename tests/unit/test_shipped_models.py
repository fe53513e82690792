"""The served models ship in the package so that a fresh set-up installs them instead of training them."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from clearway.assistant.knowledge import bundled_knowledge
from clearway.assistant.model_store import libraries as assistant_libraries
from clearway.assistant.model_store import version_of
from clearway.classification.registry import library_versions
from clearway.classification.setup import expected_version
from clearway.shipped_models import install, ship, shipped_folder, shipped_root

INSTALLED = {"scikit-learn": "1.9.1", "lightgbm": "4.7.0", "numpy": "2.4.6"}


def _built(folder: Path, libraries: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "model.pkl").write_bytes(pickle.dumps({"weights": list(range(1000))}))
    (folder / "meta.json").write_text(json.dumps({"version": folder.name, "libraries": libraries}), "utf-8")
    (folder / "metrics.json").write_text(json.dumps({"hs6_top1": 0.5}), "utf-8")
    return folder


def test_a_shipped_model_installs_byte_for_byte_as_it_was_built(tmp_path: Path) -> None:
    built = _built(tmp_path / "built" / "hs-abc", INSTALLED)
    ship("classification", built, shipped=tmp_path / "package")

    assert install("classification", "hs-abc", tmp_path / "served", INSTALLED, shipped=tmp_path / "package")
    for name in ("model.pkl", "meta.json", "metrics.json"):
        assert (tmp_path / "served" / "hs-abc" / name).read_bytes() == (built / name).read_bytes()
    assert not list((tmp_path / "served").glob(".*")), "no half-unpacked folder is left behind"


def test_shipping_a_new_version_replaces_the_old_one_and_re_shipping_a_build_changes_nothing(
    tmp_path: Path,
) -> None:
    package = tmp_path / "package"
    ship("assistant", _built(tmp_path / "a" / "asst-1", INSTALLED), shipped=package)
    first = ship("assistant", _built(tmp_path / "b" / "asst-2", INSTALLED), shipped=package)
    packed = (first / "model.pkl.gz").read_bytes()
    # the same build pickled again in another process may differ in bytes (set order): it is not re-packed
    (tmp_path / "b" / "asst-2" / "model.pkl").write_bytes(pickle.dumps({"weights": list(range(999, -1, -1))}))
    again = ship("assistant", tmp_path / "b" / "asst-2", shipped=package)

    assert [p.name for p in (package / "assistant").iterdir()] == ["asst-2"]
    assert (again / "model.pkl.gz").read_bytes() == packed


def test_a_version_not_shipped_or_pickled_by_other_libraries_is_not_installed(tmp_path: Path) -> None:
    package = tmp_path / "package"
    ship("classification", _built(tmp_path / "b" / "hs-old", {**INSTALLED, "scikit-learn": "0.1"}), package)

    assert not install("classification", "hs-old", tmp_path / "served", INSTALLED, shipped=package)
    assert not install("classification", "hs-other", tmp_path / "served", INSTALLED, shipped=package)
    assert not (tmp_path / "served" / "hs-old").exists()


def test_the_package_ships_the_models_its_data_and_parameters_build() -> None:
    # Fails when training data or parameters changed without re-shipping: set-up would then train for ~10
    # minutes. Fix: `clearway setup-models && clearway ship-models`, and commit src/clearway/data/models.
    for kind, wanted, libraries in (
        ("classification", expected_version(), library_versions()),
        ("assistant", version_of(bundled_knowledge()), assistant_libraries()),
    ):
        shipped = sorted(p.name for p in (shipped_root() / kind).iterdir())
        assert shipped == [wanted], f"{kind}: the package ships {shipped}, the data builds {wanted}"
        assert shipped_folder(kind, wanted, libraries) is not None, (
            f"{kind} {wanted}: pickled by other libraries"
        )


def test_ship_models_with_nothing_built_says_what_to_run_and_ships_nothing(tmp_path: Path) -> None:
    before = sorted(str(p) for p in shipped_root().rglob("*"))
    done = subprocess.run(
        [sys.executable, "-m", "clearway.cli.main", "ship-models"],
        env={**os.environ, "CLEARWAY_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "no classification model is served" in done.stderr and "clearway setup-models" in done.stderr
    assert sorted(str(p) for p in shipped_root().rglob("*")) == before
