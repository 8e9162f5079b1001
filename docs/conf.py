"""Sphinx configuration of the bigcommerce-api documentation site.

Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html`` (what ``.ci/checks`` runs).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # autodoc imports the package from this checkout, installed or not

project = "bigcommerce-api"
author = "bigcommerce-api contributors"
copyright = "bigcommerce-api contributors, MIT licence"
release = re.search(r'^__version__ = "([^"]+)"', (ROOT / "bigcommerce" / "__init__.py").read_text(), re.M).group(1)
version = release

extensions = ["sphinx.ext.autodoc"]
exclude_patterns = ["_build"]
root_doc = "index"
html_theme = "alabaster"
html_static_path: list[str] = []

autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
# Signatures show the annotations; the descriptions stay the docstrings' own prose.
autodoc_typehints = "signature"
