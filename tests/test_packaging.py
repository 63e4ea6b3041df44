"""packaging/icu_data.py and packaging/elf.py: the spec's size savings, checked on the real
PySide6 libraries without building the frozen app (test_frozen.py does that)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF, Linux only")

sys.path.insert(0, str(ROOT / "packaging"))
import elf  # noqa: E402
import icu_data  # noqa: E402

QT_LIB = Path(__import__("PySide6").__file__).parent / "Qt" / "lib"
ICU_DATA = next(QT_LIB.glob("libicudata.so.*"))


@pytest.mark.parametrize(
    ("name", "size", "kept"),
    [
        ("icudt73l/es.res", 100, True),
        ("icudt73l/es_419.res", 100, True),
        ("icudt73l/en_GB.res", 100, True),
        ("icudt73l/root.res", 100, True),
        ("icudt73l/coll/es.res", 100, True),
        ("icudt73l/coll/ucadata.icu", 10**6, True),
        ("icudt73l/zone/en.res", 100, True),
        ("icudt73l/res_index.res", 100, True),  # looks like a locale, is the index
        ("icudt73l/pool.res", 100, True),
        ("icudt73l/supplementalData.res", 100, True),
        ("icudt73l/zoneinfo64.res", 100, True),
        ("icudt73l/cnvalias.icu", 100, True),
        ("icudt73l/nfkc.nrm", 100, True),
        ("icudt73l/ibm-5348_P100-1997.cnv", 1400, True),  # windows-1252
        ("icudt73l/de.res", 100, False),
        ("icudt73l/coll/zh.res", 100, False),
        ("icudt73l/yue_Hans.res", 100, False),
        ("icudt73l/ca_ES_VALENCIA.res", 100, False),
        ("icudt73l/brkitr/es.res", 100, False),
        ("icudt73l/brkitr/cjdict.dict", 10**6, False),
        ("icudt73l/translit/root.res", 100, False),
        ("icudt73l/curr/es.res", 100, False),
        ("icudt73l/gb18030.cnv", 232816, False),
    ],
)
def test_which_icu_items_stay(name: str, size: int, kept: bool) -> None:
    assert icu_data.keep_item(name, size) is kept


def test_the_package_format_round_trips() -> None:
    blob = ICU_DATA.read_bytes()
    _symbol, offset, size = elf.find_symbol(blob, b"icudt")
    header, items = icu_data.parse_package(blob[offset : offset + size])
    assert len(items) > 3000 and any(name.endswith("/coll/es.res") for name, _ in items)
    rewritten = icu_data.write_package(header, items)
    again_header, again = icu_data.parse_package(rewritten)
    assert again_header == header
    names = [name for name, _ in again]
    assert names == sorted(names, key=str.encode)  # ICU binary-searches the table
    original = dict(items)
    for name, data in again:  # each item whole, padded to 16 bytes
        assert data[: len(original[name])] == original[name]
        assert not data[len(original[name]) :].strip(b"\0")


# What QtCore asks ICU for (its only ICU imports: ucol_*, ucnv_*, u_strTo*, ucal_*).
QT_ICU_USES = r"""
import json
from PySide6.QtCore import QCollator, QDateTime, QLocale, QStringDecoder, QTimeZone
words = ["zorro", "ñandú", "nube", "árbol", "Oso", "avión", "Ñu", "chaleco", "cocina"]
out = {}
for lang in ("es_CO", "es_MX", "es_ES", "en_US", "en_GB", "de_DE", "zh_CN"):
    collator = QCollator(QLocale(lang))
    out["sort " + lang] = sorted(words, key=collator.sortKey)
tz = QTimeZone(b"America/Bogota")
for lang in ("es_CO", "en_US"):
    out["zone " + lang] = tz.displayName(QTimeZone.StandardTime, QTimeZone.LongName, QLocale(lang))
out["upper"] = QLocale("es").toUpper("ñandú straße")
out["lower tr"] = QLocale("tr").toLower("İSTANBUL")
for codec in ("windows-1252", "ISO-8859-15", "IBM850", "KOI8-R", "Shift_JIS"):
    out[codec] = QStringDecoder(codec).isValid()
print(json.dumps(out, ensure_ascii=False))
"""


def qt_icu_answers(preload: Path | None) -> dict:  # type: ignore[type-arg]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if preload:
        env["LD_PRELOAD"] = str(preload)  # same soname: libicuuc binds to this one
    proc = subprocess.run(
        [sys.executable, "-c", QT_ICU_USES], capture_output=True, text=True, env=env,
        timeout=60, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout)


def test_qt_gives_the_same_answers_in_spanish_and_english_with_the_smaller_data(
    tmp_path: Path,
) -> None:
    smaller = icu_data.shrink(ICU_DATA, tmp_path)
    assert smaller.stat().st_size < ICU_DATA.stat().st_size / 5
    assert (
        elf.find_symbol(smaller.read_bytes(), b"icudt")[0]
        == elf.find_symbol(ICU_DATA.read_bytes(), b"icudt")[0]
    )
    assert icu_data.shrink(ICU_DATA, tmp_path) == smaller  # built once, then reused
    full, shrunk = qt_icu_answers(None), qt_icu_answers(smaller)
    differ = {key for key in full if full[key] != shrunk[key]}
    # Only other languages' rules and multi-byte codecs are gone: German and Chinese sort
    # by the root order; Shift_JIS can't be opened (the last assertion also shows that
    # this check tells the full data from the shrunk one).
    assert differ <= {"sort de_DE", "sort zh_CN", "Shift_JIS"}
    assert shrunk["sort es_ES"].index("ñandú") > shrunk["sort es_ES"].index("nube")
    assert shrunk["zone es_CO"] == "hora estándar de Colombia"
    assert shrunk["windows-1252"] and shrunk["KOI8-R"]  # single-byte codecs stay
    assert full["Shift_JIS"] and not shrunk["Shift_JIS"]


def test_needed_reads_the_dynamic_section() -> None:
    assert "libQt6Core.so.6" in elf.needed(QT_LIB / "libQt6Gui.so.6")
    assert elf.needed(ROOT / "pyproject.toml") == []


def test_libraries_nothing_needs_are_dropped() -> None:
    """QtCore's extension module needs libQt6Core and ICU; with no QtWidgets module,
    libQt6Widgets (and its symlink) go, and a plugin keeps what it needs."""
    core_module = next((QT_LIB.parent.parent).glob("QtCore.*so"))
    lib = "PySide6/Qt/lib/"
    entries = [
        ("PySide6/" + core_module.name, str(core_module), "EXTENSION"),
        *[(lib + p.name, str(p), "BINARY") for p in QT_LIB.glob("libicu*.so.*")],
        (lib + "libQt6Core.so.6", str(QT_LIB / "libQt6Core.so.6"), "BINARY"),
        (lib + "libQt6Widgets.so.6", str(QT_LIB / "libQt6Widgets.so.6"), "BINARY"),
        ("libQt6Widgets.so.6", lib + "libQt6Widgets.so.6", "SYMLINK"),
        ("libQt6Core.so.6", lib + "libQt6Core.so.6", "SYMLINK"),
        ("resources/x.json", "x.json", "DATA"),
    ]
    kept = {dest for dest, _, _ in elf.drop_orphans(entries, lambda dest: "/plugins/" in dest)}
    assert lib + "libQt6Widgets.so.6" not in kept and "libQt6Widgets.so.6" not in kept
    assert {lib + "libQt6Core.so.6", "libQt6Core.so.6", "resources/x.json"} <= kept
    assert {lib + p.name for p in QT_LIB.glob("libicu*.so.*")} <= kept


def test_the_menu_entry_installer_points_at_the_untarred_app(tmp_path: Path) -> None:
    """What a user runs once after untarring (packaging/linux/install-desktop-entry.sh),
    in a folder whose path has a space."""
    untarred = tmp_path / "Mis programas" / "alegra-wizard-1.0-linux-x86_64"
    (untarred / "alegra-wizard").mkdir(parents=True)
    app = untarred / "alegra-wizard" / "alegra-wizard"
    app.write_text("#!/bin/sh\n")
    app.chmod(0o755)
    for name in ("alegra-wizard.desktop", "install-desktop-entry.sh"):
        (untarred / name).write_bytes((ROOT / "packaging" / "linux" / name).read_bytes())
    (untarred / "alegra-wizard.png").write_bytes(
        (ROOT / "resources" / "icons" / "alegra-wizard-256.png").read_bytes()
    )
    data = tmp_path / "data"
    env = dict(os.environ, XDG_DATA_HOME=str(data))
    script = str(untarred / "install-desktop-entry.sh")
    subprocess.run(["bash", script], env=env, check=True, capture_output=True, timeout=30)
    entry = (data / "applications" / "alegra-wizard.desktop").read_text()
    assert f'Exec="{app}"' in entry.splitlines()
    assert "Icon=alegra-wizard" in entry.splitlines()
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / "alegra-wizard.png").is_file()
    subprocess.run(
        ["bash", script, "--uninstall"], env=env, check=True, capture_output=True, timeout=30
    )
    assert not (data / "applications" / "alegra-wizard.desktop").exists()


def test_the_committed_icons_are_current_and_well_formed(qapp) -> None:  # type: ignore[no-untyped-def]
    """`make icons` output: each PNG is the SVG rendered now; the ICO and ICNS
    containers list PNG images of the sizes they claim."""
    import importlib.util
    import struct

    from PySide6.QtGui import QImage

    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "scripts" / "make_icons.py")
    assert spec and spec.loader
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    icons = ROOT / "resources" / "icons"
    pngs = {}
    for size in make_icons.SIZES:
        pngs[size] = (icons / f"alegra-wizard-{size}.png").read_bytes()
        committed, now = (
            QImage.fromData(data, "PNG").convertToFormat(QImage.Format.Format_ARGB32)
            for data in (pngs[size], make_icons.render(size))
        )
        assert committed.size() == now.size() and committed.width() == size
        # Rasterizing may round differently on another CPU's SIMD path: allow ±2 per channel.
        worst = max(map(lambda a, b: abs(a - b), committed.constBits(), now.constBits()))
        assert worst <= 2, f"run `make icons` ({size} px differs by {worst})"
    ico = (icons / "alegra-wizard.ico").read_bytes()
    assert ico == make_icons.ico(pngs)
    _reserved, kind, count = struct.unpack_from("<HHH", ico, 0)
    assert (kind, count) == (1, len(make_icons.ICO_SIZES))
    for i in range(count):
        side, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * i)
        image = QImage.fromData(ico[offset : offset + length], "PNG")
        assert image.width() == (side or 256)
    icns = (icons / "alegra-wizard.icns").read_bytes()
    assert icns == make_icons.icns(pngs)
    assert icns[:4] == b"icns" and struct.unpack_from(">I", icns, 4)[0] == len(icns)
