#!/usr/bin/env python3
"""What one copied page costs a forked process on this machine (the price `audit --jobs` pays).

After a fork, the first write to each page a parent and child share makes the kernel copy it, and
in CPython reading an object writes its reference count. This script fills a buffer, forks, and
times the child's first write to each page against the same loop on pages already its own:

    python benchmarks/fork_pages.py            # 1 GiB
    python benchmarks/fork_pages.py --mib 256

It needs `os.fork` (Linux, macOS). Multiply by the page faults an audit's processes take
(`resource.getrusage(...).ru_minflt`, parent and children) for the time the copies cost.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

PAGE = resource.getpagesize()


def touch(buffer: bytearray, value: int) -> float:
    started = time.perf_counter()
    for offset in range(0, len(buffer), PAGE):
        buffer[offset] = value
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=1024, help="buffer size in MiB (default 1024)")
    args = parser.parse_args()
    buffer = bytearray(args.mib << 20)
    touch(buffer, 1)  # every page is this process's own
    own = touch(buffer, 2)
    pages = len(buffer) // PAGE
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        copied = touch(buffer, 3)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        os.write(writer, f"{copied} {faults}".encode())
        os._exit(0)
    os.close(writer)
    copied_text, faults_text = os.read(reader, 100).decode().split()
    os.waitpid(pid, 0)
    copied, faults = float(copied_text), int(faults_text)
    print(f"{pages:,} pages of {PAGE} bytes: own pages {own:.3f} s, shared pages after the fork {copied:.3f} s "
          f"({faults:,} page faults): {(copied - own) / pages * 1e6:.1f} us per copied page")


if __name__ == "__main__":
    main()
