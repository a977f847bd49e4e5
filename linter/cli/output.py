"""Writing reports: files appear whole or not at all, and a failing stdout is one clear line.

Why atomic files: CI uploads `sls-lint.sarif` in a later step, often with `if: always()`. A run
killed by a timeout while writing (or a disk that fills up) must not leave a truncated SARIF or
JUnit file that the upload step then rejects or, worse, half-accepts. The report is written to
a temporary file next to the target and renamed over it, which is atomic on POSIX and Windows.

Why a special error for stdout: `sls-lint check > /dev/full` or a closed pipe used to end in a
Python traceback (and a second "Exception ignored" message when the interpreter flushed stdout
again at exit). Now it is one line on stderr and exit 2, like any other report that could not
be written.
"""

from __future__ import annotations

import errno
import os
import sys

import click

from sls_lint.sources.atomic import write_atomic

__all__ = ["OutputError", "flush_stdout", "write_atomic", "write_stdout"]

EXIT_ERROR = 2


class OutputError(click.ClickException):
    """A report that could not be written: one line on stderr, exit 2 (no usage text)."""

    exit_code = EXIT_ERROR

    def show(self, file: object = None) -> None:
        click.echo(f"sls-lint: {self.format_message()}", err=True)


def write_stdout(text: str, color: bool = False) -> None:
    """`text` on stdout; a write failure (disk full, closed pipe) becomes an `OutputError`."""
    try:
        # click strips ANSI codes when stdout is not a TTY unless told otherwise.
        click.echo(text, nl=False, color=color)
        sys.stdout.flush()
    except OSError as error:
        _silence_stdout()
        raise OutputError(f"cannot write to stdout: {error.strerror or error}") from None


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests)
        pass


_WRITE_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT}


def is_write_error(error: OSError) -> bool:
    """An error of writing to a full disk or a closed pipe (not a missing or unreadable file)."""
    return error.errno in _WRITE_ERRORS and error.filename is None


def report_write_error(error: OSError) -> int:
    """Say that stdout failed, in one line, and give the exit code."""
    _silence_stdout()
    OutputError(f"cannot write to stdout: {error.strerror or error}").show()
    return EXIT_ERROR


def flush_stdout() -> None:
    """Flush stdout before exiting, so a late write error is reported rather than ignored."""
    try:
        sys.stdout.flush()
    except OSError as error:
        _silence_stdout()
        raise OutputError(f"cannot write to stdout: {error.strerror or error}") from None
