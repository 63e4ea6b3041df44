"""A small reader for Inno Setup scripts (packaging/windows/alegra-wizard.iss), to check on
Linux what Inno Setup's compiler would reject or what would go wrong at run time: unknown
sections, directives, parameters, flags and constants; messages missing in a language;
unbalanced Pascal blocks; calls to functions that neither the script nor Inno Setup
define. It reads the subset of the format the project uses; anything else is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SETUP_DIRECTIVES = {
    "AppId", "AppName", "AppVersion", "AppVerName", "AppPublisher", "VersionInfoVersion",
    "PrivilegesRequired", "PrivilegesRequiredOverridesAllowed", "DefaultDirName",
    "DefaultGroupName", "DisableProgramGroupPage", "UsePreviousAppDir", "MinVersion",
    "ArchitecturesAllowed", "ArchitecturesInstallIn64BitMode", "OutputDir",
    "OutputBaseFilename", "SetupIconFile", "UninstallDisplayIcon", "UninstallDisplayName",
    "CloseApplications", "Compression", "SolidCompression", "WizardStyle",
    "ShowLanguageDialog", "LanguageDetectionMethod", "SetupLogging", "SignTool",
    "SignedUninstaller",
}  # fmt: skip
# Parameters and flags each entry section accepts (Inno Setup 6's documentation).
PARAMETERS = {
    "Languages": {"Name", "MessagesFile", "LicenseFile", "InfoBeforeFile", "InfoAfterFile"},
    "Tasks": {"Name", "Description", "GroupDescription", "Flags", "Check", "Languages"},
    "Files": {"Source", "DestDir", "DestName", "Excludes", "Flags", "Tasks", "Check",
              "Permissions", "Languages"},
    "Icons": {"Name", "Filename", "Parameters", "WorkingDir", "IconFilename", "IconIndex",
              "Comment", "Tasks", "Flags", "Check", "Languages", "AppUserModelID"},
    "Run": {"Filename", "Parameters", "WorkingDir", "Description", "StatusMsg", "Flags",
            "Tasks", "Check", "RunOnceId", "Verb", "Languages"},
    "InstallDelete": {"Type", "Name", "Tasks", "Check", "Languages"},
    "UninstallDelete": {"Type", "Name", "Tasks", "Check", "Languages"},
}  # fmt: skip
REQUIRED = {
    "Languages": {"Name", "MessagesFile"}, "Tasks": {"Name", "Description"},
    "Files": {"Source", "DestDir"}, "Icons": {"Name", "Filename"}, "Run": {"Filename"},
    "InstallDelete": {"Type", "Name"}, "UninstallDelete": {"Type", "Name"},
}  # fmt: skip
FLAGS = {
    "Tasks": {"checkedonce", "dontinheritcheck", "exclusive", "restart", "unchecked"},
    "Files": {"ignoreversion", "recursesubdirs", "createallsubdirs", "replacesameversion",
              "restartreplace", "uninsneveruninstall", "onlyifdoesntexist",
              "skipifsourcedoesntexist", "solidbreak", "sortfilesbyextension", "64bit", "32bit"},
    "Icons": {"createonlyiffileexists", "dontcloseonexit", "excludefromshowinnewinstall",
              "foldershortcut", "preventpinning", "runmaximized", "runminimized",
              "uninsneveruninstall", "useapppaths"},
    "Run": {"nowait", "postinstall", "skipifsilent", "skipifnotsilent", "runhidden",
            "runascurrentuser", "runasoriginaluser", "shellexec", "unchecked", "waituntilidle",
            "waituntilterminated", "hidewizard", "skipifdoesntexist", "64bit", "32bit"},
}  # fmt: skip
DELETE_TYPES = {"files", "filesandordirs", "dirifempty"}
CONSTANTS = {
    "app", "group", "tmp", "autopf", "autodesktop", "autoprograms", "uninstallexe", "cmd",
    "src", "sys", "win", "localappdata", "userappdata", "commonappdata", "userdesktop",
}  # fmt: skip
BUILTIN_MESSAGES = {"UninstallProgram", "LaunchProgram", "CreateDesktopIcon"}
# Inno Setup 6 support functions, Pascal built-ins and the event functions this script
# may call or define (a call to anything else is a typo or a function that doesn't exist).
PASCAL_CALLS = {
    "ActiveLanguage", "CreateShellLink", "Exec", "ExecAsOriginalUser", "ExpandConstant",
    "ExtractFileDir", "FileExists", "FmtMessage", "ForceDirectories", "GetArrayLength",
    "IntToStr", "Length", "LoadStringsFromFile", "Log", "Ord", "Pos", "SuppressibleMsgBox",
    "SysErrorMessage", "WizardIsTaskSelected", "WizardSilent", "Copy", "Trim", "Lowercase",
    "StrToIntDef", "DeleteFile", "Exit", "ExpandFileName", "GetTempDir", "IsAdminInstallMode",
    "GetDateTimeString",
}  # fmt: skip
EVENT_FUNCTIONS = {
    "InitializeSetup", "InitializeWizard", "CurStepChanged", "CurPageChanged",
    "NextButtonClick", "ShouldSkipPage", "GetCustomSetupExitCode", "DeinitializeSetup",
    "InitializeUninstall", "CurUninstallStepChanged",
}  # fmt: skip
PASCAL_KEYWORDS = {
    "if", "then", "else", "while", "do", "for", "to", "downto", "begin", "end", "case", "of",
    "var", "const", "function", "procedure", "not", "and", "or", "repeat", "until", "try",
    "except", "finally", "with", "array", "record", "type", "div", "mod", "in", "xor",
}  # fmt: skip


@dataclass
class Script:
    sections: dict[str, list[str]] = field(default_factory=dict)
    directives: list[str] = field(default_factory=list)  # preprocessor lines
    code: str = ""
    errors: list[str] = field(default_factory=list)

    def entries(self, section: str) -> list[dict[str, str]]:
        return [parse_entry(line, self.errors) for line in self.sections.get(section, [])]

    def setup(self) -> dict[str, str]:
        return dict(line.split("=", 1) for line in self.sections.get("Setup", []) if "=" in line)

    def messages(self) -> dict[str, dict[str, str]]:
        """{message name: {language: text}}"""
        found: dict[str, dict[str, str]] = {}
        for line in self.sections.get("CustomMessages", []):
            key, _, text = line.partition("=")
            lang, _, name = key.partition(".")
            found.setdefault(name, {})[lang] = text
        return found


def read(text: str) -> Script:
    script = Script()
    section = None
    code: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if section == "Code" and not re.fullmatch(r"\[\w+\]", line):
            code.append(raw)
            continue
        if not line or line.startswith(";"):
            continue
        if line.startswith("#"):
            script.directives.append(line)
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            section = header.group(1)
            if section in script.sections or (section == "Code" and code):
                script.errors.append(f"line {number}: section [{section}] twice")
            script.sections.setdefault(section, [])
            continue
        if section is None:
            script.errors.append(f"line {number}: outside any section")
        else:
            script.sections[section].append(line)
    script.code = "\n".join(code)
    return script


def parse_entry(line: str, errors: list[str]) -> dict[str, str]:
    """`Name: "value"; Flags: a b` → {"Name": "value", "Flags": "a b"} ("" in a quoted
    value is one quote)."""
    entry: dict[str, str] = {}
    pos = 0
    while pos < len(line):
        match = re.match(r"\s*(\w+):\s*", line[pos:])
        if not match:
            errors.append(f"cannot read parameter at {line[pos:]!r}")
            break
        name = match.group(1)
        pos += match.end()
        if line[pos : pos + 1] == '"':
            value, pos = _quoted(line, pos + 1, errors)
        else:
            end = line.find(";", pos)
            end = len(line) if end < 0 else end
            value, pos = line[pos:end].strip(), end
        if name in entry:
            errors.append(f"parameter {name} twice in {line!r}")
        entry[name] = value
        rest = re.match(r"\s*(;|$)", line[pos:])
        if not rest:
            errors.append(f"expected ';' at {line[pos:]!r}")
            break
        pos += rest.end()
    return entry


def _quoted(line: str, pos: int, errors: list[str]) -> tuple[str, int]:
    out = []
    while pos < len(line):
        if line[pos] == '"':
            if line[pos + 1 : pos + 2] == '"':
                out.append('"')
                pos += 2
                continue
            return "".join(out), pos + 1
        out.append(line[pos])
        pos += 1
    errors.append(f"unterminated quote in {line!r}")
    return "".join(out), pos


def constants(value: str) -> list[str]:
    """The {constants} in a value ("{{" is a literal brace)."""
    return re.findall(r"(?<!\{)\{(?!\{)([^{}]*)\}", value.replace("{{", ""))


def pascal_tokens(code: str) -> tuple[list[str], list[str], list[str]]:
    """(words and symbols, string literals, errors) with comments removed."""
    tokens: list[str] = []
    strings: list[str] = []
    errors: list[str] = []
    pos = 0
    while pos < len(code):
        c = code[pos]
        if code.startswith("//", pos):
            pos = code.find("\n", pos) if "\n" in code[pos:] else len(code)
        elif c == "{" or code.startswith("(*", pos):
            end = code.find("}" if c == "{" else "*)", pos)
            if end < 0:
                errors.append(f"unterminated comment at {code[pos : pos + 40]!r}")
                break
            pos = end + (1 if c == "{" else 2)
        elif c == "'":
            end, text = pos + 1, []
            while True:
                nxt = code.find("'", end)
                if nxt < 0 or "\n" in code[end:nxt]:
                    errors.append(f"unterminated string at {code[pos : pos + 40]!r}")
                    return tokens, strings, errors
                text.append(code[end:nxt])
                if code[nxt + 1 : nxt + 2] == "'":
                    text.append("'")
                    end = nxt + 2
                    continue
                break
            strings.append("".join(text))
            tokens.append("'…'")
            pos = nxt + 1
        elif c.isspace():
            pos += 1
        else:
            match = re.match(r"[A-Za-z_]\w*|#\d+|\d+|:=|<>|<=|>=|\S", code[pos:])
            assert match
            tokens.append(match.group(0))
            pos += match.end()
    return tokens, strings, errors


def check_pascal(code: str) -> tuple[set[str], list[str], list[str]]:
    """(functions and procedures defined, string literals, errors)."""
    tokens, strings, errors = pascal_tokens(code)
    lower = [t.lower() for t in tokens]
    depth = 0
    for token in lower:
        if token in ("begin", "case", "try", "record"):
            depth += 1
        elif token == "end":
            depth -= 1
            if depth < 0:
                errors.append("'end' without 'begin'")
                depth = 0
    if depth:
        errors.append(f"{depth} block(s) not closed with 'end'")
    defined: set[str] = set()
    for i, token in enumerate(lower):
        if token in ("function", "procedure") and i + 1 < len(tokens):
            name = tokens[i + 1]
            if name in defined:
                errors.append(f"{name} defined twice")
            defined.add(name)
    declared = set()  # constants and variables (declared before use, in const/var blocks)
    for i, token in enumerate(tokens[:-1]):
        if tokens[i + 1] in (":", "=", ",") and re.fullmatch(r"[A-Za-z_]\w*", token):
            declared.add(token.lower())
    for i, token in enumerate(tokens[:-1]):
        if tokens[i + 1] == "(" and re.fullmatch(r"[A-Za-z_]\w*", token):
            if token.lower() in PASCAL_KEYWORDS or token.lower() in declared:
                continue
            if token not in defined | PASCAL_CALLS:
                errors.append(f"call to {token}: neither defined here nor an Inno Setup function")
    return defined, strings, errors
