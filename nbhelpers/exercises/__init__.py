"""Checked exercises: each has ``check(answer)``, ``hint()`` and ``solution()``.

In a chapter::

    from nbhelpers.exercises import ____          # the placeholder you replace
    from nbhelpers.exercises import ch01 as ex

    answer = ____
    ex.predict_output.check(answer)              # "Not attempted yet" until you fill it in
    ex.predict_output.hint()                     # first hint; call again for the next one
    ex.predict_output.solution()

``check`` never raises for a learner's mistake: it shows a message (coloured in Jupyter, plain text
elsewhere) saying whether the answer is correct and, if not, what was expected and what came in.
Exercise *definitions* live in one module per chapter (``ch01``, ``ch02``, ...), each with an
``EXERCISES`` list; the tests run every reference solution and every typical mistake through its checker.
"""

from __future__ import annotations

import html
import inspect
import textwrap
import warnings
from typing import Any, Callable, Sequence

import numpy as np

from nbhelpers.environment import in_kernel

__all__ = [
    "____", "CheckResult", "NotYet", "NotAttempted", "is_placeholder", "Exercise", "ValueExercise",
    "FunctionExercise", "ChoiceExercise", "Case", "show", "compare",
]


class _Placeholder:
    """The blank a learner replaces with an answer."""

    def __repr__(self):
        return "____"

    def __bool__(self):
        return False


#: The placeholder answer: a check on it reports "not attempted yet".
____ = _Placeholder()


class NotYet(Exception):
    """Raised inside a checker to reject an answer with a message for the learner."""


class NotAttempted(Exception):
    """Raised inside a checker when the answer still holds the placeholder."""


# ----------------------------------------------------------------------------------------------- display

_STYLES = {
    # status: (label, symbol, text colour, background) -- symbol + word, so colour is never the only cue
    "correct": ("Correct", "\u2714", "#1a5e20", "#e8f5e9"),
    "incorrect": ("Not yet", "\u2718", "#8a1c1c", "#fdecea"),
    "not_attempted": ("Not attempted yet", "\u2022", "#4a4a4a", "#f2f2f2"),
    "hint": ("Hint", "\u2192", "#0b3d6b", "#e7f0fa"),
    "solution": ("Solution", "\u2192", "#3d2b00", "#fff5e0"),
}


class CheckResult:
    """What a check, hint or solution shows: a status, a title and a message (and optional code)."""

    def __init__(self, status: str, title: str, message: str = "", code: str = ""):
        self.status, self.title, self.message, self.code = status, title, message, code

    @property
    def passed(self) -> bool:
        return self.status == "correct"

    def __str__(self):
        label = _STYLES[self.status][0]
        text = f"[{label}] {self.title}" + (f": {self.message}" if self.message else "")
        if self.code:
            text += "\n" + textwrap.indent(self.code, "    ")
        return text

    def __repr__(self):
        return f"CheckResult({self.status!r}, {str(self)!r})"

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def _repr_html_(self):
        label, symbol, colour, background = _STYLES[self.status]
        body = html.escape(self.message).replace("\n", "<br>")
        code = f"<pre style='margin:.4em 0 0 0;background:#fff;padding:.4em'>{html.escape(self.code)}</pre>" if self.code else ""
        return (
            f"<div style='border-left:5px solid {colour};background:{background};color:{colour};"
            f"padding:.5em .8em;margin:.3em 0;font-family:sans-serif'>"
            f"<b>{symbol} {label}</b> &middot; {html.escape(self.title)}"
            f"{'<br>' + body if body else ''}{code}</div>"
        )


def show(result: CheckResult) -> None:
    """Display ``result``: coloured HTML in Jupyter, plain text anywhere else."""
    if in_kernel():
        from IPython.display import display

        display(result)
    else:
        print(result)


# ----------------------------------------------------------------------------------------------- comparison

def _short(value) -> str:
    """A compact, readable rendering of a value for messages."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, suppress=True, threshold=12, edgeitems=3):
            return np.array2string(value, separator=", ")
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def is_placeholder(value) -> bool:
    """True for ``____`` or ``...``, also inside a tuple, list or dict (an answer not filled in yet)."""
    if isinstance(value, _Placeholder) or value is Ellipsis:
        return True
    if isinstance(value, (tuple, list)):
        return any(is_placeholder(v) for v in value)
    if isinstance(value, dict):
        return any(is_placeholder(v) for v in value.values())
    return False


def compare(got, expected, *, rtol: float = 1e-4, atol: float = 1e-6, what: str = "your answer") -> None:
    """Raise :class:`NotYet` with a helpful message unless ``got`` matches ``expected``.

    Numbers and arrays are compared with a tolerance; strings ignoring case and surrounding spaces;
    anything else with ``==``.
    """
    if is_placeholder(got):
        raise NotAttempted()
    if isinstance(expected, str):
        if not isinstance(got, str):
            raise NotYet(f"{what} should be text such as {expected!r}; got {_short(got)}.")
        if got.strip().lower() != expected.strip().lower():
            raise NotYet(f"{what} is {got!r}.")
        return
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            raise NotYet(f"{what} should be True or False; got {_short(got)}.")
        if bool(got) != bool(expected):
            raise NotYet(f"{what} is {got}, expected {bool(expected)}.")
        return
    if isinstance(expected, (int, float, np.number, np.ndarray, list, tuple)):
        if got is None:
            raise NotYet(f"{what} is None: did you forget a `return` (or to assign the answer)?")
        try:
            g = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            raise NotYet(f"{what} should be numbers like {_short(np.asarray(expected))}; got {_short(got)}.") from None
        e = np.asarray(expected, dtype=float)
        if g.shape != e.shape:
            if g.size == e.size:
                raise NotYet(f"{what} has shape {g.shape}, expected {e.shape}: the numbers may be right but arranged "
                             f"differently (try .reshape{e.shape}).")
            raise NotYet(f"{what} has shape {g.shape}, expected {e.shape}.")
        if np.any(np.isnan(g)) and not np.any(np.isnan(e)):
            raise NotYet(f"{what} contains NaN: {_short(g)} (an overflow, or 0/0, somewhere?).")
        if not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
            raise NotYet(f"{what} is {_short(g)}, expected {_short(e)}.")
        return
    if got != expected:
        raise NotYet(f"{what} is {_short(got)}, expected {_short(expected)}.")


# ----------------------------------------------------------------------------------------------- exercises

class Exercise:
    """An exercise: a checker, hints (several levels) and a reference solution given as code.

    Parameters
    ----------
    title : str
        Short name shown in every message.
    checker : callable(answer) -> str or None, optional
        Raises :class:`NotYet` (a message for the learner) to reject an answer; may return a short remark
        shown with "Correct". Subclasses implement :meth:`_check` instead.
    hints : list of str
        From gentle to nearly-the-answer.
    solution : str
        Python code that sets ``answer_name``. It is what :meth:`solution` shows and what the tests run.
    answer_name : str
        The variable (or function) the solution code defines, e.g. ``"answer"`` or ``"sigmoid"``.
    mistakes : list of str
        Code for typical wrong answers (defining ``answer_name``); the tests check each one is rejected.
    """

    def __init__(self, title: str, *, checker: Callable | None = None, hints: Sequence[str] = (),
                 solution: str = "", answer_name: str = "answer", mistakes: Sequence[str] = ()):
        self.title = title
        self._checker = checker
        self.hints = list(hints)
        self.solution_code = textwrap.dedent(solution).strip()
        self.answer_name = answer_name
        self.mistakes = [textwrap.dedent(m).strip() for m in mistakes]
        self._hints_shown = 0
        self.last_result: CheckResult | None = None

    # -- what subclasses override
    def _check(self, answer) -> str | None:
        if self._checker is None:
            raise NotImplementedError("an Exercise needs a checker")
        return self._checker(answer)

    # -- the learner's API
    def evaluate(self, answer: Any = ____) -> CheckResult:
        """Check ``answer`` and return the :class:`CheckResult` without displaying it."""
        if is_placeholder(answer):
            return CheckResult("not_attempted", self.title, "replace ____ with your answer, then run the cell again.")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # overflow warnings from a learner's code: the message explains
                with np.errstate(all="ignore"):
                    remark = self._check(answer)
        except NotAttempted:
            return CheckResult("not_attempted", self.title, "replace ____ with your answer, then run the cell again.")
        except NotYet as err:
            return CheckResult("incorrect", self.title, f"{err} Try again, or call .hint().")
        except Exception as err:  # the learner's code raised: report it kindly, never re-raise
            return CheckResult("incorrect", self.title,
                               f"checking your answer raised {type(err).__name__}: {err}. Try again, or call .hint().")
        return CheckResult("correct", self.title, remark or "well done.")

    def check(self, answer: Any = ____) -> None:
        """Check ``answer`` and show whether it is correct (and if not, what was expected)."""
        self.last_result = self.evaluate(answer)
        show(self.last_result)

    def hint(self, level: int | None = None) -> None:
        """Show the next hint, or hint number ``level`` (1 = the first)."""
        if not self.hints:
            show(CheckResult("hint", self.title, "no hint for this one: try .solution() if you are stuck."))
            return
        if level is None:
            self._hints_shown = min(self._hints_shown + 1, len(self.hints))
            level = self._hints_shown
        if not isinstance(level, int) or not 1 <= level <= len(self.hints):
            show(CheckResult("hint", self.title, f"there are hints 1 to {len(self.hints)}; you asked for {level!r}."))
            return
        more = " (call .hint() again for the next one)" if level < len(self.hints) else ""
        show(CheckResult("hint", f"{self.title}, hint {level}/{len(self.hints)}", self.hints[level - 1] + more))

    def solution(self) -> None:
        """Show the reference solution as code."""
        show(CheckResult("solution", self.title, "", code=self.solution_code))

    # -- for tests and instructors
    def run_code(self, code: str):
        """Run ``code`` (a solution or a mistake) in a fresh namespace and return its ``answer_name``."""
        namespace = {"np": np, "numpy": np}
        exec(compile(code, f"<{self.title}>", "exec"), namespace)
        if self.answer_name not in namespace:
            raise KeyError(f"the code for {self.title!r} does not define {self.answer_name!r}")
        return namespace[self.answer_name]

    def reference_answer(self):
        """The answer the reference solution produces."""
        return self.run_code(self.solution_code)

    def __repr__(self):
        return f"<{type(self).__name__} {self.title!r}: use .check(answer), .hint(), .solution()>"


class ValueExercise(Exercise):
    """An exercise whose answer is a value: a number, an array, a string or a bool.

    >>> ex = ValueExercise("two plus two", expected=4, solution="answer = 2 + 2")
    >>> ex.evaluate(5).status, ex.evaluate(4).status, ex.evaluate().status
    ('incorrect', 'correct', 'not_attempted')
    """

    def __init__(self, title: str, expected, *, rtol: float = 1e-3, atol: float = 1e-6, **kwargs):
        super().__init__(title, **kwargs)
        self.expected, self.rtol, self.atol = expected, rtol, atol

    def _check(self, answer):
        compare(answer, self.expected, rtol=self.rtol, atol=self.atol)


class Case:
    """One input for a :class:`FunctionExercise`: positional ``args``, optional ``kwargs`` and a ``note``
    shown when the learner's function gets this case wrong (e.g. "large inputs must not overflow")."""

    def __init__(self, *args, note: str = "", **kwargs):
        self.args, self.kwargs, self.note = args, kwargs, note

    def copies(self):
        copy = lambda v: v.copy() if isinstance(v, np.ndarray) else v  # noqa: E731 - the learner may mutate inputs
        return [copy(a) for a in self.args], {k: copy(v) for k, v in self.kwargs.items()}

    def describe(self, names: Sequence[str]) -> str:
        parts = [f"{n}={_short(a)}" for n, a in zip(names, self.args)]
        parts += [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return ", ".join(parts)


class FunctionExercise(Exercise):
    """An exercise whose answer is a function, compared with ``reference`` on every case.

    The message names the first input where the two disagree, with both results.
    """

    def __init__(self, title: str, reference: Callable, cases: Sequence, *, rtol: float = 1e-5, atol: float = 1e-8,
                 **kwargs):
        kwargs.setdefault("answer_name", reference.__name__)
        super().__init__(title, **kwargs)
        self.reference = reference
        self.cases = [c if isinstance(c, Case) else Case(*(c if isinstance(c, tuple) else (c,))) for c in cases]
        self.rtol, self.atol = rtol, atol
        try:
            self._names = list(inspect.signature(reference).parameters)
        except (TypeError, ValueError):
            self._names = []

    def _check(self, answer):
        if not callable(answer):
            raise NotYet(f"expected a function; got {_short(answer)}. Pass the function itself, without "
                         f"parentheses: .check({self.answer_name}).")
        for i, case in enumerate(self.cases):
            args, kwargs = case.copies()
            where = case.describe(self._names)
            try:
                got = answer(*args, **kwargs)
            except NotImplementedError:
                raise NotAttempted() from None
            except Exception as err:
                raise NotYet(f"for {where} your function raised {type(err).__name__}: {err}.") from None
            if is_placeholder(got):
                raise NotAttempted()
            expected = self.reference(*case.copies()[0], **case.copies()[1])
            try:
                compare(got, expected, rtol=self.rtol, atol=self.atol, what="your function's result")
            except NotYet as err:
                note = f" ({case.note})" if case.note else ""
                raise NotYet(f"for {where}{note}, {err}") from None
        return f"your function agrees with the reference on all {len(self.cases)} test inputs."


class ChoiceExercise(Exercise):
    """A multiple-choice question or a prediction: the answer is one of ``options``.

    ``explanations`` maps an option to what to tell a learner who picked it.
    """

    def __init__(self, title: str, options: Sequence, correct, *, explanations: dict | None = None, **kwargs):
        super().__init__(title, **kwargs)
        self.options, self.correct = list(options), correct
        self.explanations = explanations or {}
        if correct not in self.options:
            raise ValueError(f"the correct answer {correct!r} is not among the options {self.options!r}")

    def _normalise(self, answer):
        for option in self.options:
            if isinstance(option, str) and isinstance(answer, str) and option.strip().lower() == answer.strip().lower():
                return option
            if not isinstance(option, str) and not isinstance(answer, str) and option == answer:
                return option
        return None

    def _check(self, answer):
        option = self._normalise(answer)
        if option is None:
            raise NotYet(f"answer with one of {', '.join(map(repr, self.options))}; got {_short(answer)}.")
        if option != self.correct:
            why = self.explanations.get(option, "")
            raise NotYet(f"{option!r} is not it" + (f": {why}" if why else "."))
        return self.explanations.get(option)
