"""Writing reports: to stdout, atomically to a regular file that is never one of the inputs, or in
place to anything else (a device, a pipe, a terminal), which is never replaced by a regular file."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from nofakes.core.errors import Diagnostic, UsageError

STDOUT = "-"


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def check_output(output: Path | None, protect: Iterable[Path] = (), *, binary: bool = False) -> Path | None:
    """The resolved target of `-o`, or a UsageError if it cannot be written.

    Called before the work starts, so that a bad `-o` does not cost a long audit, and again
    when writing. None (or '-') means stdout. Binary output (`binary`) is refused on a terminal,
    standard output or a terminal device named by `-o`.
    """
    if output is None or str(output) == STDOUT:
        if binary and stdout_is_terminal():
            raise UsageError([Diagnostic("standard output", "is a terminal, and this report format is binary",
                                         expected="-o FILE, or standard output redirected to a file")])
        return None
    target = output.resolve()
    for path in protect:
        if path.resolve() == target:
            raise UsageError([Diagnostic(str(output), "refusing to overwrite an input file",
                                         expected="an output path different from every input")])
    if target.is_dir():
        raise UsageError([Diagnostic(str(output), "is a directory", expected="a file path for -o")])
    if not target.parent.is_dir():
        raise UsageError([Diagnostic(str(output), f"directory {target.parent} does not exist",
                                     expected="an existing directory")])
    if binary and is_terminal(target):
        raise UsageError([Diagnostic(str(output), "is a terminal, and this report format is binary",
                                     expected="-o FILE (a file, not a terminal device)")])
    return target


def is_terminal(target: Path) -> bool:
    """Is `target` a terminal device (/dev/tty, /dev/pts/3)? Asked of the device opened for reading
    without becoming its controlling terminal and without waiting: nothing is written to it."""
    try:
        if not stat.S_ISCHR(target.stat().st_mode):
            return False
        fd = os.open(target, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return False  # absent, not a character device, or not readable: not a terminal that can be asked
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


Writer = Callable[[BinaryIO], None]


def write_output(data: bytes | Writer, output: Path | None, protect: Iterable[Path] = ()) -> None:
    """Write `data` to stdout (None or '-'), in place to a target that exists and is not a regular
    file (a device, a FIFO, a socket: never replaced), or else atomically to `output`.

    `data` is the bytes, or a function that writes them to a binary stream (so that a
    large report is streamed, never held whole in memory). Refuses to overwrite any path
    in `protect` (the input files): nothing the user gave is lost. A regular file appears
    complete or not at all (temporary file + rename).
    """
    writer = data if not isinstance(data, bytes) else _bytes_writer(data)
    target = check_output(output, protect)
    if target is None:
        writer(sys.stdout.buffer)
        sys.stdout.flush()
        return
    if _is_special(target):
        _write_in_place(writer, target, str(output))
    else:
        _write_atomically(writer, target, str(output))


def _is_special(target: Path) -> bool:
    """Does `target` exist as something other than a regular file (following symlinks)?"""
    try:
        return not stat.S_ISREG(target.stat().st_mode)
    except OSError:
        return False  # absent: a new regular file


def _cannot_write(shown: str, exc: OSError) -> UsageError:
    return UsageError([Diagnostic(shown, f"cannot write: {exc.strerror or exc}", expected="a writable path for -o")])


def _write_in_place(writer: Writer, target: Path, shown: str) -> None:
    try:
        with open(target, "wb") as handle:  # a FIFO blocks here until a reader opens it
            writer(handle)
    except OSError as exc:
        raise _cannot_write(shown, exc) from None


def _write_atomically(writer: Writer, target: Path, shown: str) -> None:
    mode = _mode_for(target)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
        os.chmod(tmp, mode)  # mkstemp makes the file private (0600); a report gets the usual mode
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(shown, exc) from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


def _bytes_writer(data: bytes) -> Writer:
    def write(stream: BinaryIO) -> None:
        stream.write(data)

    return write


def _mode_for(target: Path) -> int:
    """The permission bits a plain `open(target, "w")` would leave: the existing file's, else 0666 - umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
