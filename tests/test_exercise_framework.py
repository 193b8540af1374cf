"""The exercise framework itself: messages, placeholders, display, never raising for a learner's mistake."""

from __future__ import annotations

import numpy as np
import pytest

from nbhelpers.exercises import (
    ____, Case, ChoiceExercise, CheckResult, Exercise, FunctionExercise, NotYet, ValueExercise, compare,
)


def square(x):
    return x * x


SQUARE = FunctionExercise("square", reference=square, cases=[Case(2.0), Case(-3.0, note="negative input"), Case(0.0)],
                          hints=["multiply x by itself", "return x * x"], solution="def square(x):\n    return x * x")


def test_function_exercise_names_the_first_input_where_it_differs():
    result = SQUARE.evaluate(lambda x: abs(x) * 2)
    assert result.status == "incorrect"
    assert "x=-3" in result.message and "negative input" in result.message
    assert "6" in result.message and "9" in result.message


def test_function_exercise_reports_exceptions_instead_of_raising():
    def broken(x):
        return x / 0

    result = SQUARE.evaluate(broken)
    assert result.status == "incorrect" and "ZeroDivisionError" in result.message


def test_function_exercise_placeholder_body_and_not_implemented_are_not_attempted():
    assert SQUARE.evaluate(lambda x: ____).status == "not_attempted"

    def todo(x):
        raise NotImplementedError

    assert SQUARE.evaluate(todo).status == "not_attempted"


def test_function_exercise_hints_at_missing_return_and_at_calling():
    assert "return" in SQUARE.evaluate(lambda x: None).message
    assert "without parentheses" in SQUARE.evaluate(4.0).message


def test_function_exercise_does_not_let_the_learner_mutate_cases():
    ex = FunctionExercise("sum", reference=lambda a: float(np.sum(a)), cases=[Case(np.array([1.0, 2.0]))],
                          answer_name="f")

    def mutating(a):
        a[:] = 0
        return 0.0

    assert ex.evaluate(mutating).status == "incorrect"
    assert ex.cases[0].args[0].tolist() == [1.0, 2.0]


def test_value_exercise_messages():
    ex = ValueExercise("v", expected=[1.0, 2.0, 3.0])
    assert ex.evaluate([1.0, 2.0, 3.0]).passed
    assert "shape (3, 1)" in ex.evaluate(np.ones((3, 1))).message
    assert "NaN" in ex.evaluate([np.nan, 2, 3]).message
    assert "expected" in ex.evaluate([1, 2, 4]).message
    assert ex.evaluate("abc").status == "incorrect"
    assert ex.evaluate((____, 1, 2)).status == "not_attempted"


def test_compare_text_and_bool():
    compare(" Sigmoid ", "sigmoid")
    with pytest.raises(NotYet):
        compare("relu", "sigmoid")
    with pytest.raises(NotYet, match="True or False"):
        compare(1, True)


def test_choice_exercise_rejects_unknown_options_and_explains_wrong_ones():
    ex = ChoiceExercise("pick", options=["a", "b"], correct="a", explanations={"b": "b is for bees."})
    assert ex.evaluate("A").passed
    assert "b is for bees" in ex.evaluate("b").message
    assert "one of 'a', 'b'" in ex.evaluate("c").message
    with pytest.raises(ValueError):
        ChoiceExercise("bad", options=[1, 2], correct=3)


def test_custom_checker_and_hint_levels(capsys):
    def checker(answer):
        if answer != 42:
            raise NotYet("think bigger")

    ex = Exercise("custom", checker=checker, hints=["one", "two"], solution="answer = 42")
    assert ex.evaluate(41).message.startswith("think bigger")
    assert ex.evaluate(ex.reference_answer()).passed
    ex.hint(); ex.hint(); ex.hint(); ex.hint(5)
    out = capsys.readouterr().out
    assert "hint 1/2" in out and out.count("hint 2/2") == 2 and "hints 1 to 2" in out


def test_check_prints_plain_text_outside_jupyter(capsys):
    SQUARE.check(square)
    assert capsys.readouterr().out.startswith("[Correct] square")
    assert SQUARE.last_result.passed


def test_html_has_colour_and_a_word_not_only_colour():
    html = CheckResult("incorrect", "t", "msg <b>")._repr_html_()
    assert "Not yet" in html and "&lt;b&gt;" in html and "border-left" in html
