"""The WSGI entry point, ``application``: what gunicorn serves (``make gunicorn``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psm_portal.settings")

application = get_wsgi_application()
