"""The KCS-pretrained risk model that set-up builds: kept while it is the model today's parameters give, rebuilt
(under another name) when the parameters changed since it was built."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from clearway.risk.learning.modelops import PRETRAINED_FILE, pretrained_document
from clearway.risk.model import RiskModel, read_model_file, write_model_file

NOW = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)


@pytest.mark.slow
def test_the_pretrained_model_is_rebuilt_when_the_parameters_changed(tmp_path: Path) -> None:
    built = pretrained_document(tmp_path, NOW)
    assert built["params"]["num_leaves"] == RiskModel().num_leaves
    data, params = built["version"].removeprefix("kcs-").split("-")
    assert len(data) == 8 and len(params) == 4

    again = pretrained_document(tmp_path, datetime(2026, 12, 7, tzinfo=UTC))
    assert again == built  # the file is kept: same model, not trained again

    path = tmp_path / "risk" / PRETRAINED_FILE
    older = read_model_file(path)
    older["params"]["num_leaves"] = 31  # as an installation set up before the model had 15 leaves has it
    older["version"] = f"kcs-{data}"
    write_model_file(path, older)
    rebuilt = pretrained_document(tmp_path, datetime(2026, 12, 8, tzinfo=UTC))
    assert rebuilt["created_at"].startswith("2026-12-08")  # trained again
    assert rebuilt["params"]["num_leaves"] == RiskModel().num_leaves
    assert rebuilt["version"] == built["version"]  # same data, same parameters: the same name as before
    assert read_model_file(path)["version"] == built["version"]
