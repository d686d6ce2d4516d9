; Inno Setup 6 script: the Windows installer for the one-folder app PyInstaller builds.
;
;   make package                                  (on Windows: builds dist\newsreader\)
;   iscc /DAppVersion=0.1.0 packaging\windows\newsreader.iss
;   -> dist\newsreader-0.1.0-windows-setup.exe
;
; Installs per user by default (no administrator rights; the user may choose all users), adds a
; Start-menu entry, an optional desktop icon, an uninstaller, "open with" for .opml files and
; the feed: / feeds: link protocols. The uninstaller keeps the user's data
; (%LOCALAPPDATA%\newsreader) unless the user says yes to deleting it.
; Not built here (needs Windows); see packaging/README.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Newsreader"
#define AppUserModel "io.github.newsreader.Newsreader"
#define GuiExe "newsreader-gui.exe"
#define DistDir "..\..\dist\newsreader"

[Setup]
AppId={{C56C9749-CDD1-4C55-8B8B-B45D72A8A0D9}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Newsreader developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
OutputDir=..\..\dist
OutputBaseFilename=newsreader-{#AppVersion}-windows-setup
SetupIconFile=..\..\newsreader\resources\icons\newsreader.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "opml"; Description: "Open .opml subscription lists with {#AppName}"; GroupDescription: "Files and links:"
Name: "feedlinks"; Description: "Open feed: and feeds: links with {#AppName}"; GroupDescription: "Files and links:"

[Files]
; newsreader.exe (console, for the command line) and newsreader-gui.exe (the window) share _internal\
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"; AppUserModelID: "{#AppUserModel}"; Comment: "Read the sites you follow, online or offline"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; AppUserModelID: "{#AppUserModel}"; Tasks: desktopicon

[Registry]
; HKA is HKCU for a per-user install and HKLM for all users.
; .opml: offered in "Open with" (Windows asks the user which program to use by default)
Root: HKA; Subkey: "Software\Classes\.opml\OpenWithProgids"; ValueType: string; ValueName: "Newsreader.opml"; ValueData: ""; Flags: uninsdeletevalue; Tasks: opml
Root: HKA; Subkey: "Software\Classes\Newsreader.opml"; ValueType: string; ValueName: ""; ValueData: "OPML subscription list"; Flags: uninsdeletekey; Tasks: opml
Root: HKA; Subkey: "Software\Classes\Newsreader.opml\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe},0"; Tasks: opml
Root: HKA; Subkey: "Software\Classes\Newsreader.opml\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExe}"" ""%1"""; Tasks: opml
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}\SupportedTypes"; ValueType: string; ValueName: ".opml"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExe}"" ""%1"""
; feed: and feeds: links (the browser passes the whole link as %1)
Root: HKA; Subkey: "Software\Classes\feed"; ValueType: string; ValueName: ""; ValueData: "URL:Feed link"; Flags: uninsdeletekey; Tasks: feedlinks
Root: HKA; Subkey: "Software\Classes\feed"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: feedlinks
Root: HKA; Subkey: "Software\Classes\feed\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe},0"; Tasks: feedlinks
Root: HKA; Subkey: "Software\Classes\feed\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExe}"" ""%1"""; Tasks: feedlinks
Root: HKA; Subkey: "Software\Classes\feeds"; ValueType: string; ValueName: ""; ValueData: "URL:Secure feed link"; Flags: uninsdeletekey; Tasks: feedlinks
Root: HKA; Subkey: "Software\Classes\feeds"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: feedlinks
Root: HKA; Subkey: "Software\Classes\feeds\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe},0"; Tasks: feedlinks
Root: HKA; Subkey: "Software\Classes\feeds\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExe}"" ""%1"""; Tasks: feedlinks

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ The user's feeds, articles and comments live in %LOCALAPPDATA%\newsreader (platformdirs'
  user data folder). The uninstaller asks before deleting them; the default answer keeps them,
  and a silent uninstall always keeps them. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataDir := ExpandConstant('{localappdata}\newsreader');
  if not DirExists(DataDir) then
    Exit;
  if UninstallSilent then
    Exit;
  if MsgBox('Also delete your feeds, articles and comments?' + #13#10 + #13#10 + DataDir +
            #13#10 + #13#10 + 'Choose No to keep them for a later installation.',
            mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    DelTree(DataDir, True, True, True);
end;
