"""Checked exercises: each has ``check(answer)``, ``hint()`` and ``solution()``.

In a chapter::

    from nbhelpers.exercises import ____          # the placeholder you replace
    from nbhelpers.exercises import ch01 as ex

    answer = ____
    ex.predict_output.check(answer)              # "Not attempted yet" until you fill it in
    ex.predict_output.hint()                     # first hint; call again for the next one
    ex.predict_output.solution()

What a check promises
---------------------
* It never raises and never hangs for a learner's mistake. The whole check runs under a time limit
  (:data:`settings`.time_limit, 3 seconds; the message says so when it is hit). In the main thread, where the
  platform has ``SIGALRM``, a timer stops the code (it also stops ``time.sleep``); code that swallows the stop
  (a bare ``except:`` in a loop) gets it again inside its ``except`` block until it gives up. Elsewhere (Windows,
  or a check called from another thread) the code runs in a watchdog thread that is stopped by an asynchronous
  exception, and the check returns at the limit even if the thread is stuck in C code (it holds only copies).
  The checker's own heavy work (training the network a learner described) runs in :func:`trusted` blocks that
  do not count against the limit. Everything learner code can raise is caught and explained: ``SystemExit``
  (``sys.exit()``), ``RecursionError``, ``MemoryError``, a ``KeyboardInterrupt`` the code raises itself.
  The kernel's own interrupt button is told apart (during a check its SIGINT goes to the check's own handler):
  the check stops at once, shows "Stopped", restores the timer and the handlers, and lets the interrupt go on,
  so that a "Run All" stops as the learner asked.
* Learner code gets deep copies of everything it is given (inputs, cached models and test sets), so it cannot
  change what the checker compares against. Sizes are checked before any expensive work.
* A first "Not yet" never contains the expected answer: it says what is wrong (type, shape, sign, size, the
  input where it differs). From the second miss on, a function exercise may add what the reference returns for
  that one input. Every typical mistake an exercise lists has its own message.
* Hints climb from a nudge to the method; only the last one may give the answer away, and after the last one
  ``hint()`` says that ``solution()`` shows the full answer. A shown solution never imports the course package's
  version of what the learner is building: it uses the names the notebook already has at that point.

The answer policy (one for the whole course)
--------------------------------------------
**A number** may be a Python ``int`` or ``float``, a NumPy scalar, a 0-d array, or any array or list holding
exactly one number (``[1.4]``, ``np.array([1.4])``). ``True``/``False``, complex numbers, NaN and infinity are not
numbers here. An array of several numbers gets "one number; got 3 numbers". Text is read for what it says,
everywhere and by one rule: ``'0.82'``, ``'9.5e-7'`` and ``'105'`` are those numbers (the "Correct" message notes
that the quotes are not needed); text that does not spell a number, such as ``'two'``, is refused with that
sentence.

**Tolerance follows the precision the notebook asks for or prints**: an answer asked "to two decimals" is right
within half a unit of the second decimal (0.8176 -> 0.82 and 0.8176 both pass); a value the notebook prints with
two significant digits (9.5e-07) is right within half a unit of that second digit. Counts are exact. Floats are
never compared with ``==``. An answer within a few percent (5 %) of the expected value, but outside the tolerance,
gets "close: give more digits" instead of "not it".

**A shape** is a tuple or list of whole numbers, like ``W.shape``: ``(3, 5)`` or ``[3, 5]`` (or the text
``'(3, 5)'``, by the text rule). Whole-valued floats (``3.0``) count as whole numbers; ``(3.002, 5.004)`` is not a
shape. **Layer sizes** are a list of whole numbers, one whole number for a single layer, or the playground's
text ``'16, 16'``.

**A choice** is given by its label. Letters ignore case, spaces, brackets and a leading word "line" or "option":
``"D"``, ``"d"``, ``" line D "`` and ``"(d)"`` are all choice D. Numbered choices (line numbers, counts, learning
rates) are numbers by the number rule: ``5``, ``5.0``, ``np.int64(5)``, ``'5'`` and ``'line 5'`` are all choice
5, and ``6 * 0.1`` is the choice 0.6. Several values asked together (a pair, three names) are a tuple or list, or
comma-separated text.

**A function** answer is the function itself (``.check(f)``, not ``.check(f())``). What it returns is judged like
a number (above) where the reference returns one number, and as an array of the reference's shape where it
returns an array (lists are fine; text is not: a function that returns text has a bug). Test inputs are fair at
the point of the course where the exercise sits: an exercise asks for numerical stability only after the
chapter taught it, and says so in its prompt.

Exercise *definitions* live in one module per chapter (``ch01``, ``ch02``, ...), each with an ``EXERCISES``
list; the tests run every reference solution and every typical mistake through its checker.
"""

from __future__ import annotations

import contextlib
import copy
import html
import inspect
import math
import numbers
import os
import re
import signal
import sys
import textwrap
import threading
import time
import types
import warnings
from typing import Any, Callable, Sequence

import numpy as np

from nbhelpers.environment import in_kernel

__all__ = [
    "____", "CheckResult", "NotYet", "NotAttempted", "is_placeholder", "Exercise", "ValueExercise",
    "FunctionExercise", "ChoiceExercise", "Case", "Diagnosis", "show", "compare", "settings", "call",
    "read_number", "read_shape", "read_sizes", "closeness", "trusted",
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
    """Raised inside a checker to reject an answer with a message for the learner.

    ``later`` is extra help (for example what the reference returns for one input) shown only from the
    learner's second miss of the same exercise on, never on the first.
    """

    def __init__(self, message: str, *, later: str = ""):
        super().__init__(message)
        self.later = later


class NotAttempted(Exception):
    """Raised inside a checker when the answer still holds the placeholder."""


class _TimeUp(BaseException):
    """Raised into learner code when the check's time limit is over (a BaseException: ``except Exception``
    in learner code does not swallow it)."""


class _Settings:
    """Settings of the exercise checks.

    ``time_limit``: seconds a whole check may take (learner code included); the tests make it small.
    ``use_signals``: use SIGALRM where possible (``False`` forces the watchdog-thread fallback).
    """

    def __init__(self):
        self.time_limit = float(os.environ.get("NBHELPERS_EXERCISE_TIME_LIMIT", "3"))
        self.use_signals = True

    def __repr__(self):
        return f"exercise settings(time_limit={self.time_limit:g} s, use_signals={self.use_signals})"


#: The settings every check reads (``settings.time_limit = 1.0`` to change the limit).
settings = _Settings()


# ----------------------------------------------------------------------------------------------- display

_STYLES = {
    # status: (label, symbol, text colour, background) -- symbol + word, so colour is never the only cue
    "correct": ("Correct", "\u2714", "#1a5e20", "#e8f5e9"),
    "incorrect": ("Not yet", "\u2718", "#8a1c1c", "#fdecea"),
    "not_attempted": ("Not attempted yet", "\u2022", "#4a4a4a", "#f2f2f2"),
    "stopped": ("Stopped", "\u25a0", "#4a4a4a", "#f2f2f2"),
    "hint": ("Hint", "\u2192", "#0b3d6b", "#e7f0fa"),
    "solution": ("Solution", "\u2192", "#3d2b00", "#fff5e0"),
}


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (or ? / ! / :)."""
    text = text.strip()
    if text and not re.search(r"[.?!][)\"'`]*$", text):
        text += "."
    return text


def _plain(text: str) -> str:
    """Light markup for the terminal: *emphasis* loses its asterisks; `code` keeps its backticks."""
    return re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", text)


def _rich(text: str) -> str:
    """Light markup for HTML: *emphasis* -> <em>, `code` -> <code>; everything else escaped."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", out)
    out = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"<em>\1</em>", out)
    return out.replace("\n", "<br>")


class CheckResult:
    """What a check, hint or solution shows: a status, a title and a message (and optional code)."""

    def __init__(self, status: str, title: str, message: str = "", code: str = ""):
        self.status, self.title, self.message, self.code = status, title, _sentence(message) if message else "", code

    @property
    def passed(self) -> bool:
        return self.status == "correct"

    @property
    def text(self) -> str:
        """The message as plain text (no markup)."""
        return _plain(self.message)

    def __str__(self):
        label = _STYLES[self.status][0]
        text = f"[{label}] {self.title}" + (f": {_plain(self.message)}" if self.message else "")
        if self.code:
            text += "\n" + textwrap.indent(self.code, "    ")
        return text

    def __repr__(self):
        return f"CheckResult({self.status!r}, {str(self)!r})"

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def _repr_html_(self):
        label, symbol, colour, background = _STYLES[self.status]
        body = _rich(self.message)
        code = (f"<pre style='margin:.4em 0 0 0;background:#fff;color:#222;padding:.4em'>{html.escape(self.code)}</pre>"
                if self.code else "")
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


# ----------------------------------------------------------------------------------------------- safe looks

_MAX_DEPTH = 64
_MAX_ITEMS = 100_000


def _safe(function, *args, default=None):
    """``function(*args)``, or ``default`` if it raises anything (a learner's odd object must not break a check)."""
    try:
        return function(*args)
    except (_TimeUp, KeyboardInterrupt):
        raise
    except BaseException:  # noqa: BLE001 - a message must never fail
        return default


def _short(value) -> str:
    """A compact, readable rendering of a value for messages (never raises, never long)."""
    if isinstance(value, np.ndarray):
        def render():
            with np.printoptions(precision=4, suppress=True, threshold=8, edgeitems=2, linewidth=200):
                text = np.array2string(value, separator=", ").replace("\n", "")
            return re.sub(r"\s+", " ", text)
        text = _safe(render, default=f"an array of shape {value.shape}")
        return text if len(text) <= 90 else f"an array of shape {value.shape}"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return _number_text(float(value))
    if isinstance(value, _Placeholder):
        return "____"
    if isinstance(value, types.FunctionType):
        return f"the function {value.__name__}"
    text = _safe(repr, value, default=None)
    if text is None:
        return f"a {type(value).__name__}"
    return text if len(text) <= 80 else text[:77] + "..."


def _number_text(x: float, digits: int = 4) -> str:
    """A float with ``digits`` significant digits, no trailing-dot noise (96.0 -> '96', 0.81763 -> '0.8176')."""
    if not math.isfinite(x):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.{digits}g}"


def _distinct(a: float, b: float) -> tuple[str, str]:
    """Render two different numbers with just enough digits that they read differently."""
    for digits in range(4, 17):
        ta, tb = _number_text(a, digits), _number_text(b, digits)
        if ta != tb:
            return ta, tb
    return repr(a), repr(b)


def is_placeholder(value) -> bool:
    """True for ``____`` or ``...``, also inside a tuple, list or dict (an answer not filled in yet).

    Safe for any value: self-referential and deeply nested containers are looked at without recursion.
    """
    stack, seen, looked = [(value, 0)], set(), 0
    while stack:
        item, depth = stack.pop()
        if isinstance(item, _Placeholder) or item is Ellipsis:
            return True
        if isinstance(item, (tuple, list, dict)) and depth < _MAX_DEPTH and id(item) not in seen:
            seen.add(id(item))
            children = item.values() if isinstance(item, dict) else item
            for child in children:
                looked += 1
                if looked > _MAX_ITEMS:
                    return False
                stack.append((child, depth + 1))
    return False


def _self_referential_or_deep(value) -> bool:
    """True for containers that hold themselves (a cycle) or nest deeper than any sensible answer."""
    if not isinstance(value, (tuple, list, dict)):
        return False
    on_path: set[int] = set()
    stack = [(value, False)]
    visited = 0
    while stack:
        item, leaving = stack.pop()
        if leaving:
            on_path.discard(id(item))
            continue
        if id(item) in on_path or len(on_path) > _MAX_DEPTH:
            return True
        visited += 1
        if visited > _MAX_ITEMS:
            return False
        on_path.add(id(item))
        stack.append((item, True))
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, False) for c in children if isinstance(c, (tuple, list, dict)))
    return False


def _has_blank(function) -> bool:
    """True when a function's code still refers to the blank ``____`` (also in nested functions)."""
    code = getattr(function, "__code__", None)
    if code is None:
        code = getattr(getattr(function, "__func__", None), "__code__", None)
    stack = [code] if code is not None else []
    while stack:
        c = stack.pop()
        if "____" in c.co_names:
            return True
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return False


def _copy(value):
    """A deep copy of ``value`` for learner code, or the value itself when it cannot be copied."""
    try:
        return copy.deepcopy(value)
    except (_TimeUp, KeyboardInterrupt):
        raise
    except BaseException:  # noqa: BLE001
        return value


# ----------------------------------------------------------------------------------------------- time limit

class _Guard:
    """The running check's clock and interrupt flag."""

    def __init__(self, limit: float):
        self.limit = limit
        self.start = time.perf_counter()
        self.paused_for = 0.0
        self.paused_since = None
        self.fired = False
        self.fired_at = 0.0
        self.escalated = None  # the trace function that was active before an escalation (False: none)
        self.user_interrupt = False

    def expired(self) -> bool:
        if self.paused_since is not None:
            return False
        return time.perf_counter() - self.start - self.paused_for > self.limit

    def on_alarm(self, signum, frame):
        if self not in _ACTIVE:  # a tick after its check ended (it cannot normally come): stop the clock, quietly
            signal.setitimer(signal.ITIMER_REAL, 0, 0)
            return
        if frame is not None and frame.f_code in _CLOCKWORK:
            return  # arming or disarming the clock: a stop here would skip the disarming and leave it armed
        if self.expired():
            if not self.fired:
                self.fired, self.fired_at = True, time.perf_counter()
            elif time.perf_counter() - self.fired_at > 0.2:
                self._escalate(frame)  # the code swallowed the stop (a bare `except:` in a loop?)
            raise _TimeUp()

    def _tracer(self, frame, event, arg):
        # raise again inside any `except` block of learner code that is handling our stop: it cannot swallow it
        if frame.f_globals.get("__name__") != __name__ and isinstance(sys.exc_info()[1], _TimeUp):
            raise _TimeUp()
        return self._tracer

    def _escalate(self, frame):
        """From now on, a stop caught by learner code is raised again in its `except` block."""
        current = sys.gettrace()
        if current == self._tracer:
            return
        if self.escalated is None:
            self.escalated = current or False  # what to give back afterwards (a debugger's, coverage's)
        sys.settrace(self._tracer)
        while frame is not None:
            if frame.f_globals.get("__name__") != __name__:
                frame.f_trace = self._tracer
            frame = frame.f_back

    def calm(self):
        if self.escalated is not None:
            sys.settrace(self.escalated or None)
            self.escalated = None

    def on_interrupt(self, signum, frame):
        self.user_interrupt = True
        raise KeyboardInterrupt()


_ACTIVE: list[_Guard] = []


@contextlib.contextmanager
def trusted():
    """Pause the running check's clock for the checker's own expensive work (for example training a model the
    learner only described). Learner code must never run inside this block."""
    guard = _ACTIVE[-1] if _ACTIVE else None
    if guard is None or guard.paused_since is not None:
        yield
        return
    guard.paused_since = time.perf_counter()
    try:
        yield
    finally:
        guard.paused_for += time.perf_counter() - guard.paused_since
        guard.paused_since = None


def _user_interrupted() -> bool:
    return bool(_ACTIVE) and _ACTIVE[-1].user_interrupt


def _can_use_signals() -> bool:
    return (settings.use_signals and hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
            and threading.current_thread() is threading.main_thread())


def _run_limited(function, *args):
    """Run ``function(*args)`` under the time limit. Returns ``("ok", value)``, ``("timeout", None)`` or
    ``("error", exception)``; a KeyboardInterrupt from the kernel's interrupt button propagates."""
    guard = _Guard(settings.time_limit)
    _ACTIVE.append(guard)
    try:
        if _can_use_signals():
            return _run_with_signals(guard, function, args)
        return _run_in_thread(guard, function, args)
    finally:
        _ACTIVE.remove(guard)


def _run_with_signals(guard, function, args):
    tick = max(0.01, min(0.05, guard.limit / 4))
    old_alarm = signal.signal(signal.SIGALRM, guard.on_alarm)
    old_timer = signal.setitimer(signal.ITIMER_REAL, tick, tick)
    try:
        old_interrupt = signal.signal(signal.SIGINT, guard.on_interrupt)
    except (ValueError, TypeError):
        old_interrupt = None
    try:
        try:
            return "ok", function(*args)
        finally:
            _disarm(old_alarm, old_timer, old_interrupt, guard)
    except _TimeUp:
        return "timeout", None
    except KeyboardInterrupt as err:
        if guard.user_interrupt:
            raise
        return "error", err
    except BaseException as err:  # noqa: BLE001 - everything learner code can raise
        return "error", err


def _disarm(old_alarm, old_timer, old_interrupt, guard):
    for _ in range(100):  # a last tick may land while we disarm: try again
        try:
            signal.setitimer(signal.ITIMER_REAL, 0, 0)
            guard.calm()
            signal.signal(signal.SIGALRM, old_alarm if old_alarm is not None else signal.SIG_DFL)
            if old_interrupt is not None:
                signal.signal(signal.SIGINT, old_interrupt)
            break
        except _TimeUp:
            continue
    if old_timer and old_timer[0] > 0:  # someone else's timer was running: give it back what is left of it
        used = time.perf_counter() - guard.start
        signal.setitimer(signal.ITIMER_REAL, max(old_timer[0] - used, 0.001), old_timer[1])


#: The code that arms and disarms the clock. A tick that lands there does not stop the check: the stop would skip the
#: disarming (under load a tick can land between a check's end and the disarming), leaving the clock armed and the
#: escalated trace function set for whatever runs next.
_CLOCKWORK = frozenset(f.__code__ for f in (_run_limited, _run_with_signals, _disarm, _Guard.calm))


def _async_raise(thread: threading.Thread, exception: type) -> None:
    import ctypes

    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(exception))


# CPython 3.11 hangs a thread that calls sys.settrace while another thread has an async exception pending (it
# does not on 3.10, 3.12, 3.13): there the fallback stops learner code by the async exception alone.
_TRACE = sys.version_info[:2] != (3, 11)
_UNTRACED = ("nbhelpers", "numpy", "threading", "importlib", "warnings", "contextlib", "copy", "_")


def _run_in_thread(guard, function, args):
    box = {}

    def local(frame, event, arg):
        # a stop caught by learner code is raised again in its `except` block (once: Python unsets a trace
        # function that raises, so code that swallows the stop in a loop keeps running in the background)
        if guard.fired and isinstance(sys.exc_info()[1], _TimeUp):
            raise _TimeUp()
        return local

    def tracer(frame, event, arg):
        name = frame.f_globals.get("__name__") or ""
        # only learner code gets line events (a notebook's cells run as "__main__")
        return None if name.startswith(_UNTRACED) and name != "__main__" else local

    def work():
        sys.settrace(tracer) if _TRACE else None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with np.errstate(all="ignore"):
                    box["result"] = ("ok", function(*args))
        except _TimeUp:
            box["result"] = ("timeout", None)
        except BaseException as err:  # noqa: BLE001
            box["result"] = ("error", err)
        finally:
            sys.settrace(None)

    old_size = threading.stack_size()
    try:
        threading.stack_size(64 * 1024 * 1024)  # deep recursion in learner code: room for a RecursionError
    except (ValueError, RuntimeError):
        pass
    try:
        worker = threading.Thread(target=work, name="nbhelpers-check", daemon=True)
        worker.start()
    finally:
        try:
            threading.stack_size(old_size)
        except (ValueError, RuntimeError):
            pass
    try:
        while worker.is_alive():
            worker.join(0.01)
            if guard.expired():
                guard.fired = True
                _async_raise(worker, _TimeUp)
                worker.join(0.2)
                return "timeout", None  # a worker stuck in C code is left behind; it holds only copies
    except KeyboardInterrupt:
        guard.user_interrupt = True
        _async_raise(worker, _TimeUp)
        raise
    return box.get("result", ("timeout", None))


# ----------------------------------------------------------------------------------------------- learner calls

def _explain(err: BaseException) -> str:
    """One sentence about an exception raised by learner code."""
    name = type(err).__name__
    if isinstance(err, SystemExit):
        return ("called sys.exit() (or exit() / quit()), which would stop the whole program: end a function with "
                "`return` instead")
    if isinstance(err, RecursionError):
        return "raised RecursionError: a function calls itself again and again, without end"
    if isinstance(err, MemoryError):
        return "ran out of memory (MemoryError): it builds something far bigger than needed"
    if isinstance(err, KeyboardInterrupt):
        return "raised KeyboardInterrupt itself"
    text = _safe(str, err, default="") or ""
    text = text if len(text) <= 160 else text[:157] + "..."
    if isinstance(err, TypeError) and ("length-1 arrays" in text or "0-dimensional arrays" in text
                                       or "must be real number, not ndarray" in text):
        return (f"raised {name}: {text}. The math module's functions take one number at a time; np.exp (and "
                "NumPy's other functions) work on whole arrays")
    if isinstance(err, TypeError) and "must be real number, not" in text:
        return (f"raised {name}: {text}. math.sin, math.cos and math.exp take a plain number: for a Value, "
                "use its .data")
    if isinstance(err, ValueError) and "could not be broadcast" in text:
        return (f"raised {name}: {text}. The shapes did not line up: a sum or max along an axis drops that axis "
                "unless you pass keepdims=True, which keeps it so the result lines up with the array")
    if isinstance(err, OverflowError) and "math range" in text:
        return (f"raised {name}: {text}. math.exp overflows above about 709; np.exp gives inf instead, "
                "which the formula can then handle")
    return f"raised {name}: {text}" if text else f"raised {name}"


def call(function, *args, where: str = "", copy_inputs: bool = True, **kwargs):
    """Call learner ``function`` on deep copies of the arguments; turn whatever it raises into a kind NotYet.

    ``where`` describes the input for the message ("for x=[1, 2]"). ``NotImplementedError`` means "not attempted".
    ``copy_inputs=False`` for inputs made fresh for this one call, whose identity the checker looks at.
    """
    if copy_inputs:
        args, kwargs = _copy(args), _copy(kwargs)
    try:
        return function(*args, **kwargs)
    except (_TimeUp, NotAttempted):
        raise
    except NotImplementedError:
        raise NotAttempted() from None
    except KeyboardInterrupt as err:
        if _user_interrupted():
            raise
        raise NotYet(f"{where + ' ' if where else ''}your function {_explain(err)}.") from None
    except BaseException as err:  # noqa: BLE001 - everything learner code can raise
        raise NotYet(f"{where + ', ' if where else ''}your function {_explain(err)}.") from None


# ----------------------------------------------------------------------------------------------- answer policy

_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _is_value_object(value) -> bool:
    return hasattr(value, "data") and hasattr(value, "grad") and not isinstance(value, np.ndarray)


def read_number(answer, what: str = "your answer", *, example: str = "0.5") -> float:
    """The answer as one finite float, by the course's number policy, or a NotYet that says what came instead."""
    if is_placeholder(answer):
        raise NotAttempted()
    if answer is None:
        raise NotYet(f"{what} is None: assign a number (did you forget to replace ____, or a `return`?)")
    if isinstance(answer, (bool, np.bool_)):
        raise NotYet(f"{what} is {bool(answer)}, a yes/no value; give a number such as {example}")
    if isinstance(answer, str):
        text = answer.strip().replace("\u2212", "-")
        if _NUMBER_TEXT.match(text):
            return float(text)
        raise NotYet(f"{what} is the text {_short(answer)}, which is not a number; write a number such as {example}")
    if isinstance(answer, (complex, np.complexfloating)):
        raise NotYet(f"{what} is a complex number; give a real number such as {example}")
    if isinstance(answer, types.FunctionType):
        raise NotYet(f"{what} is a function; call it, or give the number itself, such as {example}")
    if _is_value_object(answer):
        raise NotYet(f"{what} is a {type(answer).__name__} object; the number is its .data (or its .grad for a "
                     "gradient)")
    if isinstance(answer, (numbers.Real, np.integer, np.floating)):
        value = float(answer)
    elif isinstance(answer, (np.ndarray, list, tuple)):
        if _self_referential_or_deep(answer):
            raise NotYet(f"{what} is a list that contains itself (or is nested far too deep); give one number "
                         f"such as {example}")
        try:
            array = np.asarray(answer, dtype=float)
        except (TypeError, ValueError, OverflowError, RecursionError):
            raise NotYet(f"{what} should be one number, such as {example}; got {_short(answer)}") from None
        if array.size != 1:
            kind = "an array" if isinstance(answer, np.ndarray) else f"a {type(answer).__name__}"
            raise NotYet(f"{what} should be one number; got {kind} of {array.size} numbers (shape {array.shape})")
        value = float(array.reshape(-1)[0])
    else:
        try:
            value = float(answer)
        except (TypeError, ValueError, OverflowError):
            raise NotYet(f"{what} should be one number, such as {example}; got a {type(answer).__name__}") from None
    if not math.isfinite(value):
        raise NotYet(f"{what} is {value}, not an ordinary finite number (an overflow, or 0/0, somewhere?)")
    return value


def _whole(value, what: str) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise NotYet(f"{what}: {bool(value)} is a yes/no value, not a whole number")
    number = read_number(value, what, example="3")
    if not float(number).is_integer():
        raise NotYet(f"{what}: {_number_text(number, 6)} is not a whole number; shapes and sizes count rows, "
                     "columns and neurons")
    return int(number)


def _split_text(text: str) -> list[str]:
    inner = text.strip().strip("()[]").strip()
    return [part.strip() for part in re.split(r"[,;]|\s+x\s+|\s+", inner) if part.strip()]


def read_shape(answer, what: str = "your answer") -> tuple[int, ...]:
    """The answer as a shape (a tuple of whole numbers), by the course's shape policy."""
    if is_placeholder(answer):
        raise NotAttempted()
    if answer is None:
        raise NotYet(f"{what} is None: assign a shape, a tuple such as (2, 2)")
    if isinstance(answer, str):
        parts = _split_text(answer)
        if not parts:
            raise NotYet(f"{what} is empty text; give a shape, a tuple such as (2, 2)")
        return tuple(_whole(p, f"{what} (in the text {_short(answer)})") for p in parts)
    if isinstance(answer, np.ndarray) and answer.ndim > 1:
        raise NotYet(f"{what} is a whole {answer.ndim}-D array; give its shape (a tuple such as (2, 2); an array's "
                     "shape is .shape)")
    if isinstance(answer, (bool, np.bool_, numbers.Number, np.number)):
        raise NotYet(f"{what} is a single number; a shape has one whole number per axis, in a tuple such as (2, 2)")
    if isinstance(answer, (list, tuple, np.ndarray)):
        if _self_referential_or_deep(answer):
            raise NotYet(f"{what} is a list that contains itself (or is nested far too deep); give a tuple of whole "
                         "numbers such as (2, 2)")
        if len(answer) > 32:
            raise NotYet(f"{what} has {len(answer)} entries; a shape has one whole number per axis")
        return tuple(_whole(v, f"{what}, entry {i + 1}") for i, v in enumerate(answer))
    raise NotYet(f"{what} should be a shape, a tuple of whole numbers such as (2, 2); got a {type(answer).__name__}")


def read_sizes(answer, what: str = "the hidden layer sizes", *, max_layers: int = 8,
               max_width: int = 1024) -> list[int]:
    """Layer sizes: a list of whole numbers, one whole number, or the playground's text ``'16, 16'``.

    Refuses too many layers or too wide a layer at once, before anything is built.
    """
    if is_placeholder(answer):
        raise NotAttempted()
    if answer is None:
        raise NotYet(f"{what} is None: give a list of layer sizes such as [4]")
    if isinstance(answer, str):
        parts = _split_text(answer)
        if len(parts) > max_layers:
            raise NotYet(f"{what} list {len(parts)} layers; stay at {max_layers} or fewer")
        sizes = [_whole(p, what) for p in parts]
    elif isinstance(answer, (bool, np.bool_)):
        raise NotYet(f"{what}: {bool(answer)} is a yes/no value; give a list of layer sizes such as [4]")
    elif isinstance(answer, (numbers.Number, np.number)):
        sizes = [_whole(answer, what)]
    elif isinstance(answer, (list, tuple, np.ndarray)):
        if isinstance(answer, np.ndarray) and answer.ndim > 1:
            raise NotYet(f"{what} should be a flat list of whole numbers such as [4]; got a {answer.ndim}-D array")
        if _self_referential_or_deep(answer):
            raise NotYet(f"{what} is a list that contains itself (or is nested far too deep); give a flat list of "
                         "whole numbers such as [4]")
        if len(answer) > max_layers:
            raise NotYet(f"{what} list {len(answer)} layers; stay at {max_layers} or fewer (two or three are "
                         "plenty here)")
        sizes = [_whole(v, f"{what}, layer {i + 1}") for i, v in enumerate(answer)]
    else:
        raise NotYet(f"{what} should be a list of whole numbers such as [4]; got a {type(answer).__name__}")
    for i, size in enumerate(sizes, start=1):
        if size < 1:
            raise NotYet(f"{what}: layer {i} has {size} neurons; every layer needs at least 1")
        if size > max_width:
            raise NotYet(f"{what}: layer {i} has {size} neurons; stay at {max_width} or fewer")
    return sizes


def closeness(got: float, expected: float, *, digits: int | None = None, decimals: int | None = None,
              rtol: float = 1e-6, atol: float = 1e-12, close: float = 0.05) -> str:
    """``"right"``, ``"close"`` or ``"off"``: ``got`` against ``expected`` at the precision asked for.

    ``decimals``: the notebook asks for (or prints) that many decimals, so half a unit of the last one is fine.
    ``digits``: the notebook prints that many significant digits. Otherwise ``rtol``/``atol``.
    ``close``: the relative distance still called "close: give more digits".
    """
    gap = abs(got - expected)
    if decimals is not None:
        tolerance = 0.5 * 10.0 ** (-decimals)
    elif digits is not None and expected != 0:
        tolerance = 0.5 * 10.0 ** (math.floor(math.log10(abs(expected))) - digits + 1)
    else:
        tolerance = rtol * abs(expected) + atol
    if gap <= tolerance * (1 + 1e-9) + 1e-15:
        return "right"
    if expected != 0 and gap <= close * abs(expected):
        return "close"
    return "off"


def compare(got, expected, *, rtol: float = 1e-4, atol: float = 1e-6, what: str = "your answer") -> None:
    """Raise :class:`NotYet` unless ``got`` matches ``expected``, without ever saying what ``expected`` is.

    Numbers and arrays are compared with a tolerance; strings ignoring case and surrounding spaces.
    The message says what is wrong: type, shape, NaN, sign, a constant factor, too large or too small.
    """
    if is_placeholder(got):
        raise NotAttempted()
    if isinstance(expected, str):
        if not isinstance(got, str):
            raise NotYet(f"{what} should be text; got {_short(got)}")
        if got.strip().lower() != expected.strip().lower():
            raise NotYet(f"{what} is {got!r}, which is not it")
        return
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            raise NotYet(f"{what} should be True or False; got {_short(got)}")
        if bool(got) != bool(expected):
            raise NotYet(f"{what} is {bool(got)}, which is not it")
        return
    e = np.asarray(expected, dtype=float)
    if e.ndim == 0:
        value = read_number(got, what)
        _compare_arrays(np.asarray(value), e, rtol, atol, what)
        return
    if got is None:
        raise NotYet(f"{what} is None: did you forget a `return` (or to assign the answer)?")
    if isinstance(got, str):
        raise NotYet(f"{what} is text ({_short(got)}); it should be numbers")
    if isinstance(got, (list, tuple)) and _self_referential_or_deep(got):
        raise NotYet(f"{what} is a list that contains itself (or is nested far too deep); it should be numbers")
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError, OverflowError, RecursionError):
        raise NotYet(f"{what} should be numbers in an array of shape {e.shape}; got {_short(got)}") from None
    if g.shape != e.shape:
        if g.size == e.size:
            raise NotYet(f"{what} has shape {g.shape}, but it should have shape {e.shape}: the numbers may be right "
                         f"but arranged differently (try .reshape{e.shape})")
        raise NotYet(f"{what} has shape {g.shape}, but it should have shape {e.shape}")
    _compare_arrays(g, e, rtol, atol, what)


def _compare_arrays(g: np.ndarray, e: np.ndarray, rtol: float, atol: float, what: str) -> None:
    if np.any(~np.isfinite(g)) and np.all(np.isfinite(e)):
        bad = "NaN" if np.any(np.isnan(g)) else "infinity"
        raise NotYet(f"{what} contains {bad} (an overflow, or 0/0, somewhere?)")
    if np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
        return
    scalar = e.size == 1
    diff = ~np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
    first = tuple(int(i) for i in np.argwhere(diff)[0]) if g.ndim else ()
    where = "" if scalar else f" (first at index {first[0] if len(first) == 1 else first})"
    gv, ev = float(g[first] if g.ndim else g), float(e[first] if e.ndim else e)
    later_g, later_e = _distinct(gv, ev)
    later = f"The reference gives {later_e} there; yours is {later_g}."
    if np.allclose(g, -e, rtol=rtol, atol=atol):
        raise NotYet(f"{what} has the wrong sign{'' if scalar else ' everywhere'}: right size, opposite direction",
                     later=later)
    nonzero = np.abs(e) > 1e-12
    if np.any(nonzero) and np.all(np.abs(g[~nonzero]) <= atol + 1e-12):
        ratios = g[nonzero] / e[nonzero]
        k = float(np.median(ratios))
        if np.allclose(ratios, k, rtol=1e-6) and k > 0 and abs(k - 1) > 0.01:
            size = "too large" if k > 1 else "too small"
            raise NotYet(f"{what} points the right way but is {size} by a constant factor of about "
                         f"{_number_text(k if k > 1 else 1 / k, 3)}{'' if k > 1 else ' (it is that many times smaller)'}"
                         f": a factor missing or extra in the formula?", later=later)
    if scalar:
        verdict = closeness(gv, ev, rtol=rtol, atol=atol)
        if verdict == "close":
            raise NotYet(f"{what} is close but not within the tolerance: a slightly different formula, or rounding "
                         "too early?", later=later)
        size = "too large" if gv > ev else "too small"
        raise NotYet(f"{what} is {_short(gv)}, which is {size}", later=later)
    raise NotYet(f"{what} differs{where}: yours is {later_g} there, which is "
                 f"{'too large' if gv > ev else 'too small'}", later=later)


# ----------------------------------------------------------------------------------------------- exercises

_NOT_ATTEMPTED = "replace ____ with your answer, then run the cell again"


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
        From a nudge to the method; only the last may give the answer away.
    solution : str
        Python code that sets ``answer_name``. It is what :meth:`solution` shows and what the tests run. It never
        imports the package: it uses the names in ``context``, which the notebook has at that point.
    answer_name : str
        The variable (or function) the solution code defines, e.g. ``"answer"`` or ``"sigmoid"``.
    mistakes : list of (code, fragment)
        Typical wrong answers (code defining ``answer_name``) with a fragment of the message each must get;
        the tests check every one is rejected with its own message.
    context : dict
        Names the notebook already has when the learner answers (e.g. ``{"sigmoid": sigmoid}``): given to the
        solution and mistakes when the tests run them.
    starter : str
        For "fix this code" exercises: the code exactly as the notebook gives it. A function still equal to it
        counts as "not attempted yet", so "Run All" shows no red "Not yet" before the learner has tried.
    kind : str
        ``"value"`` or ``"function"``: what the answer is (the tests try learners' slips of that kind).
    """

    kind = "value"

    def __init__(self, title: str, *, checker: Callable | None = None, hints: Sequence[str] = (),
                 solution: str = "", answer_name: str = "answer", mistakes: Sequence = (),
                 context: dict | None = None, starter: str = "", kind: str | None = None):
        self.title = title
        self._checker = checker
        self.hints = list(hints)
        self.solution_code = textwrap.dedent(solution).strip()
        self.answer_name = answer_name
        self.mistakes = [(textwrap.dedent(m).strip(), "") if isinstance(m, str) else (textwrap.dedent(m[0]).strip(), m[1])
                         for m in mistakes]
        self.context = dict(context or {})
        self.starter = textwrap.dedent(starter).strip()
        if kind is not None:
            self.kind = kind
        self._hints_shown = 0
        self._misses = 0
        self.last_result: CheckResult | None = None

    # -- what subclasses override
    def _check(self, answer) -> str | None:
        if self._checker is None:
            raise NotImplementedError("an Exercise needs a checker")
        return self._checker(answer)

    def _is_starter(self, answer) -> bool:
        if not self.starter or not callable(answer):
            return False
        code = getattr(answer, "__code__", None)
        if code is None:
            return False
        try:
            namespace: dict = {}
            exec(compile(self.starter, "<starter>", "exec"), namespace)
            given = namespace[code.co_name].__code__
        except Exception:  # noqa: BLE001
            return False
        return _same_code(code, given)

    # -- the learner's API
    def evaluate(self, answer: Any = ____) -> CheckResult:
        """Check ``answer`` and return the :class:`CheckResult` without displaying it."""
        if is_placeholder(answer):
            return CheckResult("not_attempted", self.title, _NOT_ATTEMPTED)
        if _self_referential_or_deep(answer):
            self._misses += 1
            return CheckResult("incorrect", self.title, "your answer is a list (or tuple) that contains itself, or is "
                               "nested far too deep to be an answer; build it from plain numbers or text. Try again, "
                               "or call .hint()")
        if callable(answer) and (_has_blank(answer) or self._is_starter(answer)):
            what = ("your function is still the code as given: make your change, then run the cell again"
                    if self._is_starter(answer) else
                    "your function still has a blank ____ in it: replace every ____, then run the cell again")
            return CheckResult("not_attempted", self.title, what)

        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # overflow warnings from a learner's code: the message explains
                with np.errstate(all="ignore"):
                    return self._check(answer)

        try:
            status, value = _run_limited(run)
        except KeyboardInterrupt:
            result = CheckResult("stopped", self.title, "you interrupted the kernel, so this check stopped before "
                                 "it finished. Run the cell again to check your answer")
            self.last_result = result
            show(result)
            raise
        if status == "ok":
            remark = value
            if isinstance(answer, str) and _NUMBER_TEXT.match(answer.strip()):
                remark = _sentence(remark or "well done") + " (You wrote it as text in quotes; a plain number works too.)"
            return CheckResult("correct", self.title, remark or "well done")
        if status == "timeout":
            self._misses += 1
            return CheckResult("incorrect", self.title,
                               f"the check stopped after its time limit of {settings.time_limit:g} s, and your code "
                               "was still running: an endless loop (a `while` whose condition never turns false), a "
                               "`time.sleep`, or far more work than needed? Try again, or call .hint()")
        err = value
        if isinstance(err, NotAttempted):
            return CheckResult("not_attempted", self.title, _NOT_ATTEMPTED)
        self._misses += 1
        if isinstance(err, NotYet):
            text = _sentence(str(err))
            if self._misses > 1 and err.later:
                text += " " + _sentence(err.later)
            return CheckResult("incorrect", self.title, f"{text} Try again, or call .hint()")
        # raised outside a learner call: the answer object itself misbehaved (or, rarely, the checker did)
        return CheckResult("incorrect", self.title,
                           f"checking your answer {_explain(err)}. Try again, or call .hint()")

    def check(self, answer: Any = ____) -> None:
        """Check ``answer`` and show whether it is correct (and if not, what is wrong)."""
        self.last_result = self.evaluate(answer)
        show(self.last_result)

    def hint(self, level: int | None = None) -> None:
        """Show the next hint, or hint number ``level`` (1 = the first)."""
        if not self.hints:
            show(CheckResult("hint", self.title, "no hint for this one: .solution() shows the full answer"))
            return
        if level is None:
            if self._hints_shown >= len(self.hints):
                show(CheckResult("hint", self.title, f"that was the last hint ({len(self.hints)} of "
                                 f"{len(self.hints)}); .solution() shows the full answer. .hint(1) starts again"))
                return
            self._hints_shown += 1
            level = self._hints_shown
        if isinstance(level, bool) or not isinstance(level, (int, np.integer)) or not 1 <= level <= len(self.hints):
            show(CheckResult("hint", self.title, f"there are hints 1 to {len(self.hints)}; you asked for "
                             f"{_short(level)}"))
            return
        level = int(level)
        self._hints_shown = level
        more = (" (Call .hint() again for the next one.)" if level < len(self.hints) else
                " (That was the last hint: .solution() shows the full answer.)")
        show(CheckResult("hint", f"{self.title}, hint {level}/{len(self.hints)}", _sentence(self.hints[level - 1]) + more))

    def solution(self) -> None:
        """Show the reference solution as code."""
        show(CheckResult("solution", self.title, "", code=self.solution_code))

    # -- for tests and instructors
    def run_code(self, code: str):
        """Run ``code`` (a solution or a mistake) in a namespace holding ``context``; return its ``answer_name``."""
        namespace = {"np": np, "numpy": np, "math": math, "____": ____, **self.context}
        exec(compile(code, f"<{self.title}>", "exec"), namespace)
        if self.answer_name not in namespace:
            raise KeyError(f"the code for {self.title!r} does not define {self.answer_name!r}")
        return namespace[self.answer_name]

    def reference_answer(self):
        """The answer the reference solution produces."""
        return self.run_code(self.solution_code)

    def reset(self) -> None:
        """Forget the hints shown and the misses counted (as if the notebook were fresh)."""
        self._hints_shown = 0
        self._misses = 0

    def __repr__(self):
        return f"<{type(self).__name__} {self.title!r}: use .check(answer), .hint(), .solution()>"


def _same_code(a: types.CodeType, b: types.CodeType) -> bool:
    """Two code objects do the same thing (ignoring line numbers and file names)."""
    if a.co_code != b.co_code or a.co_names != b.co_names or a.co_varnames != b.co_varnames:
        return False
    if len(a.co_consts) != len(b.co_consts):
        return False
    for x, y in zip(a.co_consts, b.co_consts):
        if isinstance(x, types.CodeType) and isinstance(y, types.CodeType):
            if not _same_code(x, y):
                return False
        elif isinstance(x, types.CodeType) or isinstance(y, types.CodeType):
            return False
        elif type(x) is not type(y) or x != y:
            if not (isinstance(x, str) and isinstance(y, str) and x.strip() == y.strip()):
                return False
    return True


class ValueExercise(Exercise):
    """An exercise whose answer is a value: a number (``expected`` a float or int) or a shape (a tuple).

    ``decimals`` / ``digits``: the precision the notebook asks for or prints (see :func:`closeness`); counts
    (``expected`` an int) are exact. ``diagnoses`` maps typical wrong values to their own message.

    >>> ex = ValueExercise("two plus two", expected=4, solution="answer = 2 + 2")
    >>> ex.evaluate(5).status, ex.evaluate(4).status, ex.evaluate().status
    ('incorrect', 'correct', 'not_attempted')
    """

    def __init__(self, title: str, expected, *, decimals: int | None = None, digits: int | None = None,
                 rtol: float = 1e-6, atol: float = 1e-12, diagnoses: dict | None = None, example: str = "0.5",
                 what: str = "your answer", remark: str = "", **kwargs):
        super().__init__(title, **kwargs)
        self.expected = expected
        self.decimals, self.digits, self.rtol, self.atol = decimals, digits, rtol, atol
        self.diagnoses = dict(diagnoses or {})
        self.example, self.what, self.remark = example, what, remark

    @property
    def is_shape(self) -> bool:
        return isinstance(self.expected, tuple)

    def _verdict(self, got, expected) -> str:
        if isinstance(expected, tuple):
            return "right" if tuple(got) == expected else "off"
        if isinstance(expected, (int, np.integer)) and not isinstance(expected, bool):
            return "right" if got == expected else ("close" if abs(got - expected) <= 0.05 * abs(expected) else "off")
        return closeness(got, float(expected), digits=self.digits, decimals=self.decimals, rtol=self.rtol,
                         atol=self.atol)

    def _check(self, answer):
        if self.is_shape:
            got = read_shape(answer, self.what)
        else:
            got = read_number(answer, self.what, example=self.example)
            if isinstance(self.expected, (int, np.integer)) and not float(got).is_integer():
                raise NotYet(f"{self.what} is {_number_text(got, 6)}, but a count is a whole number")
        verdict = self._verdict(got, self.expected)
        if verdict == "right":
            return self.remark or None
        for wrong, message in self.diagnoses.items():  # typical wrong values, worked out from rounded numbers too
            if self._verdict(got, wrong) == "right" or (
                    isinstance(wrong, float) and abs(got - wrong) <= 0.02 * abs(wrong) + 1e-12):
                raise NotYet(message)
        shown = str(got) if self.is_shape else _number_text(got, 6)
        if verdict == "close":
            if isinstance(self.expected, (int, np.integer)):
                raise NotYet(f"{self.what} {shown} is close, but a count must be exact: recount each part")
            if self.decimals is not None or self.digits is not None:
                precision = (f"{self.decimals} decimals" if self.decimals is not None else
                             f"{self.digits} significant digits")
                raise NotYet(f"close: {shown} is within a few percent, but not right to {precision}. Keep more "
                             "digits in the steps in between and round only at the end")
            raise NotYet(f"close: {shown} is within a few percent, but not quite it. Give more digits, and round "
                         "only at the end")
        if self.is_shape:
            if len(got) != len(self.expected):
                raise NotYet(f"{shown} has {len(got)} number{'s' if len(got) != 1 else ''}; this shape has "
                             f"{len(self.expected)}, one per axis")
            raise NotYet(f"{shown} is not it: ask what each axis counts")
        if not isinstance(self.expected, (int, np.integer)) and got * float(self.expected) < 0:
            if closeness(-got, float(self.expected), digits=self.digits, decimals=self.decimals, rtol=self.rtol,
                         atol=self.atol) != "off":
                raise NotYet(f"{self.what}, {shown}, has the wrong sign")
            raise NotYet(f"{self.what}, {shown}, is not it (its sign is wrong too)")
        raise NotYet(f"{self.what}, {shown}, is not it")


class Case:
    """One input for a :class:`FunctionExercise`: positional ``args``, optional ``kwargs`` and a ``note``
    shown when the learner's function gets this case wrong (e.g. "large inputs must not overflow")."""

    def __init__(self, *args, note: str = "", **kwargs):
        self.args, self.kwargs, self.note = args, kwargs, note

    def copies(self):
        return _copy(list(self.args)), _copy(dict(self.kwargs))

    def describe(self, names: Sequence[str]) -> str:
        parts = [f"{n}={_short(a)}" for n, a in zip(names, self.args)]
        parts += [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return ", ".join(parts)


class Diagnosis:
    """A typical mistake of a :class:`FunctionExercise`: a function that makes it, and what to tell a learner
    whose function agrees with it on every test input (where it differs from the reference)."""

    def __init__(self, function: Callable, message: str):
        self.function, self.message = function, message


class FunctionExercise(Exercise):
    """An exercise whose answer is a function, compared with ``reference`` on every case.

    The learner's function runs on deep copies of each case. If its results agree with a :class:`Diagnosis`
    on every case, that diagnosis is the message; otherwise the message names the first input where it differs
    and what is wrong there (shape, NaN, sign, a factor, too large or small), and from the second miss on also
    the reference's result for that input.
    """

    kind = "function"

    def __init__(self, title: str, reference: Callable, cases: Sequence, *, rtol: float = 1e-5, atol: float = 1e-8,
                 diagnoses: Sequence[Diagnosis] = (), **kwargs):
        kwargs.setdefault("answer_name", reference.__name__)
        super().__init__(title, **kwargs)
        self.reference = reference
        self.cases = [c if isinstance(c, Case) else Case(*(c if isinstance(c, tuple) else (c,))) for c in cases]
        self.rtol, self.atol = rtol, atol
        self.diagnoses = list(diagnoses)
        try:
            self._names = list(inspect.signature(reference).parameters)
        except (TypeError, ValueError):
            self._names = []

    def _agrees(self, got, expected) -> bool:
        try:
            compare(got, expected, rtol=self.rtol, atol=self.atol)
        except (NotYet, NotAttempted):
            return False
        return True

    def _check(self, answer):
        if not callable(answer):
            raise NotYet(f"expected a function; got {_short(answer)}. Pass the function itself, without "
                         f"parentheses: .check({self.answer_name})")
        results = []
        first_error = None
        for case in self.cases:
            where = f"for {case.describe(self._names)}"
            args, kwargs = case.copies()
            got = call(answer, *args, where=where, **kwargs)
            if is_placeholder(got):
                raise NotAttempted()
            if isinstance(got, str):
                raise NotYet(f"{where} your function returned text, {_short(got)}; it should return numbers")
            expected = self.reference(*case.copies()[0], **case.copies()[1])
            results.append((case, got, expected))
            if first_error is None and not self._agrees(got, expected):
                first_error = (case, got, expected)
        if first_error is None:
            return f"your function agrees with the reference on all {len(self.cases)} test inputs."
        self._diagnose(results)
        case, got, expected = first_error
        where = f"for {case.describe(self._names)}"
        note = f" ({case.note})" if case.note else ""
        try:
            compare(got, expected, rtol=self.rtol, atol=self.atol, what="your function's result")
        except NotYet as err:
            raise NotYet(f"{where}{note}, {err}", later=err.later) from None

    def _diagnose(self, results) -> None:
        for diagnosis in self.diagnoses:
            informative = False
            for case, got, expected in results:
                try:
                    wrong = diagnosis.function(*case.copies()[0], **case.copies()[1])
                except Exception:  # noqa: BLE001
                    break
                if self._agrees(wrong, expected):
                    continue  # this input cannot tell the mistake from the right answer
                if not _same(got, wrong, self.rtol, self.atol):
                    break
                informative = True
            else:
                if informative:
                    raise NotYet(diagnosis.message)


def _same(a, b, rtol: float = 1e-6, atol: float = 1e-10) -> bool:
    """``a`` and ``b`` hold the same numbers (NaN and infinities included), ignoring a size-1 wrapping."""
    if isinstance(a, str) or isinstance(b, str):
        return False
    try:
        x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError, OverflowError, RecursionError):
        return False
    if x.shape != y.shape:
        if x.size == y.size == 1:
            x, y = x.reshape(()), y.reshape(())
        else:
            return False
    return bool(np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True))


class ChoiceExercise(Exercise):
    """A multiple-choice question or a prediction: the answer is one of ``options``.

    Letters and words ignore case, spaces, brackets and a leading "line"/"option"; numbered options follow the
    number policy (``'5'``, ``5.0`` and ``'line 5'`` are 5; ``6 * 0.1`` is 0.6). ``explanations`` maps an option
    to what to tell a learner who picked it (for the correct option: the "Correct" remark).
    """

    def __init__(self, title: str, options: Sequence, correct, *, explanations: dict | None = None, **kwargs):
        super().__init__(title, **kwargs)
        self.options, self.correct = list(options), correct
        self.explanations = explanations or {}
        if correct not in self.options:
            raise ValueError(f"the correct answer {correct!r} is not among the options {self.options!r}")

    @property
    def _numbered(self) -> bool:
        return all(isinstance(o, (int, float)) and not isinstance(o, bool) for o in self.options)

    def _listing(self) -> str:
        return ", ".join(_short(o) if self._numbered else repr(o) for o in self.options)

    def _normalise(self, answer):
        if is_placeholder(answer):
            raise NotAttempted()
        if answer is None:
            raise NotYet(f"your answer is None: pick one of {self._listing()}")
        if isinstance(answer, (list, tuple, np.ndarray)) and not (isinstance(answer, np.ndarray) and answer.ndim == 0):
            if _self_referential_or_deep(answer) or np.size(answer) != 1 or not self._numbered:
                raise NotYet(f"pick a single one of {self._listing()}; got a {type(answer).__name__} of several "
                             "things")
        if self._numbered:
            if isinstance(answer, str):
                answer = re.sub(r"^(line|option|answer|number|no\.?)\s*", "", answer.strip().lower()).strip("()[]. ")
            value = read_number(answer, "your answer", example=_short(self.options[0]))
            for option in self.options:
                if math.isclose(value, float(option), rel_tol=1e-6, abs_tol=1e-12):
                    return option
            raise NotYet(f"{_number_text(value, 6)} is not one of the choices: {self._listing()}")
        if not isinstance(answer, str):
            raise NotYet(f"answer with the label of a choice, as text: one of {self._listing()}; got {_short(answer)}")
        text = answer.strip().lower()
        text = re.sub(r"^(line|option|answer|choice)\s+", "", text).strip("()[].:'\" ")
        for option in self.options:
            if text == str(option).strip().lower():
                return option
        raise NotYet(f"{answer.strip()!r} is not one of the choices: {self._listing()}")

    def _check(self, answer):
        option = self._normalise(answer)
        if option != self.correct:
            why = self.explanations.get(option, "")
            label = _short(option) if self._numbered else repr(option)
            raise NotYet(f"{label} is not it" + (f": {why}" if why else ""))
        return self.explanations.get(option)
