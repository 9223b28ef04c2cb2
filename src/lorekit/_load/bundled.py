"""Where the bundled John Wick universe lives; light enough for shell completion."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["bundled_data_path"]


def bundled_data_path() -> Path:
    """The directory of the John Wick universe that ships with lorekit.

    Examples
    --------
    >>> (bundled_data_path() / "universe.yaml").is_file()
    True
    """
    packaged = Path(str(resources.files("lorekit"))) / "data" / "john-wick"
    if packaged.is_dir():
        return packaged
    # an editable install from a clone: the data lives at the top of the repository
    return Path(__file__).resolve().parents[3] / "data" / "john-wick"
