@echo off
rem Staff tool: install a signed content pack. Drag the pack (.zip, with its .minisig beside it) onto
rem this shortcut, or give its path. "kiosk pack install" comes with the content packs (issue 10).
if "%~1"=="" (set /p PACK=Path of the content pack .zip: ) else (set "PACK=%~1")
"%~dp0..\kiosk.exe" pack install "%PACK%"
pause
