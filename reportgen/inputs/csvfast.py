"""Read a well-formed CSV export with pandas' C parser; leave anything unusual to the strict reader.

Python's csv module needs about five seconds for a million respondents, pandas' C parser one.
But the C parser is lenient where we must not be: it pads short rows with empty cells and
accepts text after a closing quote. So the file's structure is first checked on its bytes
(vectorised), and only a file the strict reader would read identically takes this path.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

QUOTE, LF, CR = ord('"'), ord("\n"), ord("\r")
BLOCK = 1 << 22  # bytes scanned at a time
# What a byte tells about its record: 1 = printable ASCII other than the quote (the record
# holds text), 2 = part of a non-ASCII character (text, or perhaps a non-breaking space).
KIND = np.zeros(256, dtype=np.uint8)
KIND[33:127] = 1
KIND[QUOTE] = 0
KIND[128:] = 2


def read_fast(raw: bytes, encoding: str, delimiter: str
              ) -> tuple[list[str], pd.DataFrame, list[int]] | None:
    """Return (header, cells, record numbers) of a well-formed file, or None to read it strictly."""
    bom = encoding == "utf-8-sig" and raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    # The byte scan and the parse release the GIL: on two cores they run side by side.
    with ThreadPoolExecutor(1) as pool:
        scan = pool.submit(_record_shape, np.frombuffer(body, dtype=np.uint8), ord(delimiter))
        table = _parse(body, encoding, delimiter)
        widths, kinds = scan.result()
    if widths is None or kinds is None or table is None:
        return None
    if not kinds.any() or not kinds[first := int(np.argmax(kinds > 0))] & 1:
        return None  # no header, or one the bytes cannot tell from white space
    if len(table) != len(widths):
        return None  # the two readings disagree on where records end
    # A record without ASCII text but with other characters (perhaps non-breaking spaces) is
    # checked on its parsed cells: blank to the strict reader means blank to us.
    blank = kinds == 0
    unsure = np.flatnonzero(kinds == 2)
    if unsure.size:
        joined = table.iloc[unsure].astype(str).agg("".join, axis=1)
        blank[unsure] = (joined.str.strip() == "").to_numpy()
    header = [str(cell).strip() for cell in table.iloc[first]]
    rows = np.flatnonzero(~blank)[1:]
    if (widths[first] != table.shape[1]) or (widths[rows] != table.shape[1]).any():
        return None  # a ragged row: the strict reader names it
    # A slice shares the parsed columns; picking rows copies all of them.
    contiguous = rows.size == 0 or rows[-1] - rows[0] == rows.size - 1
    cells = (table.iloc[rows[0]:rows[-1] + 1] if contiguous and rows.size else table.iloc[rows])
    return header, cells.reset_index(drop=True), (rows + 1).tolist()


def _parse(body: bytes, encoding: str, delimiter: str) -> pd.DataFrame | None:
    """Parse every cell as the text it is ("01" stays "01"); None if pandas cannot."""
    try:
        # The BOM was cut off by the caller, not by a "utf-8-sig" decoder, which pandas runs
        # in Python.
        return pd.read_csv(io.BytesIO(body), header=None, dtype=object, na_filter=False,
                           skip_blank_lines=False, sep=delimiter, quotechar='"',
                           doublequote=True, engine="c",
                           encoding="utf-8" if encoding == "utf-8-sig" else encoding)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return None


def _record_shape(b: np.ndarray, delimiter: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Count each record's fields and tell what kinds of bytes it holds; None if unusual.

    The bytes are scanned in blocks: whole-file temporaries (a dozen of 100 MB) cost more in
    page faults than the arithmetic itself.
    """
    if b.size == 0:
        return None, None
    widths: list[np.ndarray] = []
    kinds: list[np.ndarray] = []
    parity, carry_sep, carry_kind = 0, 0, 0  # the quote state and the unfinished record
    for offset in range(0, b.size, BLOCK):
        block = b[offset:offset + BLOCK]
        quote = block == QUOTE
        if quote.any() or parity:  # else no byte of the block is inside quotes
            # Inside quotes where the running count of quotes is odd (a uint8 sum wraps, but
            # keeps its parity).
            inside = ((np.cumsum(quote, dtype=np.uint8) + parity) & 1).astype(bool)
            if not _quotes_delimit(b, offset + np.flatnonzero(quote), inside[quote],
                                   delimiter):
                return None, None  # text next to a quote
            parity = int(inside[-1])
            # A doubled quote inside a cell stands for a quote character: text, not structure.
            after_quote = np.empty_like(quote)
            after_quote[0] = offset > 0 and b[offset - 1] == QUOTE
            after_quote[1:] = quote[:-1]
            kind = KIND[block] | (quote & inside & after_quote)
            outside = ~inside
            separator, newline = (block == delimiter) & outside, (block == LF) & outside
            carriage = (block == CR) & outside
        else:
            separator, newline, carriage = block == delimiter, block == LF, block == CR
            kind = KIND[block]
        cr = offset + np.flatnonzero(carriage)
        if cr.size and (cr[-1] == b.size - 1 or (b[cr + 1] != LF).any()):
            return None, None  # old Mac line ends
        ends = np.flatnonzero(newline)
        segments = np.concatenate(([0], ends + 1))
        segments = segments[segments < block.size]
        seps = np.add.reduceat(separator, segments, dtype=np.int64)
        kind = np.bitwise_or.reduceat(kind * ~separator, segments)
        seps[0] += carry_sep
        kind[0] |= carry_kind
        done = ends.size
        widths.append(seps[:done] + 1)
        kinds.append(kind[:done])
        more = segments.size > done  # bytes after the last line end: a record continues
        carry_sep, carry_kind = (int(seps[done]), int(kind[done])) if more else (0, 0)
    if parity:
        return None, None  # a quote left open
    if b[-1] != LF:  # the last record has no line end
        widths.append(np.array([carry_sep + 1]))
        kinds.append(np.array([carry_kind], dtype=np.uint8))
    return np.concatenate(widths), np.concatenate(kinds)


def _quotes_delimit(b: np.ndarray, q: np.ndarray, opens: np.ndarray, delimiter: int) -> bool:
    """Check that every quote (at `q`) opens or closes a whole cell, as the strict reader wants."""
    opening, closing = q[opens], q[~opens]
    before = b[np.maximum(opening - 1, 0)]
    ok_before = (opening == 0) | (before == delimiter) | (before == LF) | (before == QUOTE)
    after = b[np.minimum(closing + 1, b.size - 1)]
    ok_after = ((closing == b.size - 1) | (after == delimiter) | (after == LF) | (after == CR)
                | (after == QUOTE))
    return bool(ok_before.all() and ok_after.all())
