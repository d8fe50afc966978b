"""The pages of projects, by audience: ``public`` (catalogue, project page, open data) and the reserved
area (``portfolio`` for an office's projects, ``imports``, ``proposals``)."""
