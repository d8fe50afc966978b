"""The team's news form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from phases.models import Objective
from projects.models import Project
from psm_portal.lib.forms import AutocompleteSelectMultiple
from psm_portal.lib.uploads import ImageField


class NewsForm(forms.Form):
    title = forms.CharField(label=_("Titolo"), max_length=200)
    summary = forms.CharField(
        label=_("Sintesi"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Due o tre frasi: compaiono nell'elenco, nel feed e nelle e-mail agli iscritti."),
    )
    body = forms.CharField(
        label=_("Testo"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("HTML semplice: paragrafi, titoli, elenchi, collegamenti, tabelle. Il resto viene rimosso."),
    )
    image = ImageField(label=_("Immagine"))
    image_alt = forms.CharField(
        label=_("Testo alternativo dell'immagine"),
        required=False,
        max_length=250,
        help_text=_("Obbligatorio con un'immagine: che cosa mostra, per chi non la vede."),
    )
    remove_image = forms.BooleanField(label=_("Togli l'immagine attuale"), required=False)
    objectives = forms.ModelMultipleChoiceField(
        label=_("Obiettivi collegati"),
        queryset=Objective.objects.in_tree_order(),
        required=False,
        widget=AutocompleteSelectMultiple(attrs={"size": 8}),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Progetti collegati"),
        queryset=Project.objects.published().order_by("title"),
        required=False,
        widget=AutocompleteSelectMultiple(attrs={"size": 8}),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Comuni collegati"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=AutocompleteSelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, news=None, **kwargs):
        super().__init__(*args, **kwargs)
        if news is None or not news.image:
            del self.fields["remove_image"]

    @staticmethod
    def initial_for(news) -> dict:
        return {
            "title": news.title,
            "summary": news.summary,
            "body": news.body,
            "image_alt": news.image_alt,
            "objectives": list(news.objectives.all()),
            "projects": list(news.projects.all()),
            "municipalities": list(news.municipalities.all()),
        }
