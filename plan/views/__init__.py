"""The views of the plan documents; ``plan/urls.py`` imports the modules.

Public, no sign-in: ``public`` (the published documents and their downloads).
Reserved area: ``reserved`` (the team prepares and publishes, readers follow the render) and ``discussion`` (the
draft's discussion: mayors and offices comment, the team replies, team and council read) and ``council`` (the
council's dossier, amendments, votes and deliberation).
"""
