"""The classification model shipped without its retrieval index classifies exactly as trained once set-up has
rebuilt the index."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from clearway.classification import registry
from clearway.classification.embedding import default_embedder
from clearway.classification.shipping import rebuild_index, without_index
from clearway.shipped_models import install, ship

TEXTS = ["leather shoes with rubber soles", "립스틱", "perfume in a 50 ml spray bottle", "운동화 고무 밑창"]


def test_the_shipped_form_is_a_fraction_and_installs_to_the_same_answers(  # type: ignore[no-untyped-def]
    tiny_model, tiny_model_folder, tiny_data, tmp_path: Path
) -> None:
    shipped = ship(
        "classification", tiny_model_folder, shipped=tmp_path / "package", shipped_form=without_index
    )
    full = (tiny_model_folder / registry.MODEL_FILE).stat().st_size
    assert len(without_index(tiny_model_folder / registry.MODEL_FILE)) < full / 2, "the index is left out"
    assert (shipped / "model.pkl.gz").stat().st_size < full / 2

    served = tmp_path / "served"
    complete = partial(
        rebuild_index, records=tiny_data, embedder=default_embedder()
    )  # as the tiny model's fit
    libraries = registry.library_versions()
    assert install(
        "classification", tiny_model_folder.name, served, libraries, tmp_path / "package", complete=complete
    )

    rebuilt = registry.load_model(served / tiny_model_folder.name)
    assert rebuilt.classify(TEXTS) == tiny_model.classify(TEXTS)
