"""The template sandbox with resource limits: user templates cannot exhaust time or memory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

# Far above anything a report needs (the demo renders 0.7 MB of HTML, loops a few thousand
# times), far below what hurts a 2-core machine.
MAX_OUTPUT = 50_000_000
MAX_ITEMS = 1_000_000  # length of any string or list a template makes by repetition
MAX_LOOPS = 2_000_000  # iterations of range() across one rendering
MAX_WIDTH = 10_000  # padding widths in % and format() and the width filters
_WIDTH = re.compile(r"\d+")


class TemplateLimitError(jinja2.TemplateError):
    """A template exceeded one of the sandbox's resource limits."""


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _check_widths(text: str) -> None:
    if any(int(w) > MAX_WIDTH for w in _WIDTH.findall(text)):
        raise TemplateLimitError(f"a width above {MAX_WIDTH:,} in a format string")


class LimitedEnvironment(SandboxedEnvironment):
    """A sandbox that bounds repetition, powers, loops, format widths and output size."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loops = 0
        self.globals["range"] = self._range
        for name in ("center", "indent", "wordwrap", "truncate"):
            self.filters[name] = self._bounded(self.filters[name])

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        """Refuse repetitions and powers whose result would be huge."""
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(n, int) and size * n > MAX_ITEMS:
                    raise TemplateLimitError(f"repetition longer than {MAX_ITEMS:,} items")
        numbers = isinstance(left, int | float) and isinstance(right, int | float)
        if operator == "**" and numbers and abs(right) > 64 and abs(left) > 1:
            raise TemplateLimitError("power too large")
        if operator == "%" and isinstance(left, str):
            _check_widths(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any,  # noqa: N805
             **kwargs: Any) -> Any:
        """Refuse str methods asked for enormous widths or repetitions."""
        if isinstance(getattr(__obj, "__self__", None), str):
            if any(isinstance(a, int) and a > MAX_ITEMS for a in (*args, *kwargs.values())):
                raise TemplateLimitError(f"a string method asked for over {MAX_ITEMS:,} items")
            if getattr(__obj, "__name__", "") in ("format", "format_map"):
                _check_widths(__obj.__self__)
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


def render_limited(template: jinja2.Template, **context: Any) -> str:
    """Render `template`, stopping once the output passes MAX_OUTPUT characters."""
    env = template.environment
    if isinstance(env, LimitedEnvironment):
        env.loops = 0
    parts, total = [], 0
    for chunk in template.generate(**context):
        total += len(chunk)
        if total > MAX_OUTPUT:
            raise TemplateLimitError(f"output larger than {MAX_OUTPUT:,} characters")
        parts.append(chunk)
    return "".join(parts)
