"""The views of the process, one module per audience and feature; ``phases/urls.py`` imports the modules.

Public, no sign-in: ``public`` (timeline, Vision, versions, objectives) and ``opendata`` (CSV files).
Reserved area: ``positions`` (mayors and offices), ``needs`` (istanze: mayors and the PSM team), and for the PSM
team only ``coverage`` (who has answered a review), ``manage_phases`` and ``manage_vision``.
"""
