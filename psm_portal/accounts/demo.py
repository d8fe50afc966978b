"""The demo accounts' shared password: ``manage.py seed_demo`` gives it to every demo user, the tests sign in with it.

It lives here, beside the users, so that the test factories of this app need nothing from the layers above.
"""

from __future__ import annotations

DEMO_PASSWORD = "demo-psm-messina"
