"""Render the report context to HTML through layered, autoescaped Jinja templates."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from reportgen.errors import InputError, ReportgenError
from reportgen.report.commentary import headings_from
from reportgen.report.embed import embed_images
from reportgen.report.i18n import Lang, Untranslated, translations
from reportgen.report.langspans import lang_spans
from reportgen.report.narrative import band_word
from reportgen.report.sandbox import LimitedEnvironment, render_limited
from reportgen.report.template_cache import bytecode_cache
from reportgen.report.template_check import template_problems
from reportgen.report.template_errors import (
    EXPRESSION_ERRORS,
    expression_message,
    in_user_template,
    loaded_file,
    undefined_message,
    where,
)
from reportgen.report.typography import typeset
from reportgen.report.views import Report
from reportgen.resources import templates_dir


def paragraphs(text: str) -> Markup:
    """Split text on blank lines into escaped <p> elements."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return Markup("\n").join(Markup("<p>{}</p>").format(" ".join(p.split())) for p in parts)


class ConfinedLoader(jinja2.FileSystemLoader):
    """A template folder whose files must really lie inside it (no symlink leads out)."""

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(root).resolve()) for root in self.searchpath):
            raise ReportgenError(f"{filename}: template links outside its folder "
                                 f"({real}); refused")
        return source, filename, uptodate


def environment(t: Lang, user_dirs: list[Path] | None = None) -> LimitedEnvironment:
    """Create the template environment: user folders first, then the packaged templates.

    `default:name.html` always reaches the packaged template, so an override can extend the
    chapter it replaces and change a single block.
    """
    missing = [d for d in user_dirs or [] if not Path(d).is_dir()]
    if missing:  # a mistyped --templates would silently give the unbranded report
        raise ReportgenError(f"{missing[0]}: template folder not found")
    default = jinja2.FileSystemLoader(str(templates_dir()))
    loaders: list[jinja2.BaseLoader] = [ConfinedLoader([str(d) for d in user_dirs or []])]
    loaders += [default, jinja2.PrefixLoader({"default": default}, delimiter=":")]
    env = LimitedEnvironment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                               undefined=jinja2.StrictUndefined, trim_blocks=True,
                               lstrip_blocks=True, extensions=["jinja2.ext.i18n"],
                               bytecode_cache=bytecode_cache())
    if t.code != "en":
        # Through Lang: a message without translation (a user template's own) is refused or,
        # with fallback, shown marked as English; never passed through silently.
        env.install_gettext_callables(  # type: ignore[attr-defined]
            t._, lambda s, p, n: t.ngettext(s, p, n), newstyle=True)
    else:
        env.install_gettext_translations(translations(t.code), newstyle=True)  # type: ignore[attr-defined]
    # Numbers and dates in the report's language: score(1) -> "2.5" or "2,5".
    env.filters.update(score=lambda v, d=None: t.num(v, d), signed=lambda v, d=None: t.signed(v, d),
                       paragraphs=paragraphs, longdate=t.date, percent=t.percent,
                       integer=t.integer, headings_from=headings_from,
                       span=lambda pair, d=None: t.span(pair, d),
                       band=lambda p: band_word(t, p),
                       difference=lambda c: t.difference(c.previous, c.value),
                       # The gap between two printed values, as a reader subtracts them.
                       gap=lambda low, high: t.num(t.shown_difference(low, high)))
    env.globals["colon"] = t.colon  # "label: text" in the report's typography
    env.globals["template_file"] = lambda name: env.get_template(name).filename
    return env


def render_html(report: Report, t: Lang, user_dirs: list[Path] | None = None,
                template: str = "report.html", **extra: Any) -> str:
    """Render the whole report (or another document of its context) as self-contained HTML."""
    return render_document(t, user_dirs, template, report=report, **extra)


def render_document(t: Lang, user_dirs: list[Path] | None, template: str,
                    **context: Any) -> str:
    """Render any packaged or user template with the report's environment and limits."""
    env = environment(t, user_dirs)
    if user_dirs and (problems := template_problems(env, user_dirs)):
        raise InputError(problems)
    try:
        html = typeset(lang_spans(render_limited(env.get_template(template), **context)),
                       t.code)
        return embed_images(html, [*(user_dirs or []), templates_dir()])
    except jinja2.TemplateSyntaxError as exc:
        raise ReportgenError(f"{exc.filename or exc.name}, line {exc.lineno}: template "
                             f"error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise ReportgenError(f"{where(exc)}template not found: {exc.name}") from None
    except jinja2.TemplateError as exc:
        # Undefined variables and sandbox refusals in user templates are user mistakes too.
        raise ReportgenError(f"{where(exc)}template error: "
                             f"{undefined_message(exc.message or '')}") from None
    except Untranslated as exc:
        raise ReportgenError(f"{where(exc)}{exc}") from None
    except UnicodeDecodeError as exc:
        raise ReportgenError(f"{loaded_file(exc)}: a template must be UTF-8 text (byte "
                             f"{exc.start} is not)") from None
    except RecursionError as exc:
        # An include or macro that calls itself: a template mistake, not a crash.
        raise ReportgenError(
            f"{where(exc) or template + ': '}templates nest too deeply: does a template "
            "extend or include itself (the packaged one is \"default:NAME.html\") or a "
            "macro call itself?") from None
    except EXPRESSION_ERRORS as exc:
        place = in_user_template(exc, user_dirs or [])
        if place is None:
            raise
        raise ReportgenError(place + expression_message(exc)) from None
