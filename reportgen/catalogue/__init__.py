"""The indicator catalogue: its schema and its loader."""

from reportgen.catalogue.load import load_catalogue
from reportgen.catalogue.schema import Catalogue, Dimension, Group, Indicator, Question, Scale

__all__ = ["Catalogue", "Dimension", "Group", "Indicator", "Question", "Scale", "load_catalogue"]
