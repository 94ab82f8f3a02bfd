import pytest

from checklists import scoring
from checklists.models import Question

YPN = Question({"key": "a", "text": "A?", "type": "yes_partly_no"})
SCALE4 = Question({"key": "b", "text": "B?", "type": "scale", "scale": ["1", "2", "3", "4"]})
SCALE3 = Question({"key": "c", "text": "C?", "type": "scale", "scale": ["x", "y", "z"]})
TEXT = Question({"key": "d", "text": "D?", "type": "short_text"})
NUMBER = Question({"key": "e", "text": "E?", "type": "number"})


@pytest.mark.parametrize(
    ("question", "value", "score"),
    [
        (YPN, "ja", 1.0),
        (YPN, "deels", 0.5),
        (YPN, "nee", 0.0),
        (YPN, "nvt", None),
        (YPN, "", None),
        (SCALE4, "1", 0.0),
        (SCALE4, "2", 1 / 3),
        (SCALE4, "3", 2 / 3),
        (SCALE4, "4", 1.0),
        (SCALE4, "5", None),  # not on this version's scale
        (SCALE3, "2", 0.5),
        (TEXT, "iets", None),
        (NUMBER, "12", None),
    ],
)
def test_question_score(question, value, score):
    assert scoring.question_score(question, value) == score


def test_section_score_is_the_mean_of_scored_answered_questions():
    questions = [YPN, SCALE4, SCALE3, TEXT]
    # ja (1) + step 2 of 4 (1/3) + not answered + text: (1 + 1/3) / 2
    assert scoring.section_score(questions, {"a": "ja", "b": "2", "d": "x"}) == pytest.approx(2 / 3)
    # nvt does not count: only step 3 of 3 (1) and step 1 of 4 (0)
    assert scoring.section_score(questions, {"a": "nvt", "b": "1", "c": "3"}) == 0.5
    assert scoring.section_score(questions, {"a": "nvt", "d": "x"}) is None
    # only the keys asked for (the comparison across versions)
    assert scoring.section_score(questions, {"a": "ja", "b": "1"}, keys={"b"}) == 0.0


def test_low_and_percent():
    assert scoring.LOW_SCORE == 0.5
    assert scoring.is_low(0.49) and not scoring.is_low(0.5) and not scoring.is_low(None)
    assert scoring.percent(0.625) == 63 and scoring.percent(2 / 3) == 67
    assert scoring.percent(None) is None
