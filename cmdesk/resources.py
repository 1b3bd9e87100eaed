"""Where the files in the top-level ``resources/`` folder are found at run time.

From a source checkout (and an editable install) they are read in place. A built wheel
carries them as ``cmdesk/_resources`` (see ``[tool.setuptools]`` in pyproject.toml).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def root() -> Path:
    for candidate in (_PACKAGE / "_resources", _PACKAGE.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("CMDesk's resources folder is missing from this installation.")


def path(*parts: str) -> Path:
    """The path of a resource, e.g. ``path("demo", "corpus.json")``."""
    return root().joinpath(*parts)
