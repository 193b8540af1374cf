"""nbhelpers: the support package of the course "Neural networks from zero".

One module per concern. The math modules (``activations``, ``neuron``, ``datasets``, ``optim``, ...)
import only NumPy, so they are fast to import and work without a display; ``plotting`` and ``widgets``
sit on top of them. Import what a chapter needs::

    from nbhelpers.neuron import neuron_forward
    from nbhelpers import exercises
"""

from nbhelpers._meta import __version__
from nbhelpers.environment import check_environment, setup_notebook

__all__ = ["__version__", "check_environment", "setup_notebook"]
