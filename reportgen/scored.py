"""The scored inputs of one report, as the sources hand them to the report stages."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from reportgen.catalogue import Catalogue
from reportgen.inputs.validate import Responses
from reportgen.inputs.worksheet import AgreedAction
from reportgen.knowledge.analysis import Space
from reportgen.scoring.aggregate import Scores
from reportgen.scoring.records import Member, WaveValues


@dataclass
class Inputs:
    """Everything the later stages need: scores of the region and values of the portfolio."""

    catalogue: Catalogue
    scores: Scores
    values: pd.DataFrame
    names: dict[str, str]
    source: str
    wave: str | None = None
    history: list[WaveValues] = field(default_factory=list)
    source_hash: str | None = None
    members: dict[str, Member] = field(default_factory=dict)
    # The knowledge space of each period with stored activity counts, oldest first.
    knowledge: list[tuple[str, Space]] = field(default_factory=list)
    class_labels: dict[str, str] = field(default_factory=dict)
    # Fields of action agreed after the latest earlier wave that recorded any.
    actions: list[AgreedAction] = field(default_factory=list)
    # The region's answers counted by question, group and item score (scoring.distribution).
    answer_counts: pd.DataFrame | None = None
    # The answers of every portfolio region scored from answers, for the bootstrap.
    responses: Responses | None = None
    # The answers of the region's previous wave (same catalogue version), for the margins.
    previous: Responses | None = None
    # Whether the region's wave or any portfolio wave is stored as synthetic example data.
    synthetic: bool = False
