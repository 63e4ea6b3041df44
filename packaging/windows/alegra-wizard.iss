; Inno Setup 6 script: per-user installer for the frozen Windows app (no admin rights).
; Build on Windows after `pyinstaller packaging\alegra-wizard.spec` (see packaging/README.md):
;   iscc /DAppVersion=<version from pyproject.toml> packaging\windows\alegra-wizard.iss
; Output: dist\alegra-wizard-<version>-windows-x64-setup.exe
;
; After installing, Setup runs the wizard and waits for it, reads its exit code (0 saved,
; 19 cancelled, 16 save failed) and its --result-json file, and shows the outcome on the
; last page. When no connection was saved (cancelled, failed, the "connect" task
; unticked, or a /SILENT or /VERYSILENT install, which must not open a window) it leaves a
; Start-menu entry "Conectar con Alegra" that opens the wizard later.
; Unattended installs can connect too, without any window:
;   setup.exe /VERYSILENT /EMAIL=ana@empresa.com /TOKENFILE=C:\ruta\token.txt [/PROFILE=Nombre]
; (a relative /TOKENFILE is taken from the folder Setup was started in, made absolute once at
; start-up; the file may be UTF-8 or UTF-16/32 with a byte-order mark, as Notepad and
; PowerShell write it.)
; runs `alegra-wizard-cli.exe login --email ... --token-stdin` with the token file as its
; standard input (cmd.exe's "<"): the token never goes on a command line, and Setup never
; reads, copies or logs it. Setup's exit code is then 0 when connected, or 100 + login's
; exit code (e.g. 104: the token was refused) with the Start-menu entry left behind.
; tests/test_packaging.py checks this file's structure (sections, parameters, flags,
; messages in both languages, Pascal blocks, the executables it names exist in the build).
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
; Signed when the release workflow has the project's certificate: it passes /DSignSetup and
; the sign tool's command (/Ssigntool=...), and Setup and its uninstaller are signed with it.
#ifdef SignSetup
SignTool=signtool
SignedUninstaller=yes
#endif

[Languages]
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
es.AppName=Asistente de conexión con Alegra
en.AppName=Alegra connection wizard
es.ConnectEntry=Conectar con Alegra
en.ConnectEntry=Connect to Alegra
es.ConnectTask=Conectar con Alegra al terminar (abre el asistente)
en.ConnectTask=Connect to Alegra when done (opens the wizard)
es.DesktopIcon=Crear un acceso directo en el escritorio
en.DesktopIcon=Create a desktop shortcut
es.Connecting=Abriendo el asistente de conexión con Alegra…
en.Connecting=Opening the Alegra connection wizard…
es.Saved=La conexión con Alegra quedó guardada (perfil «%1»).
en.Saved=The Alegra connection was saved (profile "%1").
es.Cancelled=No se guardó ninguna conexión. Cuando quieras, abre «Conectar con Alegra» en el menú Inicio.
en.Cancelled=No connection was saved. Whenever you like, open "Connect to Alegra" in the Start menu.
es.SaveFailed=No se pudo guardar el token en el Administrador de credenciales de Windows. Vuelve a intentarlo desde «Conectar con Alegra» en el menú Inicio.
en.SaveFailed=The token could not be saved in Windows Credential Manager. Try again from "Connect to Alegra" in the Start menu.
es.Later=Puedes conectar con Alegra cuando quieras desde «Conectar con Alegra» en el menú Inicio.
en.Later=You can connect to Alegra whenever you like from "Connect to Alegra" in the Start menu.
es.NotStarted=No se pudo abrir el asistente (código %1). Ábrelo desde «Conectar con Alegra» en el menú Inicio.
en.NotStarted=The wizard could not be opened (code %1). Open it from "Connect to Alegra" in the Start menu.
es.BadParameter=El parámetro /%1 no puede contener comillas ni el signo %%.
en.BadParameter=The /%1 parameter cannot contain quotes or the %% sign.
es.NoTokenFile=No se encontró el archivo del token: %1
en.NoTokenFile=Token file not found: %1
es.NoResult=El asistente terminó, pero el instalador no pudo leer su resultado (código %1; ¿se instaló con otra cuenta de administrador?). Abre «Conectar con Alegra» en el menú Inicio para comprobar la conexión.
en.NoResult=The wizard finished, but Setup could not read its result (code %1; was it installed with another administrator account?). Open "Connect to Alegra" in the Start menu to check the connection.

[Tasks]
Name: "connect"; Description: "{cm:ConnectTask}"
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[Files]
; The whole PyInstaller onedir: alegra-wizard.exe (windowed), alegra-wizard-cli.exe
; (console), alegra-wizard-keyring-check.exe, _internal\.
Source: "..\..\dist\alegra-wizard\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundled libraries wholesale (a stale DLL from an older Qt must not
; linger next to the new ones).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{cm:AppName}"; Filename: "{app}\alegra-wizard.exe"; IconFilename: "{app}\alegra-wizard.exe"
Name: "{group}\{cm:UninstallProgram,Alegra Wizard}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{cm:AppName}"; Filename: "{app}\alegra-wizard.exe"; Tasks: desktopicon

[UninstallDelete]
; The "Conectar con Alegra" entry, when [Code] left one.
Type: files; Name: "{group}\{cm:ConnectEntry}.lnk"

; No [Run] entry: [Code] runs the wizard itself, waiting for it (a [Run] entry can't
; report an exit code).

; Uninstalling removes the program only. Saved profiles (%LOCALAPPDATA%\alegra-wizard) and the
; tokens in Windows Credential Manager stay, as a user who reinstalls expects; remove them
; first with `alegra-wizard-cli forget --profile NAME` if wanted (packaging/README.md).

[Code]
const
  // The wizard's exit codes (DESIGN.md).
  ExitSaved = 0;
  ExitSaveFailed = 16;
  ExitCancelled = 19;
  // Setup's own exit code when an unattended login failed: this plus login's.
  LoginExitBase = 100;

var
  Outcome: String;         // shown on the last page
  CustomExitCode: Integer; // 0, or LoginExitBase + login's exit code
  TokenFile: String;       // /TOKENFILE=, made absolute at start-up ('' when not given)

// Runs first, in the folder Setup was started from: a relative /TOKENFILE is made absolute
// here, once, so the existence check and cmd.exe (which runs in {app}) open the same file.
function InitializeSetup(): Boolean;
begin
  TokenFile := ExpandConstant('{param:TOKENFILE|}');
  if TokenFile <> '' then
  begin
    TokenFile := ExpandFileName(TokenFile);
    Log('Token file: ' + TokenFile);
  end;
  Result := True;
end;

// Where the wizard and login, run as the user who started Setup, write their result for
// Setup to read. {tmp} when Setup runs as that user; an elevated Setup's {tmp} only lets
// administrators write, so then the user's own temporary folder (the same user's when
// Windows asked for consent; another administrator's account can't be reached: the
// result is missing, and Setup says so).
function ResultPath(const Name: String): String;
begin
  if IsAdminInstallMode() then
    Result := GetTempDir() + 'alegra-wizard-' + GetDateTimeString('yyyymmddhhnnss', #0, #0)
      + '-' + Name
  else
    Result := ExpandConstant('{tmp}\') + 'alegra-wizard-' + Name;
  DeleteFile(Result);
end;

function Lang(): String;
begin
  if ActiveLanguage() = 'es' then
    Result := 'es'
  else
    Result := 'en';
end;

// The value of "key": "text" in a JSON object written by the wizard or login (flat enough
// for this: the keys asked for are top-level strings). '' when absent or null.
function JsonString(const Json, Key: String): String;
var
  Start, I: Integer;
  C: Char;
begin
  Result := '';
  Start := Pos('"' + Key + '":', Json);
  if Start = 0 then
    Exit;
  I := Start + Length(Key) + 3;
  while (I <= Length(Json)) and (Json[I] = ' ') do
    I := I + 1;
  if (I > Length(Json)) or (Json[I] <> '"') then
    Exit;
  I := I + 1;
  while I <= Length(Json) do
  begin
    C := Json[I];
    if C = '"' then
      Exit;
    if (C = '\') and (I < Length(Json)) then
    begin
      I := I + 1;
      C := Json[I];
    end;
    Result := Result + C;
    I := I + 1;
  end;
end;

// true/false/null after "key": (top level), as written; '' when absent.
function JsonLiteral(const Json, Key: String): String;
var
  Start, I: Integer;
begin
  Result := '';
  Start := Pos('"' + Key + '":', Json);
  if Start = 0 then
    Exit;
  I := Start + Length(Key) + 3;
  while (I <= Length(Json)) and (Json[I] = ' ') do
    I := I + 1;
  while (I <= Length(Json)) and (Json[I] >= 'a') and (Json[I] <= 'z') do
  begin
    Result := Result + Json[I];
    I := I + 1;
  end;
end;

// The whole file (UTF-8, as the wizard writes it) as one string; '' if unreadable.
function ReadJson(const Path: String): String;
var
  Lines: TArrayOfString;
  I: Integer;
begin
  Result := '';
  if LoadStringsFromFile(Path, Lines) then
    for I := 0 to GetArrayLength(Lines) - 1 do
      Result := Result + Lines[I] + ' ';
end;

// A Start-menu entry that opens the wizard later, for when no connection was saved.
procedure LeaveConnectEntry(const Why: String);
var
  Link: String;
begin
  Link := ExpandConstant('{group}\{cm:ConnectEntry}.lnk');
  ForceDirectories(ExtractFileDir(Link));
  CreateShellLink(Link, ExpandConstant('{cm:AppName}'), ExpandConstant('{app}\alegra-wizard.exe'),
    '--lang ' + Lang(), ExpandConstant('{app}'), ExpandConstant('{app}\alegra-wizard.exe'), 0,
    SW_SHOWNORMAL);
  Log('Left the "Conectar con Alegra" entry: ' + Why);
end;

// The wizard, as the user who started Setup (not an elevated admin: the token belongs in
// that user's Credential Manager), waiting for it to close.
procedure RunWizard();
var
  ResultFile, Json, Profile: String;
  Code: Integer;
begin
  ResultFile := ResultPath('result.json');
  WizardForm.StatusLabel.Caption := ExpandConstant('{cm:Connecting}');
  if not ExecAsOriginalUser(ExpandConstant('{app}\alegra-wizard.exe'),
      '--lang ' + Lang() + ' --result-json "' + ResultFile + '"', ExpandConstant('{app}'),
      SW_SHOWNORMAL, ewWaitUntilTerminated, Code) then
  begin
    Outcome := FmtMessage(ExpandConstant('{cm:NotStarted}'), [IntToStr(Code)]);
    LeaveConnectEntry('the wizard did not start: ' + SysErrorMessage(Code));
    Exit;
  end;
  Json := ReadJson(ResultFile);
  DeleteFile(ResultFile);
  Log('Wizard exit code ' + IntToStr(Code) + ', result code "' + JsonString(Json, 'code') + '"');
  if (Json = '') and ((Code = ExitSaved) or (Code = ExitSaveFailed) or (Code = ExitCancelled)) then
  begin
    Outcome := FmtMessage(ExpandConstant('{cm:NoResult}'), [IntToStr(Code)]);
    LeaveConnectEntry('no result file ' + ResultFile);
    Exit;
  end;
  case Code of
    ExitSaved:
      begin
        Profile := JsonString(Json, 'profile');
        if JsonLiteral(Json, 'saved') = 'true' then
          Outcome := FmtMessage(ExpandConstant('{cm:Saved}'), [Profile])
        else
        begin
          // Exit 0 without a save: the user finished the test mode (nothing stored).
          Outcome := ExpandConstant('{cm:Later}');
          LeaveConnectEntry('test mode only');
        end;
      end;
    ExitCancelled:
      begin
        Outcome := ExpandConstant('{cm:Cancelled}');
        LeaveConnectEntry('cancelled');
      end;
    ExitSaveFailed:
      begin
        Outcome := ExpandConstant('{cm:SaveFailed}');
        LeaveConnectEntry('the save failed');
      end;
  else
    begin
      Outcome := FmtMessage(ExpandConstant('{cm:NotStarted}'), [IntToStr(Code)]);
      LeaveConnectEntry('unexpected exit code ' + IntToStr(Code));
    end;
  end;
end;

// cmd.exe would expand %VAR% and end the quoted argument at a quote.
function SafeForCmd(const Value, Name: String): Boolean;
var
  I: Integer;
begin
  Result := True;
  for I := 1 to Length(Value) do
    if (Value[I] = '"') or (Value[I] = '%') or (Ord(Value[I]) < 32) then
      Result := False;
  if not Result then
  begin
    Log(FmtMessage(ExpandConstant('{cm:BadParameter}'), [Name]));
    SuppressibleMsgBox(FmtMessage(ExpandConstant('{cm:BadParameter}'), [Name]), mbError, MB_OK, IDOK);
  end;
end;

// /EMAIL= and /TOKENFILE= (and /PROFILE=): the headless `login`, no window.
procedure RunLogin(const Email, ProfileName: String);
var
  Params, Output, Json: String;
  Code: Integer;
begin
  CustomExitCode := LoginExitBase + 3;  // invalid_input until login says otherwise
  if not (SafeForCmd(Email, 'EMAIL') and SafeForCmd(TokenFile, 'TOKENFILE') and
          SafeForCmd(ProfileName, 'PROFILE')) then
  begin
    LeaveConnectEntry('unusable /EMAIL, /TOKENFILE or /PROFILE');
    Exit;
  end;
  if not FileExists(TokenFile) then
  begin
    Log(FmtMessage(ExpandConstant('{cm:NoTokenFile}'), [TokenFile]));
    SuppressibleMsgBox(FmtMessage(ExpandConstant('{cm:NoTokenFile}'), [TokenFile]), mbError, MB_OK, IDOK);
    LeaveConnectEntry('no token file');
    Exit;
  end;
  Output := ResultPath('login.json');
  // cmd /S /C ""cli" login ... --token-stdin < "file" > "out"": cmd.exe opens the file
  // as the CLI's standard input; the token itself is on no command line.
  Params := '/S /C ""' + ExpandConstant('{app}\alegra-wizard-cli.exe') + '" login --json'
    + ' --lang ' + Lang() + ' --email "' + Email + '"';
  if ProfileName <> '' then
    Params := Params + ' --name "' + ProfileName + '"';
  Params := Params + ' --token-stdin < "' + TokenFile + '" > "' + Output + '""';
  if not ExecAsOriginalUser(ExpandConstant('{cmd}'), Params, ExpandConstant('{app}'), SW_HIDE,
      ewWaitUntilTerminated, Code) then
  begin
    LeaveConnectEntry('login did not start: ' + SysErrorMessage(Code));
    CustomExitCode := LoginExitBase + 1;
    Exit;
  end;
  Json := ReadJson(Output);
  DeleteFile(Output);
  if Json = '' then
    Log(FmtMessage(ExpandConstant('{cm:NoResult}'), [IntToStr(Code)]));
  Log('login exit code ' + IntToStr(Code) + ', code "' + JsonString(Json, 'code') + '", profile "'
    + JsonString(Json, 'profile') + '"');
  if Code = ExitSaved then
  begin
    CustomExitCode := 0;
    Outcome := FmtMessage(ExpandConstant('{cm:Saved}'), [JsonString(Json, 'profile')]);
  end
  else
  begin
    CustomExitCode := LoginExitBase + Code;
    LeaveConnectEntry('login exit code ' + IntToStr(Code));
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Email: String;
begin
  if CurStep <> ssPostInstall then
    Exit;
  Email := ExpandConstant('{param:EMAIL|}');
  if (Email <> '') or (TokenFile <> '') then
    RunLogin(Email, ExpandConstant('{param:PROFILE|}'))
  else if WizardSilent() then
    // No window on a silent install: the user connects later, from the Start menu.
    LeaveConnectEntry('silent install')
  else if WizardIsTaskSelected('connect') then
    RunWizard()
  else
  begin
    Outcome := ExpandConstant('{cm:Later}');
    LeaveConnectEntry('the connect task was not chosen');
  end;
end;

procedure CurPageChanged(CurPageID: Integer);
begin
  if (CurPageID = wpFinished) and (Outcome <> '') then
    WizardForm.FinishedLabel.Caption := WizardForm.FinishedLabel.Caption + #13#10#13#10 + Outcome;
end;

function GetCustomSetupExitCode(): Integer;
begin
  Result := CustomExitCode;
end;
