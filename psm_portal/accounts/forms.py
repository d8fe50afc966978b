"""The forms of the accounts: sign in by e-mail, the team's invitation of a new user, the filters of the users'
list."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from psm_portal.accounts.models import Office, Role, User
from psm_portal.lib.forms import AutocompleteSelect


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    error_messages = {
        "invalid_login": _("E-mail o password non corretti. Controlla e riprova."),
        "inactive": _("Questo account è disattivato."),
    }

    def clean_username(self) -> str:
        # One spelling per address: django-axes counts failures by the username it is given,
        # so "Mario@..." and "mario@..." must not be two separate allowances of attempts.
        return self.cleaned_data["username"].strip().lower()


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Nome e cognome"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Ruolo"), choices=Role.choices)
    office = forms.ModelChoiceField(
        label=_("Ufficio"),
        queryset=Office.objects.all(),
        required=False,
        widget=AutocompleteSelect,
        help_text=_("Obbligatorio per il personale degli uffici."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Comune"),
        queryset=Municipality.objects.defer("boundary", "svg_path"),
        required=False,
        widget=AutocompleteSelect,
        help_text=_("Obbligatorio per sindaci e delegati."),
    )
    organisation = forms.CharField(
        label=_("Organizzazione"), max_length=200, required=False, help_text=_("Obbligatoria per gli stakeholder.")
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Esiste già un utente con questo indirizzo e-mail."))
        return email

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.OFFICE and not data.get("office"):
            self.add_error("office", _("Scegli l'ufficio di cui fa parte."))
        if role == Role.MAYOR and not data.get("municipality"):
            self.add_error("municipality", _("Scegli il comune che rappresenta."))
        if role == Role.STAKEHOLDER and not (data.get("organisation") or "").strip():
            self.add_error("organisation", _("Indica l'organizzazione."))
        # Only the fields that belong to the role are kept.
        if role != Role.OFFICE:
            data["office"] = None
        if role != Role.MAYOR:
            data["municipality"] = None
        if role != Role.STAKEHOLDER:
            data["organisation"] = ""
        return data


class UserFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Ruolo"), choices=[("", _("Tutti i ruoli")), *Role.choices], required=False)
    q = forms.CharField(label=_("Nome o e-mail"), required=False, max_length=100)
