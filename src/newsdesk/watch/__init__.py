"""Saved questions: re-answered after each ingest, with what is new in the brief recorded once and delivered."""
