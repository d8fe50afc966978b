"""The views of the informative pages; ``psm_portal/pages/urls.py`` imports the modules.

Public, no sign-in: ``public`` (each page). Reserved area: ``reserved`` (the PSM team edits a page's text).
"""
