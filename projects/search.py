"""The projects in the portal's search (``psm_portal.lib.search``): the published ones for everybody, the drafts
only for their office and the team (``ProjectQuerySet.visible_to``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from projects.models import Project
from psm_portal.lib.search import SearchKind


def _describe(project: Project) -> dict:
    meta = project.get_status_display()
    if not project.is_published:
        meta = _("%(status)s, bozza non pubblicata") % {"status": meta}
    return {"title": project.title, "url": project.get_absolute_url(), "meta": meta, "text": project.summary}


PROJECTS = SearchKind(
    key="progetti",
    label=_("Progetti"),
    fields=("title", "summary", "description", "cup", "local_code"),
    queryset=lambda user: Project.objects.visible_to(user).only("title", "summary", "status", "publication"),
    describe=_describe,
)
