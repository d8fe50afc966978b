"""The team's widget to say what a contribution led to: objectives, projects and agenda actions in one
autocomplete, grouped by kind; other apps add it to the forms where the team decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from outcomes.models import Link, Outcome
from outcomes.registry import TARGETS
from psm_portal.lib.forms import AutocompleteSelectMultiple


def _value(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


class TargetsField(forms.MultipleChoiceField):
    """Values ``app.model:pk`` of the registered targets; cleaned to the objects, in the order chosen."""

    widget = AutocompleteSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Ha portato a (obiettivi, progetti, azioni)"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self._objects: dict[str, object] = {}

    def load_choices(self) -> None:
        """The choices are read when the form is built, not when the module is imported (one query per kind)."""
        groups = []
        for kind in TARGETS.values():
            objects = list(kind.choices())
            self._objects.update({_value(obj): obj for obj in objects})
            if objects:
                groups.append((str(kind.label), [(_value(obj), str(obj)) for obj in objects]))
        self.choices = groups

    def clean(self, value):
        values = super().clean(value)
        return [self._objects[v] for v in values]


def initial_targets(input) -> list[str]:
    """The targets already recorded for ``input``, as the field's values."""
    return [
        f"{app_label}.{model}:{pk}"
        for app_label, model, pk in Link.objects.for_input(input)
        .filter(target_id__isnull=False)
        .values_list("target_type__app_label", "target_type__model", "target_id")
    ]


class OutcomeForm(forms.Form):
    """The team's record of what one contribution led to, for inputs decided elsewhere than an istanza's reply
    or a proposal's decision (positions, comments on the draft, questionnaire questions)."""

    outcome = forms.ChoiceField(
        label=_("Esito"),
        choices=[("", _("in esame (nessun esito)"))] + list(Outcome.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    led_to = TargetsField()
    reason = forms.CharField(
        label=_("Motivazione del team PSM"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["led_to"].load_choices()

    @classmethod
    def for_input(cls, input, data=None) -> OutcomeForm:
        first = Link.objects.for_input(input).first()
        initial = {"led_to": initial_targets(input)}
        if first:
            initial.update(outcome=first.outcome, reason=first.reason)
        return cls(data, initial=initial)

    def clean(self):
        data = super().clean()
        outcome, targets = data.get("outcome"), data.get("led_to") or []
        if outcome in (Outcome.TAKEN, Outcome.MERGED) and not targets:
            self.add_error("led_to", _("Indica in quali obiettivi, progetti o azioni è stato preso in considerazione."))
        elif outcome in ("", Outcome.NOT_TAKEN) and targets:
            self.add_error("led_to", _("Indica a cosa ha portato solo se è stato preso in considerazione."))
        if outcome == Outcome.NOT_TAKEN and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Scrivi la motivazione: chi ha dato il contributo la leggerà."))
        return data
