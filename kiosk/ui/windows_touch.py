"""Touch on a Windows kiosk: no press-and-hold right-click, no touch feedback circles, no keyboard.

Windows turns a long press into a right-click (drawing a ring while it waits) and shows a circle
under every touch. On a kiosk both look like faults. The window turns them off for itself:
  - the `MicrosoftTabletPenServiceProperty` window property (SetProp on the window handle) with
    the TABLET_DISABLE_* flags: press-and-hold, the pen's tap and barrel feedback, flicks;
  - SetWindowFeedbackSetting (Windows 8 and later) with every touch feedback switched off.
The touch keyboard opens only for a text field that gets the focus by touch; the kiosk has none
(tests/test_windows_touch.py holds that no widget accepts text input), so it never opens.

Windows only, through ctypes. Under Wine (tests/windows/) the property is set and read back with
GetProp; Wine draws no touch feedback and has no SetWindowFeedbackSetting, so what the flags do
to a real touch screen has not been seen.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)

PEN_SERVICE_PROPERTY = "MicrosoftTabletPenServiceProperty"
TABLET_DISABLE_PRESSANDHOLD = 0x00000001
TABLET_DISABLE_PENTAPFEEDBACK = 0x00000008
TABLET_DISABLE_PENBARRELFEEDBACK = 0x00000010
TABLET_DISABLE_FLICKS = 0x00010000
TABLET_DISABLE_FLICKFALLBACKKEYS = 0x00100000
PEN_FLAGS = (TABLET_DISABLE_PRESSANDHOLD | TABLET_DISABLE_PENTAPFEEDBACK | TABLET_DISABLE_PENBARRELFEEDBACK
             | TABLET_DISABLE_FLICKS | TABLET_DISABLE_FLICKFALLBACKKEYS)
# FEEDBACK_TYPE (winuser.h): touch contact circles, tap, double tap, press and hold, right tap,
# and the gesture feedback of press-and-tap.
FEEDBACK_TYPES = (1, 2, 3, 4, 5, 11)


def quiet_touch(hwnd: int) -> dict[str, bool]:
    """Turns the touch extras off for the window `hwnd`; says which calls worked. Never raises."""
    done = {"pen_property": False, "feedback": False}
    if sys.platform != "win32":
        return done
    try:
        import ctypes
        from ctypes import wintypes

        user32 = ctypes.WinDLL("user32", use_last_error=True)
        user32.SetPropW.argtypes = [wintypes.HWND, wintypes.LPCWSTR, wintypes.HANDLE]
        user32.SetPropW.restype = wintypes.BOOL
        done["pen_property"] = bool(user32.SetPropW(hwnd, PEN_SERVICE_PROPERTY, PEN_FLAGS))
        setting = getattr(user32, "SetWindowFeedbackSetting", None)  # Windows 8+; not in Wine 8
        if setting is not None:
            setting.argtypes = [wintypes.HWND, ctypes.c_int, wintypes.DWORD, ctypes.c_uint32, ctypes.c_void_p]
            setting.restype = wintypes.BOOL
            off = wintypes.BOOL(False)
            done["feedback"] = all(bool(setting(hwnd, kind, 0, ctypes.sizeof(off), ctypes.byref(off)))
                                   for kind in FEEDBACK_TYPES)
    except Exception as exc:  # noqa: BLE001 - a kiosk without these still works
        log.warning("touch settings of the window could not be set: %s", exc)
    log.info("touch: press-and-hold and pen feedback off: %s; touch feedback off: %s",
             done["pen_property"], done["feedback"])
    return done
