"""The printed leaflet: one A4 layout drawn onto PDF, paper and the on-screen preview.

`layout` draws the page onto any paint device; `pdf` writes it with QPdfWriter; `printing`
sends it to a CUPS printer without blocking the screen.
"""
