"""The starter pack shipped with CMDesk: ~30 FR/EN replies for common small-business cases."""

from __future__ import annotations

from pathlib import Path

from cmdesk.core.templates.io import Format, load_pack
from cmdesk.core.templates.model import Pack

# resources/ sits beside the cmdesk package in the source tree (and in the frozen app).
STARTER_PACK_PATH = Path(__file__).resolve().parents[3] / "resources" / "templates" / "starter_pack.json"


def load_starter_pack(path: Path | None = None) -> Pack:
    """The starter pack, checked like any import; raises ValueError if the file is damaged."""
    result = load_pack((path or STARTER_PACK_PATH).read_bytes(), Format.JSON)
    if result.pack is None:
        raise ValueError("starter pack: " + "; ".join(str(e) for e in result.errors))
    return result.pack
