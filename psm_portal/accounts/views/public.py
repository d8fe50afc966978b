"""Pages anybody may open without being signed in: sign in, the forgotten-password steps, and the one-time link
of an invitation where the invited person chooses a password. Signing out is Django's own view (see ``urls.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from psm_portal.accounts.forms import LoginForm
from psm_portal.accounts.services import password_reset_request
from psm_portal.accounts.throttling import password_reset_allowed
from psm_portal.lib.siteurl import site_url


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a new password: the same page whether an account has the address or not, the e-mail sent by a
    worker (``password_reset_request``), requests limited per address and per e-mail typed."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not password_reset_allowed(request=self.request, email=email):
            form.add_error(
                None,
                _(
                    "Troppe richieste di una nuova password da questa rete o per questo indirizzo e-mail. "
                    "Riprova più tardi."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        password_reset_request(email=email, language=get_language(), base_url=site_url(self.request))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"heading": gettext_lazy("Scegli una nuova password")}


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The one-time link of an invitation: the invited person chooses a password."""

    template_name = "accounts/password_set.html"
    post_reset_login = True
    post_reset_login_backend = "psm_portal.accounts.backends.RoleBackend"
    success_url = reverse_lazy("accounts:dashboard")
    extra_context = {"heading": gettext_lazy("Benvenuto: scegli la tua password"), "invitation": True}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Password impostata. Benvenuto nel Portale PSM."))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
