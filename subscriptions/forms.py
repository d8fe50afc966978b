"""The subscription form: an address, what to follow, the privacy notice acknowledged."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from psm_portal.lib.forms import AutocompleteSelectMultiple
from subscriptions import topics
from subscriptions.models import Topic


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Indirizzo e-mail"), max_length=254)
    news = forms.BooleanField(label=_("Le notizie del Piano Strategico"), required=False, initial=True)
    comuni = forms.MultipleChoiceField(
        label=_("Gli aggiornamenti di questi comuni"),
        required=False,
        widget=AutocompleteSelectMultiple,
        help_text=_("Nuovi traguardi, avanzamenti validati, documenti pubblicati."),
    )
    objectives = forms.MultipleChoiceField(
        label=_("Gli aggiornamenti di questi obiettivi"), required=False, widget=AutocompleteSelectMultiple
    )
    privacy = forms.BooleanField(
        label=_(
            "Ho letto l'informativa: l'indirizzo serve solo a inviare questi aggiornamenti e viene cancellato "
            "quando annullo l'iscrizione."
        ),
        error_messages={"required": _("Per iscrivervi occorre prendere visione dell'informativa sulla privacy.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comuni"].choices = topics.choices(Topic.COMUNE)
        self.fields["objectives"].choices = topics.choices(Topic.OBJECTIVE)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        data = super().clean()
        if not (data.get("news") or data.get("comuni") or data.get("objectives")) and not self.errors:
            raise forms.ValidationError(_("Scegliete almeno un argomento: le notizie, un comune o un obiettivo."))
        return data
