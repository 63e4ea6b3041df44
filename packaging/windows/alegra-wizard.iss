; Inno Setup 6 script: per-user installer for the frozen Windows app (no admin rights).
; Build on Windows after `pyinstaller packaging\alegra-wizard.spec` (see packaging/README.md):
;   iscc /DAppVersion=<version from pyproject.toml> packaging\windows\alegra-wizard.iss
; Output: dist\alegra-wizard-<version>-windows-x64-setup.exe
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (packaging/README.md reads it from pyproject.toml)
#endif

[Setup]
; The AppId identifies the installation for upgrades and the uninstaller: never change it.
AppId={{6B0E2D0C-4C55-4C4B-9D3E-6A7C1F0A1E21}
AppName=Alegra Wizard
AppVersion={#AppVersion}
AppVerName=Alegra Wizard {#AppVersion}
AppPublisher=alegra-wizard
VersionInfoVersion={#AppVersion}
; Per user: {autopf} is %LOCALAPPDATA%\Programs and the shortcuts go to the user's Start
; menu when not elevated. The dialog lets someone with admin rights install for everyone.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\Alegra Wizard
DefaultGroupName=Alegra Wizard
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=alegra-wizard-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\alegra-wizard.ico
UninstallDisplayIcon={app}\alegra-wizard.exe
UninstallDisplayName=Alegra Wizard
; An open wizard is closed (and its files released) before an upgrade or uninstall.
CloseApplications=yes
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The installer speaks the Windows display language when it is Spanish, English otherwise
; (and asks when it can't tell).
ShowLanguageDialog=auto
LanguageDetectionMethod=uilanguage

[Languages]
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
es.AppName=Asistente de conexión con Alegra
en.AppName=Alegra connection wizard
es.LaunchApp=Abrir el asistente ahora
en.LaunchApp=Open the wizard now
es.DesktopIcon=Crear un acceso directo en el escritorio
en.DesktopIcon=Create a desktop shortcut

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[Files]
; The whole PyInstaller onedir: alegra-wizard.exe, alegra-wizard-keyring-check.exe, _internal\.
Source: "..\..\dist\alegra-wizard\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundled libraries wholesale (a stale DLL from an older Qt must not
; linger next to the new ones).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{cm:AppName}"; Filename: "{app}\alegra-wizard.exe"; IconFilename: "{app}\alegra-wizard.exe"
Name: "{group}\{cm:UninstallProgram,Alegra Wizard}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{cm:AppName}"; Filename: "{app}\alegra-wizard.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\alegra-wizard.exe"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

; Uninstalling removes the program only. Saved profiles (%LOCALAPPDATA%\alegra-wizard) and the
; tokens in Windows Credential Manager stay, as a user who reinstalls expects; remove them
; first with `alegra-wizard forget --profile NAME` if wanted (packaging/README.md).
