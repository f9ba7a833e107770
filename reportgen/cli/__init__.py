"""The command line: one module per command group; `main(argv)` is the injectable entry."""

from reportgen.cli.main import entry, main

__all__ = ["entry", "main"]
