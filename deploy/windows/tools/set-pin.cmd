@echo off
rem Staff tool: set or change the staff PIN of this kiosk (asks for it twice).
"%~dp0..\kiosk.exe" set-pin
pause
