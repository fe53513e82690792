"""Choosing the national (HSK10) line inside a subheading."""

from __future__ import annotations

import numpy as np

from clearway.classification.national import LINE_FEATURES, LineChooser


def _lines(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, len(LINE_FEATURES))).astype(np.float32)


def test_without_training_examples_every_line_is_equally_likely() -> None:
    # data with no national codes (no KCS ruling) used to stop training with a bare numpy error
    chooser = LineChooser().fit([], [])
    assert np.allclose(chooser.probabilities(_lines(4, 0)), 0.25)


def test_the_line_the_examples_single_out_is_chosen() -> None:
    examples = [_lines(3, seed) for seed in range(40)]
    for lines in examples:
        lines[1, 0] = 5.0  # the right line has by far the best character similarity
    chooser = LineChooser().fit(examples, [1] * len(examples))
    asked = _lines(3, 99)
    asked[2, 0] = 5.0
    probabilities = chooser.probabilities(asked)
    assert probabilities.argmax() == 2
    assert np.isclose(probabilities.sum(), 1.0)
