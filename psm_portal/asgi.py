"""The ASGI entry point, ``application``, for an ASGI server (the portal is served by gunicorn through
``wsgi.py``)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psm_portal.settings")

application = get_asgi_application()
