@echo off
rem For authors and installers: the kiosk in a window, on this PC's settings.
start "" "%~dp0..\kiosk.exe" --windowed
