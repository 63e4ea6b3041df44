"""A smaller ICU data library for the frozen Linux app (used by alegra-wizard.spec).

PySide6's wheel ships Qt linked against its own ICU, whose data library
(`libicudata.so.NN`, one symbol `icudtNN_dat` holding ICU's "common data" package) is
31 MiB: a quarter of the frozen app. QtCore calls ICU for only four things: collation
(`ucol_*`), non-Unicode text codecs (`ucnv_*`), locale-aware case mapping
(`u_strToUpper/Lower`, whose tables are compiled into libicuuc) and time-zone display
names (`ucal_*`). So we keep what those read for Spanish and English (and `root`, the
fallback of every locale), plus every non-locale item (normalization, properties,
metadata, the time-zone rules), and drop:

- other languages' locale data (`es*`, `en*` and `root` stay in every tree),
- the trees nothing in Qt reads: break-iterator dictionaries (`brkitr/`; Qt segments
  text itself), transliteration, number spell-out, units and currencies,
- the multi-byte table codecs (`*.cnv` over 16 KiB: Shift-JIS, GB18030, Big5, EUC…:
  4.4 MiB). The single-byte ones (windows-125x, ISO-8859-x, KOI8, IBM code pages) stay
  (0.5 MiB); UTF-8/16/32, Latin-1 and ASCII are algorithmic in ICU's code anyway.

A locale or codec that is gone is not an error to ICU: it falls back to `root` (an
opened converter is simply invalid), as for any locale it does not know.

The package format (ICU's `udata.cpp`, `icupkg`): a data header, then a table of
contents `count, {nameOffset, dataOffset} * count` whose offsets count from the start
of the table, names sorted (ICU binary-searches them), then the items, 16-byte
aligned. We rewrite that table and link the result into a data-only shared library
with binutils (`as`, `ld`), under the same soname and symbol, so libicuuc loads it
unchanged.
"""

from __future__ import annotations

import hashlib
import re
import struct
import subprocess
import tempfile
from pathlib import Path

from elf import find_symbol

KEEP_LANGUAGES = ("es", "en")
DROP_TREES = ("brkitr/", "translit/", "rbnf/", "unit/", "curr/")
# Items whose names look like a locale but are not one.
NOT_LOCALES = frozenset({"res_index.res"})
LOCALE = re.compile(r"^(?P<lang>[a-z]{2,3})(_[A-Za-z0-9]+)*\.res$")
MAX_CODEC_TABLE = 16 * 1024  # single-byte codec tables are 1-15 KiB, multi-byte ones more
FORMAT_VERSION = 2  # bump to rebuild cached libraries after changing the rules


def keep_item(name: str, size: int) -> bool:
    """`name` is a TOC entry such as "icudt73l/coll/es.res", `size` its length."""
    path = name.split("/", 1)[1] if "/" in name else name
    if path.startswith(DROP_TREES):
        return False
    if path.endswith(".cnv"):
        return size <= MAX_CODEC_TABLE
    leaf = path.rsplit("/", 1)[-1]
    match = LOCALE.match(leaf)
    if match is None or leaf in NOT_LOCALES:
        return True
    return match["lang"] in KEEP_LANGUAGES


def parse_package(dat: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(name, item bytes)]) of an ICU common-data package."""
    (header_size,) = struct.unpack_from("<H", dat, 0)
    if dat[2:4] != b"\xda\x27" or dat[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    toc = dat[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    ends = sorted({offset for _, offset in entries} | {len(toc)})
    items = []
    for name_offset, data_offset in entries:
        name = toc[name_offset : toc.index(b"\0", name_offset)].decode("ascii")
        end = ends[ends.index(data_offset) + 1]
        items.append((name, toc[data_offset:end]))
    return dat[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    items = sorted(items, key=lambda item: item[0].encode("ascii"))
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table_size = 4 + 8 * len(items)
    names_end = table_size + len(names)
    data_start = (names_end + 15) & ~15
    entries, blobs, name_offset, data_offset = [], [], table_size, data_start
    for name, blob in items:
        entries.append(struct.pack("<II", name_offset, data_offset))
        name_offset += len(name) + 1
        padded = blob + b"\0" * (-len(blob) % 16)
        blobs.append(padded)
        data_offset += len(padded)
    toc = struct.pack("<I", len(items)) + b"".join(entries) + names
    toc += b"\0" * (data_start - names_end)
    return header + toc + b"".join(blobs)


def link_library(dat: bytes, symbol: str, soname: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "data.bin").write_bytes(dat)
        (folder / "data.s").write_text(
            "\t.section .rodata\n\t.balign 16\n"
            f"\t.globl {symbol}\n\t.type {symbol}, STT_OBJECT\n{symbol}:\n"
            '\t.incbin "data.bin"\n'
            f"\t.size {symbol}, . - {symbol}\n"
            '\t.section .note.GNU-stack,"",%progbits\n'  # "%": "@" starts a comment on ARM
        )
        subprocess.run(["as", "-o", "data.o", "data.s"], cwd=folder, check=True)
        subprocess.run(
            ["ld", "-shared", "-z", "noexecstack", "-soname", soname, "-o", "lib.so", "data.o"],
            cwd=folder,
            check=True,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        (folder / "lib.so").replace(out)


def shrink(source: Path, cache_dir: Path) -> Path:
    """The smaller library for `source` (built once per source file and rules)."""
    elf = source.read_bytes()
    rules = f"{KEEP_LANGUAGES}{DROP_TREES}{MAX_CODEC_TABLE}{FORMAT_VERSION}"
    digest = hashlib.sha256(elf + rules.encode())
    out = cache_dir / digest.hexdigest()[:16] / source.name
    if out.exists():
        return out
    symbol, offset, size = find_symbol(elf, b"icudt")
    header, items = parse_package(elf[offset : offset + size])
    kept = [(name, blob) for name, blob in items if keep_item(name, len(blob))]
    link_library(write_package(header, kept), symbol, source.name, out)
    return out
