"""Safe-migration kiosk: slides, a quiz and leaflets that warn about human trafficking."""

__version__ = "0.1.0"
