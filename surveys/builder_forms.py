"""Forms of the team's questionnaire builder."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from psm_portal.lib.forms import DateTimeLocalInput
from surveys.models import CONDITION_KINDS, EDITABLE_OPTION_KINDS, Kind, Option, Question, Questionnaire, Section


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "slug", "introduction", "privacy_notice", "opens_at", "closes_at"]
        widgets = {
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "privacy_notice": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "slug": _("Lettere minuscole, numeri e trattini: diventa l'indirizzo /questionario/<indirizzo>/."),
            "privacy_notice": _("Compare prima della prima domanda; chi risponde deve dichiarare di averla letta."),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", gettext("La chiusura deve venire dopo l'apertura."))
        return cleaned


class SectionEditForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("Opzioni, una per riga"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Per scelta singola, scelta multipla e classifica. «Altro» si aggiunge con la casella apposita. "
            "Età, sì/no e comune hanno opzioni fisse."
        ),
    )
    likert_text = forms.CharField(
        label=_("Etichette della scala, cinque righe da 1 a 5"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Lascia vuoto per «Per niente d'accordo» … «Molto d'accordo»."),
    )

    class Meta:
        model = Question
        fields = [
            "section",
            "kind",
            "text",
            "help_text",
            "required",
            "widget",
            "max_choices",
            "allow_other",
            "rank_top",
            "min_value",
            "max_value",
            "condition_option",
        ]

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.fields["section"].queryset = questionnaire.sections.order_by("order", "id")
        self.fields["section"].empty_label = None
        self.fields["widget"].required = False
        candidates = (
            Option.objects.filter(question__questionnaire=questionnaire, question__kind__in=CONDITION_KINDS)
            .select_related("question", "question__section")
            .order_by("question__section__order", "question__order", "question_id", "order")
        )
        if self.instance.pk:
            candidates = candidates.exclude(question=self.instance)
        self.fields["condition_option"].queryset = candidates
        self.fields["condition_option"].label_from_instance = lambda o: f"«{o.question.text}» → {o.label}"
        self.fields["condition_option"].help_text = gettext(
            "La domanda compare solo a chi ha scelto questa risposta a una domanda precedente."
        )
        if self.instance.pk:
            self.fields["options_text"].initial = (
                "\n".join(o.label for o in self.instance.options.all() if not o.is_other)
                if self.instance.kind in EDITABLE_OPTION_KINDS
                else ""
            )
            self.fields["likert_text"].initial = "\n".join(self.instance.likert_labels or [])

    @property
    def option_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options_text", "").splitlines() if line.strip()]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        labels = self.option_labels
        if kind in EDITABLE_OPTION_KINDS and len(labels) < 2:
            self.add_error("options_text", gettext("Scrivi almeno due opzioni, una per riga."))
        if len(set(labels)) != len(labels):
            self.add_error("options_text", gettext("Ci sono opzioni ripetute."))
        if kind == Kind.MULTIPLE and cleaned.get("max_choices") and cleaned["max_choices"] > len(labels) + 1:
            self.add_error("max_choices", gettext("Il massimo supera il numero delle opzioni."))
        if kind == Kind.RANKING:
            top = cleaned.get("rank_top")
            if top and top > len(labels):
                self.add_error("rank_top", gettext("Non si possono ordinare più voci di quante ce ne siano."))
        lo, hi = cleaned.get("min_value"), cleaned.get("max_value")
        if kind == Kind.NUMBER and lo is not None and hi is not None and lo > hi:
            self.add_error("max_value", gettext("Il massimo deve essere maggiore o uguale al minimo."))
        likert = [line.strip() for line in cleaned.get("likert_text", "").splitlines() if line.strip()]
        if kind == Kind.LIKERT and likert and len(likert) != 5:
            self.add_error("likert_text", gettext("Servono esattamente cinque etichette, oppure nessuna."))
        cleaned["likert_labels"] = likert if kind == Kind.LIKERT else []
        if kind != Kind.SINGLE:
            cleaned["widget"] = ""
        elif not cleaned.get("widget"):
            cleaned["widget"] = "radio"
        condition = cleaned.get("condition_option")
        section = cleaned.get("section")
        if condition is not None and section is not None:
            controlling = condition.question
            before = (controlling.section.order, controlling.section_id) < (section.order, section.pk) or (
                controlling.section_id == section.pk
                and (
                    not self.instance.pk
                    or (controlling.order, controlling.pk) < (self.instance.order, self.instance.pk)
                )
            )
            if not before:
                self.add_error("condition_option", gettext("La condizione deve riferirsi a una domanda precedente."))
        return cleaned

    def save(self, commit: bool = False) -> Question:
        question = super().save(commit=False)
        question.likert_labels = self.cleaned_data["likert_labels"]
        question.widget = self.cleaned_data["widget"]
        return question
