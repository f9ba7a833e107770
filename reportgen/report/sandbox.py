"""The template sandbox with resource limits: user templates cannot exhaust time or memory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jinja2
from jinja2.filters import do_format
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

from reportgen.report.limits import LimitExceeded, bounded

# Far above anything a report needs (the demo renders 0.7 MB of HTML, loops a few thousand
# times), far below what hurts a 2-core machine.
MAX_OUTPUT = 50_000_000
MAX_ITEMS = 1_000_000  # length of any string or list a template makes by repetition
MAX_LOOPS = 2_000_000  # iterations of range() across one rendering
MAX_WIDTH = 10_000  # padding widths in % and format() and the width filters
MAX_BITS = 10_000  # integers a template multiplies (big products take minutes in C)
MAX_PARAGRAPHS = 100  # lipsum() placeholder text
_WIDTH = re.compile(r"\d+")


class TemplateLimitError(jinja2.TemplateError):
    """A template exceeded one of the sandbox's resource limits."""


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _check_widths(text: str, values: Any = ()) -> None:
    if any(int(w) > MAX_WIDTH for w in _WIDTH.findall(text)):
        raise TemplateLimitError(f"a width above {MAX_WIDTH:,} in a format string")
    # A width can also come as an argument: '%*s' % (n, x), '{:{}}'.format(x, n).
    given = values if isinstance(values, tuple | list) else (
        values.values() if isinstance(values, dict) else (values,))
    if ("*" in text or "{" in text) and any(
            isinstance(v, int) and abs(v) > MAX_WIDTH for v in given):
        raise TemplateLimitError(f"a width above {MAX_WIDTH:,} in a format argument")


class LimitedEnvironment(SandboxedEnvironment):
    """A sandbox that bounds repetition, powers, loops, format widths and output size."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loops = 0
        self.globals["range"] = self._range
        self.globals["lipsum"] = _lipsum
        for name in ("center", "indent", "wordwrap", "truncate"):
            self.filters[name] = self._bounded(self.filters[name])
        self.filters["format"] = _format

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        """Refuse repetitions and powers whose result would be huge."""
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(n, int) and size * n > MAX_ITEMS:
                    raise TemplateLimitError(f"repetition longer than {MAX_ITEMS:,} items")
            if (isinstance(left, int) and isinstance(right, int)
                    and left.bit_length() + right.bit_length() > MAX_BITS):
                raise TemplateLimitError(f"a product of more than {MAX_BITS:,} bits")
        numbers = isinstance(left, int | float) and isinstance(right, int | float)
        if operator == "**" and numbers and abs(right) > 64 and abs(left) > 1:
            raise TemplateLimitError("power too large")
        if operator == "%" and isinstance(left, str):
            _check_widths(left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any,  # noqa: N805
             **kwargs: Any) -> Any:
        """Refuse str methods asked for enormous widths or repetitions."""
        # The sandbox hands out str.format wrapped; the bound method is kept as __wrapped__.
        method = getattr(__obj, "__wrapped__", __obj)
        if isinstance(getattr(method, "__self__", None), str):
            if any(isinstance(a, int) and a > MAX_ITEMS for a in (*args, *kwargs.values())):
                raise TemplateLimitError(f"a string method asked for over {MAX_ITEMS:,} items")
            if getattr(method, "__name__", "") in ("format", "format_map"):
                _check_widths(method.__self__, (*args, *kwargs.values(), *(
                    a for m in args if isinstance(m, dict) for a in m.values())))
        return super().call(__context, __obj, *args, **kwargs)

    def _range(self, *args: int) -> Iterator[int]:
        for value in range(*args):
            self.loops += 1
            if self.loops > MAX_LOOPS:
                raise TemplateLimitError(f"more than {MAX_LOOPS:,} loop iterations")
            yield value

    def _bounded(self, filt: Any) -> Any:
        def bounded(*args: Any, **kwargs: Any) -> Any:
            if any(isinstance(a, int) and a > MAX_WIDTH for a in (*args, *kwargs.values())):
                raise TemplateLimitError(f"a filter width above {MAX_WIDTH:,}")
            return filt(*args, **kwargs)

        for attr in ("jinja_pass_arg",):
            if hasattr(filt, attr):
                setattr(bounded, attr, getattr(filt, attr))
        return bounded


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    if n > MAX_PARAGRAPHS or max > MAX_WIDTH:
        raise TemplateLimitError(f"lipsum() above {MAX_PARAGRAPHS} paragraphs or "
                                 f"{MAX_WIDTH:,} words")
    return generate_lorem_ipsum(n, html, min, max)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    # Jinja's own filter applies `%` outside call_binop, so widths are checked here.
    _check_widths(str(value), (*args, *kwargs.values()))
    return do_format(value, *args, **kwargs)


def render_limited(template: jinja2.Template, **context: Any) -> str:
    """Render `template` within the time, memory and output limits."""
    env = template.environment
    if isinstance(env, LimitedEnvironment):
        env.loops = 0
    parts, total = [], 0
    try:
        with bounded():
            for chunk in template.generate(**context):
                total += len(chunk)
                if total > MAX_OUTPUT:
                    raise TemplateLimitError(f"output larger than {MAX_OUTPUT:,} characters")
                parts.append(chunk)
    except LimitExceeded as exc:
        # Keep the traceback: it holds the template file and line the limit struck in.
        raise TemplateLimitError(f"the template {exc}").with_traceback(
            exc.__traceback__) from None
    return "".join(parts)
