"""The kiosk's core: content, session, settings, i18n and statistics. Never imports Qt."""
