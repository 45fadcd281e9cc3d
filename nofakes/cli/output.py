"""Writing reports: to stdout, or atomically to a file that is never one of the inputs."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from nofakes.core.errors import Diagnostic, UsageError


def check_output(output: Path | None, protect: Iterable[Path] = ()) -> Path | None:
    """The resolved target of `-o`, or a UsageError if it cannot be written.

    Called before the work starts, so that a bad `-o` does not cost a long audit, and again
    when writing. None (or '-') means stdout.
    """
    if output is None or str(output) == "-":
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
    return target


Writer = Callable[[BinaryIO], None]


def write_output(data: bytes | Writer, output: Path | None, protect: Iterable[Path] = ()) -> None:
    """Write `data` to stdout (None or '-') or atomically to `output`.

    `data` is the bytes, or a function that writes them to a binary stream (so that a
    large report is streamed, never held whole in memory). Refuses to overwrite any path
    in `protect` (the input files): nothing the user gave is lost. The file appears
    complete or not at all (temporary file + rename).
    """
    writer = data if not isinstance(data, bytes) else _bytes_writer(data)
    target = check_output(output, protect)
    if target is None:
        writer(sys.stdout.buffer)
        sys.stdout.flush()
        return
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
        raise UsageError([Diagnostic(str(output), f"cannot write: {exc.strerror or exc}",
                                     expected="a writable path for -o")]) from None
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
