"""Just enough ELF reading for the spec: section headers, dynamic symbols, DT_NEEDED.

Used to shrink ICU's data library (icu_data.py) and to drop shared libraries that only
the Qt parts we excluded needed (the spec's `drop_orphans`). ELF64 little-endian only:
the Linux x86-64 and aarch64 builds.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

SHT_DYNAMIC = 6
SHT_DYNSYM = 11
DT_NEEDED = 1


class Section(NamedTuple):
    type: int
    addr: int
    offset: int
    size: int
    link: int


def sections(elf: bytes) -> list[Section]:
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("not an ELF64 little-endian file")
    (shoff,) = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    found = []
    for i in range(shnum):
        # name, type, flags, addr, offset, size, link, info, addralign, entsize
        fields = struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize)
        found.append(Section(fields[1], fields[3], fields[4], fields[5], fields[6]))
    return found


def _string(elf: bytes, table: Section, offset: int) -> bytes:
    start = table.offset + offset
    return elf[start : elf.index(b"\0", start)]


def find_symbol(elf: bytes, prefix: bytes) -> tuple[str, int, int]:
    """(name, file offset, size) of the first dynamic symbol whose name starts with
    `prefix` and that is defined in the file."""
    table = sections(elf)
    dynsym = next(s for s in table if s.type == SHT_DYNSYM)
    strtab = table[dynsym.link]
    for i in range(dynsym.size // 24):
        st_name, _info, _other, shndx, value, size = struct.unpack_from(
            "<IBBHQQ", elf, dynsym.offset + i * 24
        )
        name = _string(elf, strtab, st_name)
        if name.startswith(prefix) and 0 < shndx < len(table):
            section = table[shndx]
            return name.decode(), section.offset + value - section.addr, size
    raise ValueError(f"no symbol starting with {prefix!r}")


def needed(path: Path) -> list[str]:
    """The DT_NEEDED entries (sonames) of a shared object or executable; [] if not ELF."""
    elf = path.read_bytes()
    try:
        table = sections(elf)
    except (ValueError, struct.error):
        return []
    names = []
    for dynamic in (s for s in table if s.type == SHT_DYNAMIC):
        strtab = table[dynamic.link]
        for i in range(dynamic.size // 16):
            tag, value = struct.unpack_from("<qQ", elf, dynamic.offset + i * 16)
            if tag == DT_NEEDED:
                names.append(_string(elf, strtab, value).decode())
    return names


def drop_orphans(
    entries: Iterable[tuple[str, str, str]], is_root: Callable[[str], bool]
) -> Iterator[tuple[str, str, str]]:
    """PyInstaller TOC entries (dest, source, kind) without the shared libraries that no
    root needs, directly or through other kept libraries. Roots are what is loaded by
    path rather than by soname: Python extension modules (kind EXTENSION) and the
    BINARY entries `is_root(dest)` names (Qt plugins, libpython). Symlinks follow
    their target's fate."""
    entries = list(entries)
    by_name: dict[str, tuple[str, str, str]] = {}
    for entry in entries:
        if entry[2] == "BINARY":
            by_name.setdefault(entry[0].replace("\\", "/").rsplit("/", 1)[-1], entry)
    wanted: set[str] = set()
    todo = [e for e in entries if e[2] == "EXTENSION" or (e[2] == "BINARY" and is_root(e[0]))]
    while todo:
        dest, source, _kind = todo.pop()
        if dest in wanted:
            continue
        wanted.add(dest)
        todo.extend(by_name[name] for name in needed(Path(source)) if name in by_name)
    kept_names = {d.replace("\\", "/").rsplit("/", 1)[-1] for d in wanted}
    for entry in entries:
        dest, source, kind = entry
        if kind == "BINARY" and dest not in wanted:
            continue
        if kind == "SYMLINK" and source.replace("\\", "/").rsplit("/", 1)[-1] not in kept_names:
            continue
        yield entry
