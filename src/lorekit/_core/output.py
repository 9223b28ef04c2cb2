"""Writing output files atomically: a failed run leaves no half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError

__all__ = ["write_atomic"]


def _mode_for(target: Path) -> int:
    """The permissions a plain ``open(..., "w")`` would give: the old file's, or
    0666 less the umask (mkstemp alone would make the file private)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    The file appears complete or not at all; an existing file is replaced only
    once the new content is on disk.

    Raises
    ------
    OutputError
        When the file cannot be written; nothing is left behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(target, "hello").read_text()
    'hello'
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", file=target) from exc
    try:
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror}", file=target) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
