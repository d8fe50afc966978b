"""The views of the accounts; ``psm_portal/accounts/urls.py`` imports the modules.

Public, no sign-in: ``public`` (sign in, forgotten password, accepting an invitation).
Reserved area: ``reserved`` (the dashboard of every signed-in user; users and invitations for the PSM team).
"""
