"""Allow `python -m reportgen`."""

from reportgen.cli.main import entry

entry()
