"""Every exercise of every chapter: its reference solution passes, its typical mistakes fail kindly."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import nbhelpers.exercises as framework
from nbhelpers.exercises import ____, Exercise

MODULES = [importlib.import_module(f"nbhelpers.exercises.{m.name}")
           for m in pkgutil.iter_modules(framework.__path__) if m.name.startswith("ch")]
EXERCISES = [(m.__name__.rsplit(".", 1)[1], ex) for m in MODULES for ex in m.EXERCISES]


def test_every_chapter_module_lists_its_exercises():
    assert MODULES, "no exercise modules found"
    for module in MODULES:
        defined = {id(v) for v in vars(module).values() if isinstance(v, Exercise)}
        assert defined == {id(e) for e in module.EXERCISES}, f"{module.__name__}: EXERCISES must list every exercise"


@pytest.mark.parametrize("chapter,exercise", EXERCISES, ids=lambda v: v if isinstance(v, str) else v.title)
def test_reference_solution_passes(chapter, exercise):
    result = exercise.evaluate(exercise.reference_answer())
    assert result.passed, str(result)


@pytest.mark.parametrize("chapter,exercise", EXERCISES, ids=lambda v: v if isinstance(v, str) else v.title)
def test_typical_mistakes_fail_with_a_message(chapter, exercise):
    assert exercise.mistakes, f"{exercise.title}: give at least one typical wrong answer"
    for code in exercise.mistakes:
        result = exercise.evaluate(exercise.run_code(code))
        assert result.status == "incorrect", f"{exercise.title}: this wrong answer passed:\n{code}"
        assert len(result.message) > 25, f"{exercise.title}: the message is too thin to help: {result.message!r}"


@pytest.mark.parametrize("chapter,exercise", EXERCISES, ids=lambda v: v if isinstance(v, str) else v.title)
def test_placeholder_is_not_attempted_and_help_exists(chapter, exercise, capsys):
    assert exercise.evaluate(____).status == "not_attempted"
    assert exercise.evaluate().status == "not_attempted"
    assert exercise.hints, f"{exercise.title}: give at least one hint"
    exercise.hint()
    exercise.solution()
    shown = capsys.readouterr().out
    assert "[Hint]" in shown and "[Solution]" in shown
