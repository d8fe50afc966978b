"""Reserved area: every signed-in user's dashboard; for the PSM team, the list of users and their invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from psm_portal.accounts.dashboard import sections_for
from psm_portal.accounts.forms import InviteForm, UserFilterForm
from psm_portal.accounts.models import User
from psm_portal.accounts.permissions import team_required
from psm_portal.accounts.services import invitation_enqueue, user_invite
from psm_portal.lib.siteurl import site_url


@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html", {"sections": sections_for(request.user)})


@team_required
def user_list(request):
    form = UserFilterForm(request.GET or None)
    users = User.objects.select_related("office", "municipality").order_by("full_name", "email")
    if form.is_valid():
        if form.cleaned_data["role"]:
            users = users.with_role(form.cleaned_data["role"])
        users = users.search(form.cleaned_data["q"])
    page = Paginator(users, 25).get_page(request.GET.get("pagina"))
    return render(request, "accounts/user_list.html", {"form": form, "page": page})


@team_required
def user_invite_view(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_invite(invited_by=request.user, base_url=site_url(request), **form.cleaned_data)
        messages.success(request, _("Invito inviato a %(email)s.") % {"email": user.email})
        return redirect("accounts:users")
    return render(request, "accounts/user_invite.html", {"form": form})


@team_required
@require_POST
def user_reinvite(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    if user.has_usable_password():
        messages.error(
            request, _("%(email)s ha già scelto la password: non serve un nuovo invito.") % {"email": user.email}
        )
    elif not user.is_active:
        messages.error(request, _("L'account di %(email)s è disattivato.") % {"email": user.email})
    else:
        invitation_enqueue(user=user, base_url=site_url(request))
        messages.success(request, _("Nuovo invito inviato a %(email)s.") % {"email": user.email})
    return redirect("accounts:users")
