import numpy as np

from clearway.assistant.passage_classifier import NO_SCORE, PassageClassifier

ALLOWANCE = [
    "면세한도가 얼마인가요",
    "여행자 면세한도 알려주세요",
    "면세한도 초과하면 어떻게 되나요",
    "면세한도는 800달러인가요",
]
CODE = [
    "개인통관고유부호 발급 방법",
    "개인통관고유부호를 잃어버렸어요",
    "개인통관고유부호 재발급",
    "개인통관고유부호 조회",
]
RETURN = [
    "반송 신청은 어디서 하나요",
    "직구 물품 반송하려면",
    "반송 절차가 궁금해요",
    "반송하면 세금 환급되나요",
]


def fitted(questions, labels, n_passages, e5=None):
    return PassageClassifier().fit(questions, e5, np.asarray(labels), n_passages)


def test_a_question_scores_highest_for_the_passage_its_kind_of_question_is_written_against():
    questions = ALLOWANCE + CODE + RETURN
    labels = [0] * 4 + [1] * 4 + [2] * 4
    classifier = fitted(questions, labels, n_passages=4)

    scores = classifier.scores("개인통관고유부호 어디서 받나요", None)

    assert scores.shape == (4,)
    assert int(np.argmax(scores)) == 1
    assert scores[3] == NO_SCORE  # no question was written against passage 3


def test_each_corpus_question_is_scored_by_a_classifier_that_did_not_see_it():
    # passage 3 has one question: the classifier that scores it out of fold never saw passage 3 at all
    questions = ALLOWANCE + CODE + RETURN + ["이사물품 컨테이너 통관"]
    labels = [0] * 4 + [1] * 4 + [2] * 4 + [3]
    classifier = fitted(questions, labels, n_passages=4)

    assert classifier.out_of_fold_.shape == (13, 4)
    assert classifier.out_of_fold_[12, 3] == NO_SCORE
    assert int(np.argmax(classifier.scores("이사물품 컨테이너 통관", None))) == 3


def test_out_of_fold_scores_still_find_the_passage_of_a_question_like_its_fellows():
    questions = (ALLOWANCE + CODE + RETURN) * 2
    labels = ([0] * 4 + [1] * 4 + [2] * 4) * 2
    classifier = fitted(questions, labels, n_passages=3)

    found = np.argmax(classifier.out_of_fold_, axis=1)

    assert (found == np.asarray(labels)).mean() >= 0.9


def test_two_passages_are_told_apart_the_right_way_round():
    classifier = fitted(ALLOWANCE + RETURN, [0] * 4 + [1] * 4, n_passages=2)

    returning = classifier.scores("반송 신청하고 싶어요", None)
    allowance = classifier.scores("면세한도 궁금해요", None)

    assert returning[1] > returning[0]
    assert allowance[0] > allowance[1]


def test_the_sentence_vectors_decide_where_the_words_say_nothing():
    rng = np.random.default_rng(0)
    centres = np.eye(8, dtype=np.float32)[:2]
    vectors = np.vstack([centres[i] + 0.05 * rng.standard_normal(8) for i in [0] * 6 + [1] * 6])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    questions = ["질문입니다"] * 12  # the same words for both passages
    classifier = fitted(questions, [0] * 6 + [1] * 6, n_passages=2, e5=vectors.astype(np.float32))

    assert int(np.argmax(classifier.scores("질문입니다", centres[1]))) == 1
    assert int(np.argmax(classifier.scores("질문입니다", centres[0]))) == 0


def test_a_corpus_of_one_passage_gives_no_scores_rather_than_failing():
    classifier = fitted(ALLOWANCE, [0] * 4, n_passages=2)

    assert np.all(classifier.scores("면세한도", None) == NO_SCORE)
    assert np.all(classifier.out_of_fold_ == NO_SCORE)
