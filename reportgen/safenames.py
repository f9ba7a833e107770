"""Turn region codes and wave labels into file names that stay where they are put."""

from __future__ import annotations

import re

MAX_NAME = 80


def safe_name(text: str) -> str:
    """Return `text` as one file-name component: no separators, no leading dots, not empty.

    Letters of any script are kept ("Südtirol"); every run of other characters becomes "_",
    so "Trentino-Alto Adige/Südtirol" gives "Trentino-Alto_Adige_Südtirol".
    """
    name = re.sub(r"[^\w.-]+", "_", text.strip()).lstrip(".")
    return name[:MAX_NAME] or "_"


def distinct_name(text: str) -> str:
    """Return safe_name(text), with a short hash of `text` where that had to change it.

    Codes that differ only in characters a file name cannot hold ("a/b", "a:b", "a_b")
    would otherwise share one file and overwrite each other's reports.
    """
    import hashlib

    name = safe_name(text)
    if name == text:
        return name
    return f"{name[:MAX_NAME - 7]}-{hashlib.sha256(text.encode()).hexdigest()[:6]}"
