"""Writing outputs without destroying what they replace.

:func:`write_atomic` writes one output file. What it does depends on what
is at the path:

=====================================  ==============================================
the path names                         what happens
=====================================  ==============================================
nothing, or a regular file             a temporary file beside it is written, synced,
                                       then renamed over it: the file appears
                                       complete or not at all, and a failed run
                                       leaves the old one byte for byte
a symbolic link                        the link is followed (to its end); the file it
                                       names is replaced as above; the link stays
a character or block device, a FIFO    the data is streamed into it, in place: it is
                                       never renamed over, and stays what it was
a directory, a socket                  :class:`~lorekit.OutputError`
=====================================  ==============================================

:func:`write_directory_atomic` writes a directory of files the same way: it
is filled beside the target and renamed into place, so it appears complete
or not at all. Any error (no permission, a full disk, a device that refuses
the data) is an :class:`~lorekit.OutputError` naming the path.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from .errors import OutputError

__all__ = ["write_atomic", "write_directory_atomic"]


def _mode_for(target: Path, *, default: int = 0o666) -> int:
    """The permissions a plain ``open(..., "w")`` (or ``mkdir``) would give: the
    old file's, or ``default`` less the umask (mkstemp alone would make it private)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return default & ~umask


def _error(exc: OSError, target: Path) -> OutputError:
    return OutputError(f"cannot write: {exc.strerror or exc}", file=target)


def write_atomic(path: str | Path, data: str | bytes | Sequence[bytes | memoryview]) -> Path:
    """Write ``data`` (text is UTF-8) to ``path``, never destroying what is there.

    ``data`` may also be a sequence of byte chunks, written one after the other,
    so a big file made of parts need not be joined in memory first.

    A regular file (new, existing, or at the end of a symbolic link) is
    replaced atomically through a temporary file in its directory; a device
    or a FIFO is written in place. See the module docstring for each case.

    Returns
    -------
    Path
        ``path``, as given.

    Raises
    ------
    OutputError
        When the output cannot be written; a regular file is left as it was
        and no temporary file stays behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(target, "hello").read_text()
    'hello'
    >>> write_atomic(target, [b"hel", memoryview(b"lo!")]).read_text()
    'hello!'
    >>> link = target.with_name("link.txt")
    >>> link.symlink_to(target)
    >>> _ = write_atomic(link, "hello again")
    >>> link.is_symlink(), target.read_text()
    (True, 'hello again')
    """
    target = Path(path)
    payload: Sequence[bytes | memoryview] = (
        [data.encode("utf-8")]
        if isinstance(data, str)
        else [data]
        if isinstance(data, bytes)
        else data
    )
    try:
        mode = os.stat(target).st_mode  # follows links: what the data would go into
    except FileNotFoundError:
        mode = None  # nothing there, or a link to nothing: a new file
    except OSError as exc:
        raise _error(exc, target) from exc
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError("cannot write: is a directory", file=target)
    if mode is not None and not stat.S_ISREG(mode):
        _stream(target, payload)
    else:
        _replace(Path(os.path.realpath(target)), payload, shown=target)
    return target


def _stream(target: Path, payload: Sequence[bytes | memoryview]) -> None:
    """Write into a device or FIFO in place, as a shell redirection would."""
    try:
        with open(target, "wb") as handle:  # truncating means nothing to a device
            for chunk in payload:
                handle.write(chunk)
    except OSError as exc:
        raise _error(exc, target) from exc


def _replace(real: Path, payload: Sequence[bytes | memoryview], *, shown: Path) -> None:
    """Replace the regular file ``real`` (not a link) with ``payload``, atomically."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise _error(exc, shown) from exc
    try:
        os.fchmod(fd, _mode_for(real))
        with os.fdopen(fd, "wb") as handle:
            for chunk in payload:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, real)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _error(exc, shown) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_directory_atomic(path: str | Path, files: Iterable[tuple[str, str | bytes]]) -> Path:
    """Write a new directory of ``files`` that appears complete or not at all.

    Parameters
    ----------
    path
        The directory to create. It must not exist, or be empty; a symbolic
        link to one is followed and stays a link.
    files
        ``(name, data)`` pairs: a relative path with ``/`` between parts
        (subdirectories are made) and its content (text is UTF-8). It is
        read only once ``path`` has been checked, so a generator may do the
        work.

    Returns
    -------
    Path
        ``path``, as given.

    Raises
    ------
    OutputError
        When ``path`` is not an empty directory, a name leaves it, or a file
        cannot be written; nothing is left behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "universe"
    >>> _ = write_directory_atomic(out, [("a.yaml", "a: 1\\n"), ("more/b.yaml", "b: 2\\n")])
    >>> sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml"))
    ['a.yaml', 'more/b.yaml']
    """
    target = Path(path)
    real = Path(os.path.realpath(target))
    if real.exists() and (not real.is_dir() or any(real.iterdir())):
        raise OutputError("refusing to write into a directory that is not empty", file=target)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        mode = _mode_for(real, default=0o777)
        staging = Path(tempfile.mkdtemp(prefix=f".{real.name}.", dir=real.parent))
    except OSError as exc:
        raise _error(exc, target) from exc
    try:
        os.chmod(staging, mode)
        for name, data in files:
            _write_member(staging, name, data, target)
        os.replace(staging, real)  # over an empty directory too: one rename
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _error(exc, target) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _write_member(staging: Path, name: str, data: str | bytes, target: Path) -> None:
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise OutputError(f"not a file name inside the directory: {name!r}", file=target)
    dest = staging.joinpath(*parts)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "xb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        handle.flush()
        os.fsync(handle.fileno())
