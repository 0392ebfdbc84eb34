"""Evaluation on third-party news QA data (read from where it lies, never copied here)."""
