"""The one place that names the course's release and where it lives.

Notebooks are generated from ``notebooks/src`` by ``tools/notebooks.py``, which fills these values into the
Colab install line and the badges; a test checks that every notebook agrees with them.
"""

__version__ = "0.1.0"

#: The course repository (GitHub owner/name). Change it here, then run ``python tools/notebooks.py build``.
REPOSITORY = "nn-from-zero/nn-from-zero"
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"
#: The branch or tag the Colab and Binder badges open.
BADGE_REF = "main"
#: What the Colab install cell installs: the release whose text the notebooks were written for.
INSTALL_SPEC = f"nbhelpers @ git+{REPOSITORY_URL}@v{__version__}"

#: Oldest versions the course is tested with (see pyproject.toml); the setup cell checks them.
MINIMUM_VERSIONS = {
    "numpy": "1.26",
    "matplotlib": "3.8",
    "ipywidgets": "7.7",
}
MINIMUM_PYTHON = (3, 10)
