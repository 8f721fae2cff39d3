"""Staff mode: `mode` (gesture, PIN pad, the staff screen as the session's STAFF state) and one
module per tab (figures, printer, content, settings, data). The rules behind them are in
kiosk/core/staff/staff.py."""

from kiosk.ui.staff.content import C_RELOAD_FAILED, C_RELOADED
from kiosk.ui.staff.figures import F_VISITS
from kiosk.ui.staff.mode import RESTART_CODE, StaffMode, StaffPanel, install_staff_mode

__all__ = ["C_RELOADED", "C_RELOAD_FAILED", "F_VISITS", "RESTART_CODE", "StaffMode", "StaffPanel",
           "install_staff_mode"]
