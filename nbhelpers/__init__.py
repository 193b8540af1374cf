"""nbhelpers: the support package of the course "Neural networks from zero".

One module per concern. The math modules (``activations``, ``neuron``, ``datasets``, ``optim``, ...)
import only NumPy, so they are fast to import and work without a display; ``plotting`` and ``widgets``
sit on top of them. Import what a chapter needs::

    from nbhelpers.neuron import neuron_forward
    from nbhelpers import exercises
"""

import os

# The course's arrays are small (a few thousand rows at most): splitting a matrix product over several BLAS
# threads only adds overhead, and on a busy machine the waiting threads burn CPU (a 1,000-point, width-64
# training step took 37 times the CPU with two OpenBLAS threads than with one). One thread, unless you chose;
# this takes effect when nbhelpers is imported before NumPy, as every chapter's setup cell does.
for _name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


def _keep_freed_memory() -> None:
    """Let the C allocator keep memory that NumPy frees, to reuse, instead of handing it back to the system.

    A training step of the array engine makes and frees arrays of a few hundred kilobytes each (a layer's outputs
    and their gradients, for 1,000 points). With glibc's defaults, once more than about a megabyte is free at the
    top of the heap it is returned to the system, and the next step's arrays take it back a page at a time: 176
    page faults per step, which made a 1,000-point, width-64 step 1.8 times slower than the same arrays reused
    (2.1 ms against 1.2 ms of CPU). Keeping up to 256 MB free, and taking arrays under 32 MB from the heap rather
    than from fresh mappings, stops that; nothing else changes. glibc only (Linux): elsewhere this does nothing,
    and NBHELPERS_KEEP_MEMORY=0 turns it off.
    """
    if os.environ.get("NBHELPERS_KEEP_MEMORY", "1") == "0":
        return
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):  # (ValueError where there is no such name)
            return
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError, ValueError):  # not glibc (macOS, Windows, musl): leave the allocator be
        return
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # from glibc's malloc.h
    mallopt(M_MMAP_THRESHOLD, 32 * 2**20)  # (the largest it takes on 64-bit systems)
    mallopt(M_TRIM_THRESHOLD, 256 * 2**20)


_keep_freed_memory()

from nbhelpers._meta import __version__  # noqa: E402
from nbhelpers.environment import check_environment, setup_notebook  # noqa: E402

__all__ = ["__version__", "check_environment", "setup_notebook"]
