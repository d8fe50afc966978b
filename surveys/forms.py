"""The questionnaire's forms: answering (the privacy notice, one section's questions) and the team's builder
(questionnaire, section, question)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from psm_portal.lib.forms import DateTimeLocalInput
from surveys.answers import LONG_TEXT_MAX, OTHER_TEXT_MAX, SHORT_TEXT_MAX, Structure, check, other_option_id
from surveys.models import (
    CONDITION_KINDS,
    EDITABLE_OPTION_KINDS,
    OTHER_MUNICIPALITY,
    Kind,
    Option,
    Question,
    Questionnaire,
    Section,
    Widget,
)

HONEYPOT_FIELD = "sito_web"

# --- Answering ----------------------------------------------------------------


class StartForm(forms.Form):
    privacy = forms.BooleanField(
        label=_("Ho letto l'informativa sulla privacy e voglio rispondere in forma anonima"),
        error_messages={"required": _("Per iniziare conferma di aver letto l'informativa sulla privacy.")},
    )


def municipality_choices(municipalities) -> list[tuple[str, str]]:
    return (
        [("", gettext("— scegli il comune —"))]
        + [(m.istat_code, m.name) for m in municipalities]
        + [(OTHER_MUNICIPALITY, gettext("Altro comune / non residente"))]
    )


class SectionForm(forms.Form):
    """The questions of one section. Fields are optional one by one: whether an answer is required
    depends on the conditions, so ``clean`` decides, and puts each message next to its field."""

    def __init__(
        self, *args, structure: Structure, section, previous: dict, municipalities=(), show_all: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.section = section
        self.previous = previous
        self.municipality_codes = {m.istat_code for m in municipalities}
        self.municipalities = municipalities
        self.answers: dict[int, object] = {}
        self.items = []
        # A field no person sees: a bot that fills it in is turned away.
        self.fields[HONEYPOT_FIELD] = forms.CharField(required=False, label=_("Lascia vuoto questo campo"))
        for question in section.questions.all():
            controlling = structure.condition_question(question)
            # A condition on an earlier section is already known: the question is simply left out.
            if controlling is not None and controlling.section_id != section.pk and not show_all:
                if not structure.is_shown(question, previous):
                    # Recorded as unanswered, so an answer given before the condition changed is dropped.
                    self.answers[question.pk] = None
                    continue
                note = ""
            else:
                note = structure.condition_label(question)
            names = self._add_fields(question)
            self.items.append({"question": question, "names": names, "note": note, "controlling": controlling})
        self._initial_from(previous)

    # --- building -------------------------------------------------------------
    def _add_fields(self, q: Question) -> list[str]:
        name = q.field_name
        label = q.text
        kind = q.kind
        if kind in (Kind.SINGLE, Kind.AGE_BAND, Kind.YES_NO):
            choices = [(str(o.pk), o.label) for o in q.options.all()]
            if kind == Kind.SINGLE and q.widget == Widget.SELECT:
                field = forms.ChoiceField(choices=[("", gettext("— scegli —"))] + choices, widget=forms.Select)
            else:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
            self.fields[name] = field
        elif kind == Kind.MULTIPLE:
            choices = [(str(o.pk), o.label) for o in q.options.all()]
            self.fields[name] = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple)
        elif kind == Kind.LIKERT:
            self.fields[name] = forms.ChoiceField(
                choices=[(str(v), lbl) for v, lbl in q.scale()], widget=forms.RadioSelect
            )
        elif kind == Kind.RANKING:
            top = q.rank_top or len(q.options.all())
            choices = [("", gettext("— nessuna —"))] + [(str(o.pk), o.label) for o in q.options.all()]
            names = []
            for position in range(1, top + 1):
                rank_name = f"{name}_r{position}"
                self.fields[rank_name] = forms.ChoiceField(
                    choices=choices, label=gettext("%(n)d° posto") % {"n": position}, required=False
                )
                self.fields[rank_name].help_text = q.help_text
                names.append(rank_name)
            return names
        elif kind == Kind.SHORT_TEXT:
            self.fields[name] = forms.CharField(max_length=SHORT_TEXT_MAX, strip=True)
        elif kind == Kind.LONG_TEXT:
            # Widgets are passed as classes: an instance would be deep-copied by the field.
            self.fields[name] = forms.CharField(max_length=LONG_TEXT_MAX, strip=True, widget=forms.Textarea)
            self.fields[name].widget.attrs["rows"] = 5
        elif kind == Kind.NUMBER:
            self.fields[name] = forms.CharField(max_length=12, widget=forms.TextInput)
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        elif kind == Kind.MUNICIPALITY:
            self.fields[name] = forms.ChoiceField(choices=municipality_choices(self.municipalities))
        field = self.fields[name]
        if isinstance(field.widget, (forms.TextInput, forms.Textarea)):
            field.widget.attrs["class"] = "form-control"
        field.required = False
        field.label = label
        field.help_text = q.help_text
        names = [name]
        if q.allow_other and kind in (Kind.SINGLE, Kind.MULTIPLE):
            other = f"{name}_other"
            self.fields[other] = forms.CharField(
                required=False,
                max_length=OTHER_TEXT_MAX,
                label=gettext("Se hai scelto «Altro», specifica"),
                widget=forms.TextInput,
            )
            self.fields[other].widget.attrs["class"] = "form-control"
            names.append(other)
        return names

    def _initial_from(self, previous: dict) -> None:
        for item in self.items:
            q = item["question"]
            value = previous.get(q.pk)
            if value is None:
                continue
            name = q.field_name
            if q.kind == Kind.MULTIPLE:
                self.initial[name] = [str(v) for v in value["options"]]
                self.initial[f"{name}_other"] = value.get("other", "")
            elif isinstance(value, dict):
                self.initial[name] = str(value["option"])
                self.initial[f"{name}_other"] = value.get("other", "")
            elif q.kind == Kind.RANKING:
                for position, option in enumerate(value, start=1):
                    self.initial[f"{name}_r{position}"] = str(option)
            else:
                self.initial[name] = value

    # --- validation ------------------------------------------------------------
    def _value(self, q: Question):
        """The answer as the form received it, or None when left blank. Raises ValidationError for a
        ranking with a gap, ValueError for a number field holding something else than an integer."""
        data = self.cleaned_data
        name = q.field_name
        kind = q.kind
        if kind in (Kind.SINGLE, Kind.AGE_BAND, Kind.YES_NO):
            if not data.get(name):
                return None
            value = {"option": int(data[name])}
            if other_option_id(q) == value["option"]:
                value["other"] = data.get(f"{name}_other", "")
            return value
        if kind == Kind.MULTIPLE:
            chosen = [int(v) for v in data.get(name) or []]
            if not chosen:
                return None
            value = {"options": chosen}
            if other_option_id(q) in chosen:
                value["other"] = data.get(f"{name}_other", "")
            return value
        if kind == Kind.LIKERT:
            return int(data[name]) if data.get(name) else None
        if kind == Kind.NUMBER:
            raw = (data.get(name) or "").strip()
            return int(raw) if raw else None
        if kind == Kind.RANKING:
            top = q.rank_top or len(q.options.all())
            chosen = [data.get(f"{name}_r{p}") for p in range(1, top + 1)]
            filled = [int(v) for v in chosen if v]
            if filled and any(not v for v in chosen[: len(filled)]):
                raise forms.ValidationError(
                    gettext("Riempi le posizioni in ordine, dalla prima, senza lasciare buchi.")
                )
            return filled or None
        if kind == Kind.MUNICIPALITY:
            return data.get(name) or None
        return data.get(name) or None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        answers = dict(self.previous)
        for item in self.items:
            q = item["question"]
            try:
                answers[q.pk] = self._value(q)
            except forms.ValidationError as error:
                self.add_error(item["names"][0], error)
                answers[q.pk] = None
            except ValueError:  # only int() of what the person typed in a number field raises it
                self.add_error(item["names"][0], gettext("Scrivi un numero intero, senza punti né virgole."))
                answers[q.pk] = None
        for item in self.items:
            q = item["question"]
            if item["names"][0] in self.errors:
                continue
            value = answers.get(q.pk)
            if not self.structure.is_shown(q, answers):
                self.answers[q.pk] = None  # answered although it did not apply: ignored
                continue
            if value is None:
                if q.required:
                    self.add_error(item["names"][0], gettext("Questa domanda è obbligatoria."))
                self.answers[q.pk] = None
                continue
            message = check(q, value, self.municipality_codes)
            if message:
                target = item["names"][-1] if "Altro" in message and len(item["names"]) > 1 else item["names"][0]
                self.add_error(target, message)
            else:
                self.answers[q.pk] = value
        return cleaned

    @staticmethod
    def _layout(q: Question) -> str:
        if q.kind == Kind.MULTIPLE:
            return "checkbox"
        if q.kind == Kind.MUNICIPALITY or (q.kind == Kind.SINGLE and q.widget == Widget.SELECT):
            return "select"
        if q.kind == Kind.RANKING:
            return "ranking"
        if q.kind in (Kind.SHORT_TEXT, Kind.NUMBER, Kind.LONG_TEXT):
            return "input"
        return "radio"

    def render_items(self) -> list[dict]:
        """The items with their bound fields, each input described by its help text and its error."""
        rendered = []
        for item in self.items:
            q = item["question"]
            bound = [self[name] for name in item["names"]]
            for field in bound:
                ids = []
                if field.name == item["names"][0] and q.help_text:
                    ids.append(f"{q.field_name}-aiuto")
                if field.name == item["names"][0] and item["note"]:
                    ids.append(f"{q.field_name}-condizione")
                if field.errors:
                    ids.append(f"{field.name}-errore")
                attrs = field.field.widget.attrs
                attrs.pop("aria-describedby", None)
                if ids:
                    attrs["aria-describedby"] = " ".join(ids)
                if field.errors:
                    attrs["aria-invalid"] = "true"
            rendered.append({**item, "main": bound[0], "extra": bound[1:], "layout": self._layout(q)})
        return rendered

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


# --- Builder ------------------------------------------------------------------


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
            "slug": _(
                "Lettere minuscole, numeri e trattini: è la fine dell'indirizzo del questionario, "
                "per esempio /questionario/messina-2030/."
            ),
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
        labels = {"section": _("Sezione")}

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
