"""Follow up the fields of action agreed after an earlier wave: how their indicators moved."""

from __future__ import annotations

from reportgen.inputs.worksheet import AgreedAction
from reportgen.report.views import ActionView, DimensionView


def follow_up(actions: list[AgreedAction], dims: list[DimensionView],
              levels: dict[str, str]) -> list[ActionView]:
    """Pair each agreed action with its indicator's value then (its wave) and now.

    An action whose indicator the catalogue no longer has is still listed, without values;
    a level is shown by its name in `levels` (id -> name), else as it was written.
    """
    items = {i.id: i for d in dims for i in [d.composite, *d.indicators]}
    found = []
    for action in actions:
        item = items.get(action.indicator)
        then = dict(item.trend).get(action.wave) if item else None
        found.append(ActionView(action, item.name if item else action.indicator,
                                then, item.value if item else None,
                                levels.get(action.level, action.level)))
    return found
