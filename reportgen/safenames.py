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
