"""Writes that span models, by sub-domain: ``projects`` (a project with its funding, objectives and
history), ``imports`` (an import's life) with ``bulk`` (writing its rows), and ``proposals``. Services are
keyword-only and raise ``ValidationError`` with an Italian message; import them from their module."""
