"""The Qt Widgets layer: thin screens over the Qt-free core."""
