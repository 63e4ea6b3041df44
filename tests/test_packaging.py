"""packaging/icu_data.py and packaging/elf.py: the spec's size savings, checked on the real
PySide6 libraries without building the frozen app (test_frozen.py does that)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, inno

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


# --- the spec on every platform -------------------------------------------------------------

SPEC_RECORDER = r"""
import json, sys, types
from pathlib import Path
import PyInstaller.utils.hooks  # imported on the real platform, before pretending

platform, spec, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
made = []
signed = []


# PyInstaller.utils.osx.sign_binary (macholib, codesign: macOS only), recorded with what
# the signed folder held at that moment.
def sign_binary(filename, identity=None, entitlements_file=None, deep=False):
    files = sorted(str(p.relative_to(filename)) for p in Path(filename).rglob("*"))
    signed.append({"path": Path(filename).name, "identity": identity, "deep": deep,
                   "files": files})


sys.modules["PyInstaller.utils.osx"] = types.SimpleNamespace(sign_binary=sign_binary)


class Target:
    def __init__(self, *args, **kw):
        self.args, self.kw = args, kw
        self.name = str(out / kw.get("name", type(self).__name__))
        self.toc = []
        made.append(self)


class Analysis(Target):
    def __init__(self, scripts, **kw):
        super().__init__(scripts, **kw)
        self.scripts, self.pure, self.binaries, self.datas = scripts, [], [], []


class PYZ(Target): pass
class EXE(Target): pass
class BUNDLE(Target):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        (Path(self.name) / "Contents" / "MacOS").mkdir(parents=True, exist_ok=True)


class COLLECT(Target):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        Path(self.name).mkdir(parents=True, exist_ok=True)


sys.platform = platform
code = compile(Path(spec).read_text(encoding="utf-8"), spec, "exec")
names = dict(Analysis=Analysis, PYZ=PYZ, EXE=EXE, COLLECT=COLLECT, BUNDLE=BUNDLE,
             SPECPATH=str(Path(spec).parent), workpath=str(out / "work"))
exec(code, names)
report = {"exes": [], "collected": [], "bundle": None, "links": {}, "signed": signed,
          "plist": None, "identities": []}
for target in made:
    if isinstance(target, EXE):
        report["exes"].append([Path(target.name).name, target.kw["console"], target.kw.get("icon")])
        report["identities"].append(target.kw.get("codesign_identity"))
    if isinstance(target, COLLECT):
        report["collected"] = [Path(a.name).name for a in target.args if isinstance(a, EXE)]
        report["collected"] += [Path(x.name).name for a in target.args if isinstance(a, list)
                                for x in a if isinstance(x, EXE)]
    if isinstance(target, BUNDLE):
        report["bundle"] = [Path(target.name).name, target.kw["bundle_identifier"]]
        report["plist"] = target.kw["info_plist"]
for link in out.rglob("*"):
    if link.is_symlink():
        report["links"][str(link.relative_to(out))] = str(link.readlink())
print(json.dumps(report))
"""


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_the_spec_makes_a_console_and_a_windowed_program_where_it_matters(
    platform: str, tmp_path: Path
) -> None:
    """The committed spec, run with PyInstaller's build steps recorded instead of built:
    Windows gets a windowed alegra-wizard.exe and a console alegra-wizard-cli.exe (what
    cmd.exe and PowerShell need to wait for it, show its output and read its exit code);
    macOS and Linux, where a program has no such flag, get alegra-wizard-cli as a link.
    (test_frozen.py builds the Linux folder for real and runs both names.)"""
    proc = subprocess.run(
        [sys.executable, "-c", SPEC_RECORDER, platform,
         str(ROOT / "packaging" / "alegra-wizard.spec"), str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    exes = {name: (console, icon) for name, console, icon in report["exes"]}
    assert set(report["collected"]) == set(exes)
    assert report["identities"] == [None] * len(exes)  # ad hoc without MACOS_CODESIGN_IDENTITY
    if platform == "win32":
        assert set(exes) == {"alegra-wizard", "alegra-wizard-cli", "alegra-wizard-keyring-check"}
        assert exes["alegra-wizard"][0] is False  # windowed
        assert exes["alegra-wizard-cli"][0] is True and exes["alegra-wizard-keyring-check"][0]
        assert exes["alegra-wizard"][1] == exes["alegra-wizard-cli"][1]
        assert exes["alegra-wizard"][1].endswith("alegra-wizard.ico")
        assert report["links"] == {}
    else:
        assert set(exes) == {"alegra-wizard", "alegra-wizard-keyring-check"}
        # macOS: the app is windowed (a console app's bundle is LSBackgroundOnly: no Dock
        # icon, no menu bar); Linux executables have no such flag.
        assert exes["alegra-wizard"][0] is (platform == "linux")
        assert exes["alegra-wizard-keyring-check"][0] is True
        folders = ["alegra-wizard"]
        if platform == "darwin":
            folders.append("Alegra Wizard.app/Contents/MacOS")
        assert report["links"] == {f"{f}/alegra-wizard-cli": "alegra-wizard" for f in folders}
    if platform == "darwin":
        assert report["bundle"] == ["Alegra Wizard.app", "com.alegra-wizard.app"]
        # COLLECT and BUNDLE take `console` from the last EXE (the keyring check, a console
        # program): Info.plist says it outright.
        assert report["plist"]["LSBackgroundOnly"] is False
        # BUNDLE signed the .app before the CLI's link was added: the spec signs it again,
        # the whole bundle, with the link inside.
        last = report["signed"][-1]
        assert last["path"] == "Alegra Wizard.app" and last["deep"] is True
        assert "Contents/MacOS/alegra-wizard-cli" in last["files"]
    else:
        assert report["signed"] == [] and report["plist"] is None


@pytest.mark.keyring
def test_the_keyring_check_works_from_source() -> None:
    """packaging/keyring_check.py against the store's current API, without a frozen build
    (a fast run skips test_frozen.py, which runs it from the bundle)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "keyring_check.py")],
        capture_output=True, text=True, timeout=60, check=False, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["stored"] and report["read_back"] and report["removed"], report
    assert report["session"] == "encrypted"  # the real cryptography, from source


# --- the Windows installer script (Inno Setup can't run here: its structure is checked) ---

ISS = ROOT / "packaging" / "windows" / "alegra-wizard.iss"


@pytest.fixture(scope="module")
def iss() -> inno.Script:
    return inno.read(ISS.read_text(encoding="utf-8"))


def test_the_installer_script_reads_cleanly(iss: inno.Script) -> None:
    """What ISCC would reject: unknown sections, directives, parameters, flags, constants,
    delete types; preprocessor blocks; messages missing in a language."""
    errors = list(iss.errors)
    known = {"Setup", "Languages", "CustomMessages", "Tasks", "Files", "InstallDelete", "Icons",
             "UninstallDelete", "Run", "Code"}  # fmt: skip
    errors += [f"unknown section [{s}]" for s in set(iss.sections) - known]
    errors += [f"unknown [Setup] directive {k}" for k in set(iss.setup()) - inno.SETUP_DIRECTIVES]
    opened = sum(d.split()[0] in ("#if", "#ifdef", "#ifndef") for d in iss.directives)
    errors += [] if opened == sum(d.split()[0] == "#endif" for d in iss.directives) else ["#if"]
    messages = iss.messages()
    languages = {e["Name"] for e in iss.entries("Languages")}
    assert languages == {"es", "en"}
    errors += [f"message {n} not in {languages - set(t)}" for n, t in messages.items()
               if set(t) != languages]  # fmt: skip
    values = list(iss.setup().values())
    for section in inno.PARAMETERS:
        for entry in iss.entries(section):
            errors += [f"[{section}] {p}?" for p in set(entry) - inno.PARAMETERS[section]]
            errors += [f"[{section}] needs {p}" for p in inno.REQUIRED[section] - set(entry)]
            flags = set(entry.get("Flags", "").split())
            errors += [f"[{section}] flag {f}?" for f in flags - inno.FLAGS.get(section, set())]
            if "Type" in entry and entry["Type"] not in inno.DELETE_TYPES:
                errors.append(f"[{section}] Type {entry['Type']}?")
            values += entry.values()
    _defined, strings, pascal_errors = inno.check_pascal(iss.code)
    for value in values + strings:
        for constant in inno.constants(value):
            kind, _, rest = constant.partition(":")
            if constant.startswith("#"):
                ok = constant == "#AppVersion"
            elif kind == "cm":
                ok = rest.split(",")[0] in set(messages) | inno.BUILTIN_MESSAGES
            elif kind == "param":
                ok = bool(re.fullmatch(r"[A-Z]+\|.*", rest))
            else:
                ok = constant in inno.CONSTANTS
            errors += [] if ok else [f"constant {{{constant}}}?"]
    assert not errors + pascal_errors, errors + pascal_errors


def test_the_checker_catches_what_it_is_for() -> None:
    """The reader is not a rubber stamp: each kind of mistake it exists for is reported."""
    broken = inno.read(
        '[Setup]\nAppNmae=x\n[Files]\nSource: "a"; DestDir: "{ap}"; Flags: nowiat\n'
        "[Code]\nprocedure A();\nbegin\n  UTF8Decode('x');\n  if True then begin\nend;\n"
    )
    assert set(broken.setup()) - inno.SETUP_DIRECTIVES == {"AppNmae"}
    entry = broken.entries("Files")[0]
    assert set(entry["Flags"].split()) - inno.FLAGS["Files"] == {"nowiat"}
    assert inno.constants(entry["DestDir"]) == ["ap"]
    _, _, errors = inno.check_pascal(broken.code)
    assert any("UTF8Decode" in e for e in errors) and any("not closed" in e for e in errors)
    assert inno.parse_entry('Name: "a ""b"""; Flags: x', []) == {"Name": 'a "b"', "Flags": "x"}


def test_the_installer_waits_for_the_wizard_and_reads_its_result(iss: inno.Script) -> None:
    """Issue 16's contract for the installer, as the script states it: no `nowait` run
    entry; the wizard run from [Code] and waited for, as the user who started Setup, with
    --result-json; 0/16/19 each handled; a silent install leaves «Conectar con Alegra»."""
    assert not any("nowait" in e.get("Flags", "") for e in iss.entries("Run"))
    code = iss.code
    run_wizard = code[code.index("procedure RunWizard") : code.index("function SafeForCmd")]
    assert "ExecAsOriginalUser(ExpandConstant('{app}\\alegra-wizard.exe')" in run_wizard
    assert "ewWaitUntilTerminated" in run_wizard and "--result-json" in run_wizard
    for name, value in (("ExitSaved", 0), ("ExitSaveFailed", 16), ("ExitCancelled", 19)):
        assert re.search(rf"\b{name} = {value};", code)
        assert re.search(rf"^\s*{name}:\s*$", run_wizard, re.M), name
    assert "JsonLiteral(Json, 'saved') = 'true'" in run_wizard
    assert iss.messages()["ConnectEntry"]["es"] == "Conectar con Alegra"
    steps = code[code.index("procedure CurStepChanged") :]
    assert re.search(r"else if WizardSilent\(\) then\s+//[^\n]*\n\s+LeaveConnectEntry", steps)
    uninstall = iss.entries("UninstallDelete")
    assert {"Type": "files", "Name": "{group}\\{cm:ConnectEntry}.lnk"} in uninstall


def test_an_unattended_install_logs_in_without_the_token_on_a_command_line(
    iss: inno.Script,
) -> None:
    """/EMAIL= and /TOKENFILE=: `alegra-wizard-cli.exe login --token-stdin` reads the file
    as its standard input (cmd.exe's "<"); the script never reads the file, and neither
    Setup's nor the CLI's command line carries the token."""
    code = iss.code
    login = code[code.index("procedure RunLogin") : code.index("procedure CurStepChanged")]
    assert "{param:EMAIL|}" in code and "{param:TOKENFILE|}" in code
    assert "alegra-wizard-cli.exe') + '\" login --json'" in login
    assert "' --token-stdin < \"' + TokenFile + '\"" in login
    assert "ExecAsOriginalUser(ExpandConstant('{cmd}')" in login
    assert "ewWaitUntilTerminated" in login and "SW_HIDE" in login
    assert "LoadString" not in login  # the token file is cmd.exe's to open, not ours
    assert not re.search(r"--token\b(?!-stdin)", code)
    # Quotes and % would break out of cmd.exe's quoting: refused before anything runs.
    assert login.index("SafeForCmd(Email") < login.index("ExecAsOriginalUser")


def test_a_relative_token_file_is_the_callers_and_results_reach_an_elevated_setup(
    iss: inno.Script,
) -> None:
    """Issue 26: a relative /TOKENFILE is made absolute once, at start-up (Setup runs in
    the caller's folder; cmd.exe runs in {app}), and the existence check and cmd.exe's "<"
    use that one path. The wizard's and login's result files go where the user Setup runs
    them as can write: an elevated Setup's {tmp} admits administrators only; a missing
    result is said, not taken for a failure to start."""
    code = iss.code
    start = code[code.index("function InitializeSetup") : code.index("function ResultPath")]
    assert "TokenFile := ExpandFileName(TokenFile);" in start
    assert code.count("{param:TOKENFILE|}") == 1  # read once, there
    login = code[code.index("procedure RunLogin") : code.index("procedure CurStepChanged")]
    assert "FileExists(TokenFile)" in login and "< \"' + TokenFile + '\"" in login
    where = code[code.index("function ResultPath") : code.index("function Lang")]
    assert re.search(r"if IsAdminInstallMode\(\) then\s+Result := GetTempDir\(\)", where)
    wizard = code[code.index("procedure RunWizard") : code.index("function SafeForCmd")]
    assert "ResultFile := ResultPath('result.json');" in wizard
    assert "Output := ResultPath('login.json');" in login
    assert "{cm:NoResult}" in wizard and "{tmp}\\alegra-wizard-result" not in code


def test_the_installer_names_files_that_exist(iss: inno.Script) -> None:
    """Files outside the build (icon, language files); the build's own names are checked
    against the frozen folder in tests/test_frozen.py."""
    setup = iss.setup()
    assert (ISS.parent / setup["SetupIconFile"].replace("\\", "/")).is_file()
    sources = [e["Source"] for e in iss.entries("Files")]
    assert sources == ["..\\..\\dist\\alegra-wizard\\*"]
    assert all(e["MessagesFile"].startswith("compiler:") for e in iss.entries("Languages"))


# --- the release workflow (runs on a forge's runners, not here) ---------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def test_the_release_workflow_is_valid() -> None:
    """GitHub's workflow schema (check-jsonschema's vendored copy, offline, pinned in
    pyproject.toml's dev extras)."""
    checker = Path(sys.executable).parent / "check-jsonschema"
    proc = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_release_workflow_builds_and_tests_on_each_platform() -> None:
    from ruamel.yaml import YAML

    flow = YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = flow["jobs"]
    assert set(jobs) == {"linux", "windows", "macos"}
    scripts = {
        name: "\n".join(s.get("run", "") for s in job["steps"]) for name, job in jobs.items()
    }
    assert jobs["windows"]["runs-on"].startswith("windows")
    assert jobs["macos"]["runs-on"] == "${{ matrix.runner }}"
    runners = jobs["macos"]["strategy"]["matrix"]["include"]
    assert runners and all(row["runner"].startswith("macos") for row in runners)
    assert (
        "tests/test_frozen.py tests/test_deb.py" in scripts["linux"]
        and "make dist" in scripts["linux"]
    )
    for name in ("windows", "macos"):
        assert (
            "packaging/smoke_frozen.py".replace("/", "\\" if name == "windows" else "/")
            in scripts[name]
        )
        assert (
            "packaging/alegra-wizard.spec".replace("/", "\\" if name == "windows" else "/")
            in scripts[name]
        )
    assert "ISCC.exe" in scripts["windows"] and "/VERYSILENT" in scripts["windows"]
    assert (
        "Conectar con Alegra.lnk" in scripts["windows"] and "ExitCode -ne 104" in scripts["windows"]
    )
    assert "hdiutil create" in scripts["macos"]
    # Issue 26: what only the real OS shows, proven on its runner.
    mac, win = scripts["macos"], scripts["windows"]
    assert 'codesign --verify --deep --strict --verbose=2 "$app"' in mac
    assert mac.count("codesign --verify --deep --strict") == 2  # built, and a quarantined copy
    assert "xattr -w -r com.apple.quarantine" in mac and 'spctl -a -vv "$app"' in mac
    assert "plutil -extract LSBackgroundOnly raw" in mac and "= false" in mac
    assert 'lipo -archs "$app/Contents/MacOS/alegra-wizard"' in mac
    assert {row["arch"] for row in runners} == {"arm64", "x86_64"}  # Apple Silicon and Intel
    assert "smoke_frozen.py --platform-plugin" in mac and "smoke_frozen.py --platform-plugin" in win
    assert "credential get --profile relativa | .venv\\Scripts\\python" in win
    assert "packaging\\release_checks.py no-cr" in win
    assert "[Text.Encoding]::Unicode" in win and "'/TOKENFILE=token16.txt'" in win
    assert win.count("release_checks.py hold $profiles") == 2
    assert "'/ALLUSERS','/EMAIL=demo@alegra.test'" in win  # elevated: the result still read
    # Issue 25: other programs find each profile's token by its service name alone.
    assert 'secret-tool lookup service "alegra-wizard:$profile"' in scripts["linux"]
    assert "-File docs\\readers\\read-token.ps1 $id" in win
    assert "node docs\\readers\\read-token.mjs $id" in win
    assert "Local machine persistence" in win and '"/list:$id@alegra-wizard:$id"' in win
    # Signing is ready for a certificate, and skipped with a warning without one.
    signing = {
        name: [s for s in job["steps"] if "secrets." in str(s.get("env", {}))]
        for name, job in jobs.items()
    }
    assert "/DSignSetup" in win and "signtool.exe" in win and "sign /fd sha256" in win
    assert "notarytool submit" in mac and "stapler staple" in mac
    for name in ("windows", "macos"):
        assert any("::warning::" in step["run"] for step in signing[name]), name
    # Every action pinned to a major version; each job bounded in time.
    uses = [s["uses"] for job in jobs.values() for s in job["steps"] if "uses" in s]
    assert uses and all(re.fullmatch(r"actions/[\w-]+@v\d+", u) for u in uses)
    assert all(job["timeout-minutes"] <= 60 for job in jobs.values())


# --- packaging/release_checks.py: the workflow's Windows checks, their logic run here ----

RELEASE_CHECKS = ROOT / "packaging" / "release_checks.py"


@pytest.mark.parametrize(
    ("piped", "code"), [(b"token=abc\n", 0), (b"token=abc\r\n", 1), (b"", 1), (b"abc", 1)]
)
def test_the_cr_reader_rejects_what_windows_text_mode_would_send(piped: bytes, code: int) -> None:
    proc = subprocess.run(
        [sys.executable, str(RELEASE_CHECKS), "no-cr"], input=piped, capture_output=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == code, proc.stdout
    assert b"abc" not in proc.stdout  # what was piped (a token) is never echoed


def test_hold_runs_the_command_while_the_file_is_open_and_checks_its_exit(tmp_path: Path) -> None:
    held = tmp_path / "profiles.json"
    held.write_text("{}")
    # The command sees the file held (a /proc link to it from the holder), exits 16.
    probe = (
        "import os, sys; fds = f'/proc/{os.getppid()}/fd';"
        "links = [os.path.realpath(os.path.join(fds, fd)) for fd in os.listdir(fds)];"
        "sys.exit(16 if sys.argv[1] in links else 3)"
    )
    command = [sys.executable, "-c", probe, str(held)]
    # Held long enough for the command's interpreter to start on a loaded machine (at 0.2 s
    # it sometimes started after the release and saw nothing held).
    for expected, code in ((16, 0), (0, 1)):
        proc = subprocess.run(
            [sys.executable, str(RELEASE_CHECKS), "hold", str(held), "3", str(expected), "--",
             *command], capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert proc.returncode == code, proc.stdout + proc.stderr
        assert f"held profiles.json for 3.0 s: exit 16 (expected {expected})" in proc.stdout
