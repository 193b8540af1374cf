"""Importing nbhelpers lets glibc keep freed memory for reuse (``nbhelpers._keep_freed_memory``).

Without it, a training step of the array engine on 1,000 points gave its arrays' memory back to the system and took
it again a page at a time (176 page faults per step, most of the engine's lead over hand-written NumPy at that size).
The test counts page faults, not time: a loop that makes and frees a step's worth of arrays, in a fresh process, with
the setting on and (NBHELPERS_KEEP_MEMORY=0) off.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LOOP = """
import resource
import nbhelpers  # noqa: F401
import numpy as np

def faults_per_round(rounds=30):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(rounds):
        arrays = [np.ones((1000, 64)) for _ in range(8)]  # a training step's worth of 512 kB arrays
        del arrays
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / rounds

faults_per_round(3)  # (the first rounds map the memory once)
print(faults_per_round())
"""


def _faults(keep: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NBHELPERS_KEEP_MEMORY=keep)
    out = subprocess.run([sys.executable, "-c", LOOP], env=env, capture_output=True, text=True, timeout=120, check=True)
    return float(out.stdout.split()[-1])


def _glibc() -> bool:
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (AttributeError, ValueError):
        return False


@pytest.mark.skipif(not _glibc(), reason="the setting is glibc's (Linux); elsewhere nbhelpers leaves the allocator be")
def test_freed_arrays_are_reused_without_page_faults():
    kept, returned = _faults("1"), _faults("0")
    assert kept < 5, f"{kept} page faults per round with nbhelpers' setting: freed memory went back to the system"
    assert returned > 10 * max(kept, 1), (kept, returned)  # glibc's defaults do give it back: what the setting stops

