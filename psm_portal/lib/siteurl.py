"""The portal's own address in the links it sends (invitations, new passwords).

``SITE_URL`` when it is configured; when it is not (left at the development default) a link made while serving a
request uses that request's address, which Django has checked against ``ALLOWED_HOSTS``, so that a portal behind a
real host never sends links to localhost."""

from __future__ import annotations

from django.conf import settings

LOCAL_SITE_URL = "http://localhost:8000"


def site_url(request=None) -> str:
    """The address to put before a path in a link sent out, without the final slash."""
    configured = settings.SITE_URL.rstrip("/")
    if configured != LOCAL_SITE_URL or request is None:
        return configured
    return request.build_absolute_uri("/").rstrip("/")
