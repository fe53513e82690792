"""The ``--guided`` figures of the benchmark contract."""

from __future__ import annotations

from clearway.classification.metrics import CaseOutcome, summarise


def test_after_questions_figures_use_the_narrowed_ranking_and_count_questions() -> None:
    outcomes = [
        CaseOutcome("420221", "KR", ("420222", "420221"), False, 1.0, after=("420221",), questions=1),
        CaseOutcome("610910", "KR", ("610910",), False, 1.0, after=("610910",), questions=0),
        CaseOutcome("950300", "UK", (), True, 1.0, after=(), questions=0),
        CaseOutcome(
            "620520",
            "UK",
            ("610910", "620530", "620520"),
            False,
            1.0,
            after=("620530", "620520"),
            questions=2,
        ),
    ]
    figures = summarise(outcomes)
    assert figures["hs6_top1"] == 0.25 and figures["hs6_top1_after_questions"] == 0.5
    assert figures["hs6_top3"] == 0.75 and figures["hs6_top3_after_questions"] == 0.75
    assert figures["questions_asked_mean"] == 0.75
    assert "questions_asked_mean" not in summarise([CaseOutcome("420221", "KR", ("420221",), False, 1.0)])
