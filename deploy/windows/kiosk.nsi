; Windows installer for the safe-migration kiosk (NSIS 3, Unicode).
;
; NOT RUN ON A REAL WINDOWS PC. It is compiled on Linux with Debian's makensis in the test pass
; (tests/test_installer.py), against a tree laid out like the frozen build, and installed, upgraded
; and uninstalled silently under Wine with the real frozen build (tests/windows/).
;
;   makensis -DSRC=dist\kiosk -DVERSION=0.1.0 -DOUTFILE=dist\kiosk-setup.exe deploy\windows\kiosk.nsi
;
; SRC: the onedir build (deploy/build-frozen): kiosk.exe, kioskw.exe, _internal\.
; What it does:
;   - the build under Program Files, the staff tools (deploy/windows/tools/*.cmd) beside it;
;   - the data folder C:\ProgramData\safe-migration-kiosk, writable by the local Users group,
;     named in data-dir.txt beside kiosk.exe, which the frozen kiosk reads (kiosk/core/site/settings.py);
;   - start-menu entries for staff: set the PIN, export the statistics, install a content pack,
;     the kiosk in a window;
;   - on its last page, optionally, a local user set up as the kiosk user (setup-kiosk-user.ps1:
;     Shell Launcher, replacement shell or logon task); the uninstaller undoes that and keeps the data.

; A 64-bit installer (amd64), not NSIS's default 32-bit one. The kiosk is 64-bit only (PySide6 6.x
; has no 32-bit Windows wheels at all), so nothing is lost, and a 64-bit-only Windows (Wine without
; its 32-bit half, as in tests/windows/) cannot run a 32-bit installer: there `kiosk-setup.exe /S`
; exited 0 and installed nothing. Built for another target, the script stops here, loudly.
Target amd64-unicode
!if ${NSIS_PTR_SIZE} != 8
  !error "kiosk.nsi must be built as a 64-bit installer (Target amd64-unicode): the kiosk is 64-bit only"
!endif
!include "MUI2.nsh"
!include "nsDialogs.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!ifndef SRC
  !error "give the frozen tree: makensis -DSRC=path\to\dist\kiosk kiosk.nsi"
!endif
; The layout the frozen build has on Windows (deploy/kiosk.spec): refuse anything else.
!if ! /FileExists "${SRC}\kiosk.exe"
  !error "${SRC} is not the frozen Windows tree: it has no kiosk.exe (deploy/build-frozen makes it)"
!endif
!if ! /FileExists "${SRC}\kioskw.exe"
  !error "${SRC} is not the frozen Windows tree: it has no kioskw.exe (deploy/build-frozen makes it)"
!endif
!if ! /FileExists "${SRC}\_internal\kiosk\_data\content\manifest.yaml"
  !error "${SRC} has no bundled content (_internal\kiosk\_data\content)"
!endif
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "kiosk-setup-${VERSION}.exe"
!endif

!define NAME "Safe-migration kiosk"
!define APPKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\safe-migration-kiosk"
!define SETTINGSKEY "Software\safe-migration-kiosk"
!define DATANAME "safe-migration-kiosk"

Name "${NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${NAME}"
InstallDirRegKey HKLM "${SETTINGSKEY}" "InstallDir"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
ShowInstDetails show

Var KioskUser
Var KioskMode
Var UserField
Var ModeNone
Var ModeLauncher
Var ModeShell
Var ModeTask

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
Page custom KioskUserPage KioskUserPageLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Russian"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "The kiosk needs 64-bit Windows 10 or 11."
    Abort
  ${EndIf}
  SetRegView 64
  StrCpy $KioskMode "none"
FunctionEnd

Function KioskUserPage
  !insertmacro MUI_HEADER_TEXT "Kiosk user" "Optionally, set up a local user whose logon shows only the kiosk."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 24u "Local user (create it first, a standard user, e.g. kiosk). Leave it empty to set up nothing now; setup-kiosk-user.ps1 in the install folder does it later."
  ${NSD_CreateText} 0 26u 50% 12u "kiosk"
  Pop $UserField
  ${NSD_CreateRadioButton} 0 44u 100% 12u "Do not set up a kiosk user now"
  Pop $ModeNone
  ${NSD_CreateRadioButton} 0 58u 100% 12u "Shell Launcher (Windows Enterprise, Education, IoT Enterprise): the kiosk is the user's shell"
  Pop $ModeLauncher
  ${NSD_CreateRadioButton} 0 72u 100% 12u "Replacement shell (Windows Pro): the kiosk instead of Explorer for this user"
  Pop $ModeShell
  ${NSD_CreateRadioButton} 0 86u 100% 12u "Logon task (Windows Pro): the kiosk starts at logon, Explorer stays behind it"
  Pop $ModeTask
  ${NSD_Check} $ModeNone
  ${NSD_CreateLabel} 0 104u 100% 30u "Read deploy\windows.md (in the install folder: windows.md) first: what each way locks down and what it does not, automatic logon, power and updates."
  nsDialogs::Show
FunctionEnd

Function KioskUserPageLeave
  ${NSD_GetText} $UserField $KioskUser
  StrCpy $KioskMode "none"
  ${NSD_GetState} $ModeLauncher $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $KioskMode "shelllauncher"
  ${EndIf}
  ${NSD_GetState} $ModeShell $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $KioskMode "shell"
  ${EndIf}
  ${NSD_GetState} $ModeTask $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $KioskMode "task"
  ${EndIf}
  ${If} $KioskMode != "none"
  ${AndIf} $KioskUser == ""
    MessageBox MB_ICONEXCLAMATION "Give the local user to set up, or choose not to set one up now."
    Abort
  ${EndIf}
FunctionEnd

Section "Kiosk" SecKiosk
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File /r "${SRC}\*"
  File "/oname=windows.md" "..\windows.md"
  File "setup-kiosk-user.ps1"
  File "assigned-access.xml"
  SetOutPath "$INSTDIR\tools"
  File "tools\*.cmd"

  ; The data folder: settings, statistics, logs, installed content. Users may change files in it
  ; (the kiosk user writes statistics and logs); only administrators change the program.
  ; With SetShellVarContext all, $APPDATA is C:\ProgramData.
  CreateDirectory "$APPDATA\${DATANAME}"
  nsExec::ExecToLog 'icacls "$APPDATA\${DATANAME}" /grant *S-1-5-32-545:(OI)(CI)M /T'
  Pop $0
  FileOpen $1 "$INSTDIR\data-dir.txt" w
  FileWrite $1 "$APPDATA\${DATANAME}$\r$\n"
  FileClose $1

  CreateDirectory "$SMPROGRAMS\${NAME}"
  CreateShortcut "$SMPROGRAMS\${NAME}\Set the staff PIN.lnk" "$INSTDIR\tools\set-pin.cmd" "" "$INSTDIR\kiosk.exe"
  CreateShortcut "$SMPROGRAMS\${NAME}\Export the statistics.lnk" "$INSTDIR\tools\export-statistics.cmd" "" "$INSTDIR\kiosk.exe"
  CreateShortcut "$SMPROGRAMS\${NAME}\Install a content pack.lnk" "$INSTDIR\tools\install-pack.cmd" "" "$INSTDIR\kiosk.exe"
  CreateShortcut "$SMPROGRAMS\${NAME}\Kiosk in a window.lnk" "$INSTDIR\tools\kiosk-windowed.cmd" "" "$INSTDIR\kiosk.exe"
  CreateShortcut "$SMPROGRAMS\${NAME}\Data folder.lnk" "$APPDATA\${DATANAME}"
  CreateShortcut "$SMPROGRAMS\${NAME}\Uninstall.lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKLM "${SETTINGSKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${SETTINGSKEY}" "DataDir" "$APPDATA\${DATANAME}"
  WriteRegStr HKLM "${APPKEY}" "DisplayName" "${NAME}"
  WriteRegStr HKLM "${APPKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${APPKEY}" "Publisher" "Sana Sezim (Shymkent)"
  WriteRegStr HKLM "${APPKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${APPKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${APPKEY}" "NoRepair" 1
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ${If} $KioskMode != "none"
    DetailPrint "Setting up $KioskUser as the kiosk user ($KioskMode)"
    nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "$INSTDIR\setup-kiosk-user.ps1" -User "$KioskUser" -Mode $KioskMode -InstallDir "$INSTDIR"'
    Pop $0
    ${If} $0 == 0
      WriteRegStr HKLM "${SETTINGSKEY}" "KioskUser" "$KioskUser"
      WriteRegStr HKLM "${SETTINGSKEY}" "KioskMode" "$KioskMode"
    ${Else}
      MessageBox MB_ICONEXCLAMATION "Setting up $KioskUser did not work (see the details). The kiosk is installed; run setup-kiosk-user.ps1 in $INSTDIR later."
    ${EndIf}
  ${EndIf}
SectionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Uninstall"
  SetShellVarContext all
  ; The kiosk user gets a normal desktop back; the data folder (statistics!) stays.
  ReadRegStr $0 HKLM "${SETTINGSKEY}" "KioskUser"
  ${If} $0 != ""
    nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "$INSTDIR\setup-kiosk-user.ps1" -User "$0" -Mode undo -InstallDir "$INSTDIR"'
    Pop $1
  ${EndIf}
  RMDir /r "$SMPROGRAMS\${NAME}"
  RMDir /r "$INSTDIR\_internal"
  RMDir /r "$INSTDIR\tools"
  Delete "$INSTDIR\kiosk.exe"
  Delete "$INSTDIR\kioskw.exe"
  Delete "$INSTDIR\data-dir.txt"
  Delete "$INSTDIR\windows.md"
  Delete "$INSTDIR\setup-kiosk-user.ps1"
  Delete "$INSTDIR\assigned-access.xml"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${APPKEY}"
  DeleteRegKey HKLM "${SETTINGSKEY}"
  DetailPrint "The data folder $APPDATA\${DATANAME} is kept (settings, statistics, logs)."
SectionEnd
