"""Mark text for translation where it is defined; it is translated where it is shown."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for extraction by pybabel (keyword N_) and return it unchanged."""
    return message
