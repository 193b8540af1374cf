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

from nbhelpers._meta import __version__  # noqa: E402
from nbhelpers.environment import check_environment, setup_notebook  # noqa: E402

__all__ = ["__version__", "check_environment", "setup_notebook"]
