"""Name the kind of a file that is not a CSV or XLSX export, from its first bytes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from reportgen.errors import InputError

_SAVE_AS = "save it as .xlsx or as CSV (UTF-8)"

# Signatures at offset 0, with what we tell the user. Guessing by content, not by the file
# name: survey tools and mail programs rename files freely.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls) or an encrypted "
     "(password-protected) workbook; save it as .xlsx without a password, or as CSV"),
    (b"\x1f\x8b", "a gzip-compressed file; unpack it first"),
    (b"BZh", "a bzip2-compressed file; unpack it first"),
    (b"\xfd7zXZ\x00", "an xz-compressed file; unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive; unpack it first"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file; unpack it first"),
    (b"%PDF-", "a PDF document, not a survey export"),
    (b"SQLite format 3\x00", "an SQLite database (a portfolio database?), not a survey export; "
     "give databases with --db"),
    (b"$FL", "an SPSS data file (.sav); read it with --mapping and a mapping of format "
     "'spss'"),  # $FL2, or $FL3 for a compressed one
    (b"{\\rtf", "an RTF document, not a survey export"),
)

# Markup some survey tools and older web exports save under an .xls name.
_MARKUP = re.compile(rb"\s*(<\?xml[^>]*>\s*)?<(!doctype html|html|table|\?mso|workbook|"
                     rb"ss:workbook)", re.IGNORECASE)


def refuse_other_formats(path: Path, head: bytes, name: str) -> None:
    """Raise InputError if `head` (the file's first bytes) shows a format we do not read."""
    for magic, said in _MAGIC:
        if head.startswith(magic):
            raise InputError.single(name, said)
    body = head.removeprefix(b"\xef\xbb\xbf")
    if _MARKUP.match(body):
        raise InputError.single(name, "an HTML or XML page (some tools save such 'Excel' "
                                f"downloads); open it in a spreadsheet program and {_SAVE_AS}")
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise InputError.single(name, f"an XML Spreadsheet 2003 file; {_SAVE_AS}")
    if head.startswith(b"PK"):
        _refuse_other_zips(path, name)


def _refuse_other_zips(path: Path, name: str) -> None:
    """Tell an OpenDocument spreadsheet or a plain ZIP archive from an XLSX workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            kind = (archive.read("mimetype")[:100].decode("ascii", "replace")
                    if "mimetype" in names else "")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return  # damaged: the workbook reader says so with its own words
    if "opendocument.spreadsheet" in kind:
        raise InputError.single(name, f"an OpenDocument spreadsheet (.ods); {_SAVE_AS}")
    if "[Content_Types].xml" not in names:
        shown = ", ".join(n[:60] for n in sorted(names)[:3]) + (" …" if len(names) > 3 else "")
        raise InputError.single(name, f"a ZIP archive ({shown or 'empty'}), not an XLSX "
                                "workbook; unpack it and give the export inside")
