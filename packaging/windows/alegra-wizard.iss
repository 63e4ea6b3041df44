; Inno Setup 6 script: per-user installer for the frozen Windows app (no admin rights).
; Build on Windows after `pyinstaller packaging\alegra-wizard.spec` (see packaging/README.md):
;   iscc /DAppVersion=0.1.0 packaging\windows\alegra-wizard.iss
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6B0E2D0C-4C55-4C4B-9D3E-6A7C1F0A1E21}
AppName=Alegra Wizard
AppVersion={#AppVersion}
AppPublisher=alegra-wizard
DefaultDirName={localappdata}\Programs\Alegra Wizard
DefaultGroupName=Alegra Wizard
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=alegra-wizard-{#AppVersion}-windows-setup
SetupIconFile=..\..\resources\icons\alegra-wizard.ico
UninstallDisplayIcon={app}\alegra-wizard.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
es.LaunchApp=Abrir el asistente de Alegra
en.LaunchApp=Open the Alegra wizard
es.DesktopIcon=Crear un acceso directo en el escritorio
en.DesktopIcon=Create a desktop shortcut

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[Files]
Source: "..\..\dist\alegra-wizard\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Alegra Wizard"; Filename: "{app}\alegra-wizard.exe"
Name: "{group}\{cm:UninstallProgram,Alegra Wizard}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\Alegra Wizard"; Filename: "{app}\alegra-wizard.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\alegra-wizard.exe"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent
