"""Reading back what a run left on disk, for the leak scans (no token in any file)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def files_written_since(roots: Iterable[Path], since: float) -> Iterator[tuple[Path, bytes]]:
    """(path, contents) of every regular file under `roots` modified since `since` (1 s of
    slack for coarse clocks). The temp folder is shared with other processes, whose files and
    folders come and go while we walk: what vanishes or can't be read is skipped, a walk that
    loses a folder goes on (os.walk ignores such errors; Path.rglob raises)."""
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = Path(folder, name)
                try:
                    if not path.is_file() or path.stat().st_mtime < since - 1:
                        continue
                    data = path.read_bytes()
                except OSError:  # sockets, vanished temp files, other users' files
                    continue
                yield path, data
