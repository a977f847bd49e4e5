"""Files that appear whole or not at all: written to a temporary file, then renamed.

Why: CI uploads reports (SARIF, JUnit) and baselines in a later step, often with
`if: always()`. A run killed by a timeout while writing (or a disk that fills up) must not leave
a truncated file that the upload then rejects or half-accepts; `os.replace` is atomic on POSIX
and Windows, so readers see the previous file or the new one.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def write_atomic(target: Path, text: str) -> None:
    """Write `text` to `target` through a temporary file in the same directory, then rename.

    A target that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written in
    place: renaming over it would replace the device with a file. A symbolic link is followed,
    so the link stays and the file it names is replaced.
    """
    import tempfile

    real = Path(os.path.realpath(target))
    try:
        mode = os.stat(real).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "w", encoding="utf-8") as stream:
            stream.write(text)
        return
    target = real
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        _keep_mode(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _keep_mode(target: Path, temporary: str) -> None:
    """The new file gets the old file's permissions, or the umask's default (not mkstemp's 0600)."""
    try:
        mode = os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temporary, mode)
