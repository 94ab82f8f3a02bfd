"""Scores: how far a school is, per question and per section, as a number from 0 to 1.

- yes / partly / no: ja = 1, deels = 0.5, nee = 0; "niet van toepassing" counts not at all.
- a scale of n steps: step k scores (k - 1) / (n - 1), so the first step is 0 and the last 1.
- text, number, date and evidence questions are not scored.
A section's score is the mean of its scored, answered questions; None when it has none.
A score below LOW_SCORE is "low": the roll-up and the result page then suggest next steps.
"""

from statistics import mean

LOW_SCORE = 0.5
YES_PARTLY_NO_SCORES = {"ja": 1.0, "deels": 0.5, "nee": 0.0}


def is_scored(question) -> bool:
    return question.type in ("yes_partly_no", "scale")


def question_score(question, value) -> float | None:
    """The score of one answer, or None (not scored, not answered, not applicable, or a
    value that is not on this version's scale)."""
    if not value:
        return None
    if question.type == "yes_partly_no":
        return YES_PARTLY_NO_SCORES.get(value)
    if question.type == "scale":
        steps = len(question.scale)
        try:
            step = int(value)
        except ValueError:
            return None
        if steps < 2 or not 1 <= step <= steps:
            return None
        return (step - 1) / (steps - 1)
    return None


def section_score(questions, values: dict, keys=None) -> float | None:
    """The mean score of `questions` answered in `values` (key -> stored value); with
    `keys`, only the questions whose key is in it (the comparison across versions)."""
    scores = [
        question_score(q, values.get(q.key)) for q in questions if keys is None or q.key in keys
    ]
    scores = [s for s in scores if s is not None]
    return mean(scores) if scores else None


def is_low(score) -> bool:
    return score is not None and score < LOW_SCORE


def percent(score) -> int | None:
    """A score as a whole percentage for the page (0.625 -> 63)."""
    return None if score is None else int(100 * score + 0.5)  # half up, not to even
