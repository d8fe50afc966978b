"""The forms of the vocations: a new round, a comune's or office's answer, a stakeholder's contribution and the
priority vocations the team publishes."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Area
from phases.models import Stance, position_comment_error
from psm_portal.lib.forms import DateTimeLocalInput
from vocations.models import MAX_PRIORITIES, Vocation
from vocations.services import RatingInput

SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Titolo della consultazione"), max_length=200)
    deadline = forms.DateTimeField(label=_("Termine per le risposte"), widget=DateTimeLocalInput, required=False)


class AnswerForm(forms.Form):
    """One score (1–5), a priority box and a short reason per vocation the user is asked about."""

    def __init__(self, *args, vocations: list[Vocation], initial_ratings: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vocations = vocations
        initial_ratings = initial_ratings or {}
        for vocation in vocations:
            given = initial_ratings.get(vocation.pk)
            self.fields[f"score_{vocation.pk}"] = forms.TypedChoiceField(
                label=_("Rilevanza per il vostro territorio (1 = minima, 5 = massima)"),
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                initial=str(given.score) if given else None,
            )
            self.fields[f"priority_{vocation.pk}"] = forms.BooleanField(
                label=_("È una delle nostre priorità"), required=False, initial=given.priority if given else False
            )
            self.fields[f"reason_{vocation.pk}"] = forms.CharField(
                label=_("Perché è una priorità (in breve)"),
                required=False,
                max_length=500,
                initial=given.reason if given else "",
            )

    def rows(self) -> list[dict]:
        return [
            {
                "vocation": v,
                "score": self[f"score_{v.pk}"],
                "priority": self[f"priority_{v.pk}"],
                "reason": self[f"reason_{v.pk}"],
            }
            for v in self.vocations
        ]

    def clean(self):
        data = super().clean()
        chosen = [v for v in self.vocations if data.get(f"priority_{v.pk}")]
        if len(chosen) > MAX_PRIORITIES:
            raise forms.ValidationError(
                _("Si possono indicare al massimo %(n)s vocazioni prioritarie.") % {"n": MAX_PRIORITIES}
            )
        for vocation in chosen:
            if not (data.get(f"reason_{vocation.pk}") or "").strip():
                self.add_error(f"reason_{vocation.pk}", _("Spiegate in breve perché è una priorità."))
        return data

    def ratings(self) -> dict[int, RatingInput]:
        data = self.cleaned_data
        return {
            v.pk: RatingInput(
                data.get(f"score_{v.pk}"), bool(data.get(f"priority_{v.pk}")), data.get(f"reason_{v.pk}", "")
            )
            for v in self.vocations
        }


class ContributionForm(forms.Form):
    vocation = forms.ModelChoiceField(
        label=_("Vocazione"), queryset=Vocation.objects.all(), required=False, empty_label=_("Tutte le vocazioni")
    )
    text = forms.CharField(label=_("Contributo motivato"), min_length=20, max_length=3000, widget=forms.Textarea)


class PriorityForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Ambito"), queryset=Area.objects.all(), required=False, empty_label=_("Tutto il territorio")
    )
    vocations = forms.ModelMultipleChoiceField(
        label=_("Vocazioni prioritarie"), queryset=Vocation.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    rationale = forms.CharField(label=_("Motivazione"), min_length=20, max_length=3000, widget=forms.Textarea)
    evidence = forms.CharField(
        label=_("Fonti"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un collegamento per riga: risultati della consultazione, questionario, istanze, tavoli."),
    )


class ScenarioReviewDraftForm(forms.Form):
    title = forms.CharField(label=_("Titolo"), max_length=200)
    text = forms.CharField(
        label=_("Presentazione degli scenari"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("HTML semplice: paragrafi, titoli, elenchi, collegamenti."),
    )


class ScenarioReviewOpenForm(forms.Form):
    deadline = forms.DateTimeField(label=_("Termine per le posizioni"), widget=DateTimeLocalInput)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("Il termine per le posizioni deve essere nel futuro."))
        return deadline


class ScenarioPositionForm(forms.Form):
    stance = forms.ChoiceField(label=_("Posizione"), choices=Stance.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Commento"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obbligatorio se sei d'accordo con modifiche o in disaccordo: scrivi che cosa cambiare."),
    )

    def clean(self):
        data = super().clean()
        if missing := position_comment_error(data.get("stance", ""), data.get("comment", "")):
            self.add_error("comment", missing)
        return data
