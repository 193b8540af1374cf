"""Sphinx configuration of the course website, built by ``python tools/website.py`` (which assembles the pages in
build/site-src/ from the executed chapters and docs/, then runs Sphinx with this folder as its configuration).

Why Sphinx + MyST-NB + the Book theme: all three install from PyPI with pip, like the rest of the course, and build
offline with nothing fetched (Jupyter Book 2 / mystmd downloads its web theme at build time). MyST-NB renders
notebooks with their stored outputs (the chapters are executed once, by tools/website.py), the Book theme gives the
sidebar, search, phone layout and Colab/Binder launch buttons, sphinx-togglebutton folds the exercises' hints and
solutions, and sphinx-mathjax-offline serves MathJax from the site itself instead of a CDN.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nbhelpers import _meta  # noqa: E402

project = "Neural networks from zero"
author = 'The "Neural networks from zero" authors'
copyright = f"2026, {author}"  # noqa: A001 - Sphinx's name
release = version = _meta.__version__

extensions = [
    "myst_nb",
    "sphinx_togglebutton",
    "sphinx-mathjax-offline",  # MathJax 3, copied into _static/mathjax/ (no CDN)
    "sphinx.ext.githubpages",  # writes .nojekyll, so GitHub Pages serves the _static/ and _images/ folders
]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "html_image"]
myst_heading_anchors = 3
nb_execution_mode = "off"  # tools/website.py has run every chapter already (once, with the same checks as CI)
nb_merge_streams = True
nb_ipywidgets_js = {}  # no widget JavaScript from a CDN: panels show their static figure and a note
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["course.css"]
language = "en"
html_last_updated_fmt = None
html_show_sourcelink = False
html_theme_options = {
    "repository_url": _meta.REPOSITORY_URL,
    "repository_branch": _meta.BADGE_REF,
    "path_to_docs": "",
    "use_repository_button": True,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
    "home_page_in_toc": True,
    "show_toc_level": 2,
}
