"""Every exercise of every chapter, tried the way learners' answers go wrong.

For each exercise: its reference solution passes; each typical mistake gets its own message; the placeholder,
None, text, a wrong shape, a raising function, an endless loop, ``sys.exit()``, a self-referential or deeply nested
list and a function that mutates its inputs all get a kind verdict, within the time limit, without raising; a
first miss of a value exercise never shows the expected answer; the hints climb and end at ``solution()``; a shown
solution never imports the course package and only uses names the chapter already has.
"""

from __future__ import annotations

import ast
import copy
import importlib
import math
import pkgutil
import re
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import nbhelpers.exercises as framework
from nbhelpers.exercises import ____, ChoiceExercise, Exercise, ValueExercise, settings

ROOT = Path(__file__).resolve().parents[1]
MODULES = [importlib.import_module(f"nbhelpers.exercises.{m.name}")
           for m in pkgutil.iter_modules(framework.__path__) if m.name.startswith("ch")]
EXERCISES = [(m.__name__.rsplit(".", 1)[1], ex) for m in MODULES for ex in m.EXERCISES]
FUNCTIONS = [(c, ex) for c, ex in EXERCISES if ex.kind == "function"]
VALUES = [(c, ex) for c, ex in EXERCISES if ex.kind == "value"]
LIMIT = 0.3  # seconds, in the endless-loop tests: small, so that they stay fast
ROOMY = 30.0  # seconds elsewhere: on a busy machine (four CI lanes) a right answer must not time out
#: exercises with many right answers (any line that separates, any rate that converges): no single value to hide
MANY_RIGHT = {"and_gate", "or_gate", "find_learning_rate", "spiral_architecture"}
MARGIN = 10.0  # generous: the point is "returns", not how fast (the machine may be busy)


def _ids(value):
    return value if isinstance(value, str) else value.title


each = pytest.mark.parametrize("chapter,exercise", EXERCISES, ids=_ids)
each_function = pytest.mark.parametrize("chapter,exercise", FUNCTIONS, ids=_ids)
each_value = pytest.mark.parametrize("chapter,exercise", VALUES, ids=_ids)


@pytest.fixture(autouse=True)
def small_time_limit():
    old = settings.time_limit, settings.use_signals
    settings.time_limit = ROOMY
    for _, ex in EXERCISES:
        ex.reset()
    yield
    settings.time_limit, settings.use_signals = old


def _name_of(chapter, exercise):
    module = importlib.import_module(f"nbhelpers.exercises.{chapter}")
    return next(name for name, value in vars(module).items() if value is exercise)


def _kindly(result, *statuses):
    statuses = statuses or ("incorrect",)
    assert result.status in statuses, str(result)
    assert "Traceback" not in result.message
    assert result.message.endswith((".", "?", "!")), f"no full stop: {result.message!r}"
    return result


# ------------------------------------------------------------------------------------------- structure

def test_every_chapter_module_lists_its_exercises():
    assert len(MODULES) == 6, [m.__name__ for m in MODULES]
    for module in MODULES:
        defined = {id(v) for v in vars(module).values() if isinstance(v, Exercise)}
        assert defined == {id(e) for e in module.EXERCISES}, f"{module.__name__}: EXERCISES must list every exercise"
    assert FUNCTIONS and VALUES


@each
def test_reference_solution_passes(chapter, exercise):
    result = exercise.evaluate(exercise.reference_answer())
    assert result.passed, str(result)


@each
def test_each_typical_mistake_gets_its_own_message(chapter, exercise):
    assert len(exercise.mistakes) >= 2, f"{exercise.title}: list the typical wrong answers"
    messages = []
    for code, fragment in exercise.mistakes:
        exercise.reset()
        result = _kindly(exercise.evaluate(exercise.run_code(code)))
        assert fragment, f"{exercise.title}: give each mistake the fragment of its message"
        assert fragment in result.message, f"{exercise.title}: for\n{code}\nexpected {fragment!r} in {result.message!r}"
        messages.append(result.message)
    assert len(set(messages)) == len(messages), f"{exercise.title}: two mistakes share a message: {messages}"


@each
def test_placeholder_and_no_answer_are_not_attempted(chapter, exercise):
    assert exercise.evaluate(____).status == "not_attempted"
    assert exercise.evaluate().status == "not_attempted"
    assert exercise.evaluate([____, ____]).status in ("not_attempted", "incorrect")


# ------------------------------------------------------------------------------------------- learners' slips

@each
def test_none_and_text_get_a_kind_message(chapter, exercise):
    _kindly(exercise.evaluate(None))
    _kindly(exercise.evaluate("hello"))
    _kindly(exercise.evaluate(""))


@each
def test_wrong_shape_gets_a_kind_message(chapter, exercise):
    if exercise.kind == "function":
        _kindly(exercise.evaluate(lambda *args, **kwargs: np.zeros((7, 7))))
        _kindly(exercise.evaluate(lambda *args, **kwargs: [1.0, 2.0, 3.0, 4.0, 5.0]))
    else:
        _kindly(exercise.evaluate(np.zeros((36, 2))))
        _kindly(exercise.evaluate([1.0, 2.0, 3.0, 4.0, 5.0]))


def _slow_object(behaviour):
    """An answer object whose every conversion loops forever, sleeps or exits."""
    def act(*args, **kwargs):
        if behaviour == "loop":
            while True:
                pass
        if behaviour == "sleep":
            time.sleep(120)
        if behaviour == "exit":
            sys.exit(3)
        raise ValueError("boom")

    names = ["__float__", "__int__", "__index__", "__len__", "__iter__", "__getitem__", "__eq__", "__array__",
             "__str__", "__repr__", "__bool__", "__hash__", "__lt__", "__gt__", "__call__"]
    return type("Odd", (), {n: act for n in names})()


def _loop(*args, **kwargs):
    while True:
        pass


def _sleep(*args, **kwargs):
    time.sleep(120)


def _exit(*args, **kwargs):
    sys.exit()


def _raise(*args, **kwargs):
    raise ValueError("boom")


def _recurse(*args, **kwargs):
    return _recurse(*args, **kwargs)


@pytest.mark.parametrize("signals", [True, False], ids=["sigalrm", "thread"])
@each_function
def test_endless_loop_and_sleep_stop_at_the_time_limit(chapter, exercise, signals):
    settings.use_signals = signals
    settings.time_limit = LIMIT
    for function in (_loop, _sleep):
        start = time.perf_counter()
        result = _kindly(exercise.evaluate(function))
        assert time.perf_counter() - start < LIMIT + MARGIN
        assert "time limit" in result.message and f"{LIMIT:g} s" in result.message


@each_function
def test_exit_recursion_and_exceptions_are_caught(chapter, exercise):
    assert "sys.exit()" in _kindly(exercise.evaluate(_exit)).message
    assert "ValueError: boom" in _kindly(exercise.evaluate(_raise)).message
    assert "RecursionError" in _kindly(exercise.evaluate(_recurse)).message

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt  # raised by the code itself, not the kernel's button: a mistake like any other

    assert "KeyboardInterrupt" in _kindly(exercise.evaluate(interrupt)).message

    def memory(*args, **kwargs):
        raise MemoryError

    assert "memory" in _kindly(exercise.evaluate(memory)).message


@each_value
def test_answers_that_misbehave_when_looked_at(chapter, exercise):
    settings.time_limit = LIMIT
    for behaviour in ("loop", "sleep", "exit", "raise"):
        start = time.perf_counter()
        _kindly(exercise.evaluate(_slow_object(behaviour)))
        assert time.perf_counter() - start < LIMIT + MARGIN
    _kindly(exercise.evaluate(_raise))  # a function where a value is expected


@each
def test_self_referential_and_deeply_nested_lists(chapter, exercise):
    cycle = []
    cycle.append(cycle)
    deep = []
    for _ in range(5000):
        deep = [deep]
    pair_cycle = [1.0, None]
    pair_cycle[1] = pair_cycle
    assert not framework.is_placeholder(cycle) and not framework.is_placeholder(deep)
    for answer in (cycle, deep, pair_cycle, (cycle, "relu")):
        if exercise.kind == "function":
            _kindly(exercise.evaluate(lambda *args, answer=answer, **kwargs: answer))
        else:
            _kindly(exercise.evaluate(answer))


def _mutate(value):
    if isinstance(value, np.ndarray) and value.flags.writeable:
        value[...] = 7
    elif isinstance(value, list):
        value.clear()
    elif isinstance(value, dict):
        value.clear()
    elif hasattr(value, "parameters"):
        for p in value.parameters():
            p.data[...] = 0.0
    elif hasattr(value, "data") and isinstance(getattr(value, "data"), float):
        value.data = 1e9


@each_function
def test_a_function_that_mutates_its_inputs_cannot_change_the_checker(chapter, exercise):
    reference = exercise.reference_answer()
    snapshot = copy.deepcopy([(c.args, c.kwargs) for c in getattr(exercise, "cases", [])])

    def vandal(*args, **kwargs):
        for value in list(args) + list(kwargs.values()):
            _mutate(value)
        return 0.123

    def careful_then_vandal(*args, **kwargs):
        result = reference(*args, **kwargs)
        for value in list(args) + list(kwargs.values()):
            _mutate(value)
        return result

    _kindly(exercise.evaluate(vandal))
    careful_then_vandal.__name__ = exercise.answer_name
    if chapter != "ch05" or exercise.answer_name != "sin":  # sin's input is made fresh per call, and looked at
        assert exercise.evaluate(careful_then_vandal).passed, str(exercise.last_result)
    assert exercise.evaluate(reference).passed, f"the checker's data changed: {exercise.last_result}"
    for (args, kwargs), case in zip(snapshot, getattr(exercise, "cases", [])):
        for a, b in zip(args, case.args):
            assert np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float))


# ------------------------------------------------------------------------------------------- the feedback ladder

def _significant(text: str) -> int:
    mantissa = re.split(r"[eE]", text.lstrip("-"))[0].replace(".", "").lstrip("0")
    return len(mantissa.rstrip("0")) if "." in text or "e" in text else len(mantissa)


def _forms(value) -> list[str]:
    """Regular expressions for the ways a message could print ``value``."""
    if isinstance(value, str):
        v = re.escape(value)
        if len(value) == 1:
            return [rf"'{v}'", rf'"{v}"', rf"\bline {v}\b", rf"\boption {v}\b", rf"\({v}\)"] + (
                [rf"\b{v}\b"] if value.isupper() else [])
        return [rf"\b{v}\b"]
    if isinstance(value, (tuple, list)) and value and all(isinstance(v, (int, np.integer)) for v in value):
        return [r"(?<![\d.])" + r"\D{1,3}".join(str(v) for v in value) + r"(?![\d.])"]
    if isinstance(value, (tuple, list)):
        return [p for v in value for p in _forms(v)]
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        x = float(value)
        texts = {repr(x), f"{x:g}"} | {f"{x:.{d}f}" for d in range(1, 6)} | {f"{x:.{d}g}" for d in range(1, 6)}
        texts |= {f"{x:.{d}e}" for d in range(1, 4)} | {f"{x:.1e}".replace("e-0", "e-")}
        if x.is_integer():
            texts.add(str(int(x)))
        needed = min(2, _significant(f"{x:g}"))
        texts = {t for t in texts if _significant(t) >= needed and float(t) != 0}
        lead = r"(?<![\d.])" if x < 0 else r"(?<![-\d.])"
        return [lead + re.escape(t) + r"(?![\d]|\.\d)" for t in texts]
    return []


def _expected_of(exercise):
    if isinstance(exercise, ValueExercise):
        return exercise.expected
    if isinstance(exercise, ChoiceExercise):
        return exercise.correct
    return exercise.reference_answer()


def _wrong_answers(exercise):
    answers = [exercise.run_code(code) for code, _ in exercise.mistakes]
    expected = _expected_of(exercise)
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        answers += [expected * 1.5, -expected, expected * 1.2, expected + 1, 0.0, 1000.0, "abc"]
    if isinstance(expected, tuple) and all(isinstance(v, int) for v in expected):
        answers += [tuple(v + 1 for v in expected), expected[::-1], expected[:1], (1, 2, 3)]
    return answers


@each_value
def test_first_miss_never_shows_the_expected_answer(chapter, exercise):
    if _name_of(chapter, exercise) in MANY_RIGHT:
        pytest.skip("many answers are right here: there is no single expected value to hide")
    expected = _expected_of(exercise)
    if isinstance(expected, tuple) and all(isinstance(v, str) for v in expected):
        for answer in _wrong_answers(exercise):
            exercise.reset()
            result = exercise.evaluate(answer)
            assert not result.passed
            for given, right in zip(answer, expected):
                if given != right:
                    assert not re.search(rf"\b{right}\b", result.message), (answer, result.message)
        return
    patterns = _forms(expected)
    if not patterns:  # answers that can be right in many ways (a gate's weights): no single value to hide
        return
    for answer in _wrong_answers(exercise):
        exercise.reset()
        result = exercise.evaluate(answer)
        if result.passed:  # an answer right in another way (any rate that converges)
            continue
        message = result.message.split("not one of the choices:")[0]  # listing the choices gives nothing away
        for pattern in patterns:
            assert not re.search(pattern, message), f"{exercise.title}: {answer!r} got {result.message!r}"


@each
def test_hints_climb_and_end_at_the_solution(chapter, exercise, capsys):
    assert len(exercise.hints) >= 2, f"{exercise.title}: at least a nudge and the method"
    for _ in range(len(exercise.hints) + 1):
        exercise.hint()
    shown = capsys.readouterr().out.strip().split("\n[Hint]")
    assert len(shown) == len(exercise.hints) + 1
    assert "hint 1/" in shown[0] and "Call .hint() again" in shown[0]
    assert ".solution() shows the full answer" in shown[-2] and ".solution() shows the full answer" in shown[-1]
    assert "last hint" in shown[-1]
    if exercise.kind == "value" and _name_of(chapter, exercise) not in MANY_RIGHT:
        for pattern in _forms(_expected_of(exercise)):
            for hint in exercise.hints[:-1]:
                assert not re.search(pattern, hint), f"{exercise.title}: an early hint gives the answer: {hint!r}"
    exercise.solution()
    assert "[Solution]" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------- solutions

def _notebook(chapter: str) -> Path:
    number = chapter[2:]
    return next((ROOT / "notebooks" / "src").glob(f"{number}_*.py"))


def _bound_before(source: str, line: int) -> set[str]:
    """Names bound at the top level of a chapter before ``line``."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if node.lineno >= line:
            break
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


@each
def test_shown_solution_never_imports_the_package_and_uses_only_the_chapters_names(chapter, exercise):
    for code in [exercise.solution_code] + [c for c, _ in exercise.mistakes]:
        assert "nbhelpers" not in code, f"{exercise.title}: a solution or mistake imports the package:\n{code}"
        imports = [n for n in ast.walk(ast.parse(code)) if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert all(not isinstance(n, ast.ImportFrom) for n in imports), code
    source = _notebook(chapter).read_text()
    name = _name_of(chapter, exercise)
    match = re.search(rf"^ex\.{name}\.check\((.*)\)\s*$", source, flags=re.MULTILINE)
    assert match, f"{exercise.title}: chapter {chapter} never calls ex.{name}.check(...)"
    line = source[:match.start()].count("\n") + 1
    bound = _bound_before(source, line)
    missing = set(exercise.context) - bound - {"np", "math"}
    assert not missing, f"{exercise.title}: the solution uses {missing}, which the chapter does not have there"
    for needed in ("np", "math"):
        if re.search(rf"\b{needed}\.", exercise.solution_code):
            assert needed in bound, f"{exercise.title}: the solution uses {needed}, which the chapter lacks there"
    if exercise.kind == "function":
        assert match.group(1).strip() == exercise.answer_name, (
            f"{exercise.title}: the chapter checks {match.group(1)!r}, the solution defines {exercise.answer_name!r}")


def test_fix_loop_as_the_chapter_gives_it_is_not_attempted_yet():
    from nbhelpers import engine
    from nbhelpers.exercises import ch05

    source = _notebook("ch05").read_text()
    block = re.search(r"^def train\(w0, steps, lr\):\n(?:    .*\n)+", source, flags=re.MULTILINE).group(0)
    assert block.strip() == ch05.FIX_LOOP_STARTER.strip(), "the chapter's loop and FIX_LOOP_STARTER differ"
    namespace = {"engine": engine}
    exec(block, namespace)
    result = ch05.fix_loop.evaluate(namespace["train"])
    assert result.status == "not_attempted", str(result)
    assert "still the code as given" in result.message


@pytest.mark.parametrize("chapter", sorted({c for c, _ in EXERCISES}))
def test_chapter_blanks_are_not_attempted(chapter):
    """Every check cell as the chapter gives it (blanks still in): "not attempted", never a red "Not yet"."""
    source = _notebook(chapter).read_text()
    module = importlib.import_module(f"nbhelpers.exercises.{chapter}")
    for ex in module.EXERCISES:
        name = _name_of(chapter, ex)
        match = re.search(rf"^ex\.{name}\.check\(", source, flags=re.MULTILINE)
        cell_start = source.rfind("# %%\n", 0, match.start())
        cell = source[cell_start:match.start()]
        namespace = {"np": np, "math": math, "____": ____, **ex.context}
        exec(compile(cell, f"<{chapter} {name}>", "exec"), namespace)
        argument = re.search(rf"^ex\.{name}\.check\((.*)\)\s*$", source, flags=re.MULTILINE).group(1)
        answer = eval(argument, namespace)  # noqa: S307 - the chapter's own cell
        result = ex.evaluate(answer)
        assert result.status == "not_attempted", f"{chapter} {name}: {result}"
