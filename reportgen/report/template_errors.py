"""Turn what goes wrong inside a template into a message that names the file and line."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from reportgen.report import views

# Jinja names the object by its Python class ("'reportgen.report.views.Report object' has no
# attribute 'regoin_name'"); a template author knows it as a variable.
_NO_ATTRIBUTE = re.compile(r"'reportgen\.[\w.]+\.(\w+) object' has no attribute '(\w+)'")
# What a template expression can raise on its own: 1/0, "%d"|format("x"), a filter given
# text instead of a number, a missing key or index.
EXPRESSION_ERRORS = (ArithmeticError, TypeError, ValueError, LookupError, AttributeError)


def frames(exc: BaseException) -> Iterator[TracebackType]:
    """Walk the traceback of `exc` from the outermost call to where it was raised."""
    tb = exc.__traceback__
    while tb is not None:
        yield tb
        tb = tb.tb_next


def loaded_file(exc: BaseException) -> str:
    """Name the template file the loader was reading when `exc` happened."""
    found = "a template"
    for tb in frames(exc):
        name = tb.tb_frame.f_locals.get("filename")
        if isinstance(name, str) and name.endswith((".html", ".css")):
            found = name
    return found


def _template_frames(exc: BaseException) -> list[tuple[str, int]]:
    """List (file, line) of every template frame of the traceback, outermost first."""
    return [(tb.tb_frame.f_code.co_filename, tb.tb_lineno) for tb in frames(exc)
            if tb.tb_frame.f_code.co_filename.endswith((".html", ".css"))]


def where(exc: BaseException) -> str:
    """Name the template file and line a runtime error happened in (Jinja keeps them)."""
    found = _template_frames(exc)
    return f"{found[-1][0]}, line {found[-1][1]}: " if found else ""


def in_user_template(exc: BaseException, user_dirs: list[Path]) -> str | None:
    """Return "file, line N: " of the innermost user template the error passed, else None.

    An error that never passed through a user's template is a bug of ours and keeps its
    traceback; one that did is the template author's to fix.
    """
    roots = [Path(d).resolve() for d in user_dirs]
    for name, line in reversed(_template_frames(exc)):
        if any(Path(name).resolve().is_relative_to(root) for root in roots):
            return f"{name}, line {line}: "
    return None


def expression_message(exc: BaseException) -> str:
    """Describe a failed template expression without Python's internals."""
    if isinstance(exc, KeyError) and exc.args:
        # _("Hello %(who)s") without who=…: a KeyError prints only the bare key.
        return f"template error: no value for {exc.args[0]!r} (KeyError)"
    text = str(exc) or type(exc).__name__
    return f"template error: {text} ({type(exc).__name__})"


def undefined_message(message: str) -> str:
    """Name a missing attribute by the template's variable and suggest the nearest names."""
    found = _NO_ATTRIBUTE.search(message or "")
    if not found:
        return message
    cls, attr = found.groups()
    known = getattr(views, cls, None)
    fields = [f.name for f in dataclasses.fields(known)] if dataclasses.is_dataclass(known) \
        else []
    close = difflib.get_close_matches(attr, fields, n=3)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"{cls} has no attribute {attr!r}{hint}"
