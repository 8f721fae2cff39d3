@echo off
rem Staff tool: the statistics, one row per day, to a CSV file on the desktop of whoever runs this.
"%~dp0..\kiosk.exe" stats export --output "%USERPROFILE%\Desktop\kiosk-statistics.csv"
pause
