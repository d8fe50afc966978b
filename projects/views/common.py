"""What the pages of projects share: the project a user may see or edit (one place for the scoping),
the office a staff member acts for, and pagination."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from projects.models import Project

PAGE_SIZE = 20


def paginate(request, queryset, count: int | None = None):
    """The page asked for by ``?pagina=``, ``PAGE_SIZE`` rows each."""
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # already counted with the totals, in the same query
    return paginator.get_page(request.GET.get("pagina"))


def can_edit(user, project: Project) -> bool:
    """Only the project's own office staff and the PSM team edit a project."""
    if not user.is_authenticated:
        return False
    return user.is_team or (user.is_office_staff and user.office_id == project.office_id)


def get_project_for_user(request, pk: int, *, edit: bool = False) -> Project:
    """A project the user may see (404 otherwise: another office's drafts do not exist for them)."""
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("office"), pk=pk)
    if edit and not can_edit(request.user, project):
        raise PermissionDenied(_("Solo il personale dell'ufficio del progetto e il team PSM possono modificarlo."))
    return project


def default_office(user):
    """The office a staff member works for (the team chooses one instead)."""
    return user.office if user.is_office_staff else None


def attach_errors(form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: on its field when the form has it, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
