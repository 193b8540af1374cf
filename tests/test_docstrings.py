"""Every example in every nbhelpers docstring runs and prints what the docstring says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import nbhelpers

MODULES = sorted(m.name for m in pkgutil.walk_packages(nbhelpers.__path__, "nbhelpers."))


def test_modules_were_found():
    assert "nbhelpers.neuron" in MODULES and "nbhelpers.exercises.ch01" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) in {name} fail: run python -m doctest -v"
