"""The admin, for the rare correction the builder does not offer. Once a questionnaire has responses it
keeps the builder's locks: texts can be corrected, but not what gives the results their meaning."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from surveys.models import Option, Question, Questionnaire, Section
from surveys.services import LOCKED_FIELDS


def _locked(questionnaire: Questionnaire | None) -> bool:
    return questionnaire is not None and questionnaire.pk is not None and questionnaire.has_responses()


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return ("order",) if _locked(obj) else ()

    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "version", "status", "results_published", "opens_at", "closes_at"]
    list_filter = ["status", "results_published"]
    search_fields = ["title", "slug"]
    inlines = [SectionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.touch()  # cached structures reload the sections


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return ("order", "is_other") if obj is not None and _locked(obj.questionnaire) else ()

    def has_add_permission(self, request, obj=None):
        locked = obj is not None and _locked(obj.questionnaire)
        return not locked and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and _locked(obj.questionnaire)
        return not locked and super().has_delete_permission(request, obj)


class QuestionAdminForm(forms.ModelForm):
    # The admin builds the Meta (model and fields).
    def clean(self):
        cleaned = super().clean()
        questionnaire = cleaned.get("questionnaire")
        if self.instance.pk is None and _locked(questionnaire):
            raise forms.ValidationError(
                _(
                    "Il questionario ha già delle risposte: non si possono aggiungere domande. Duplicalo come nuova versione."
                )
            )
        return cleaned


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ["text", "kind", "questionnaire", "section", "order", "required"]
    list_filter = ["kind", "questionnaire"]
    inlines = [OptionInline]
    raw_id_fields = ["condition_option"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and _locked(obj.questionnaire):
            return (*LOCKED_FIELDS, "questionnaire", "section", "order")
        return ()

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and _locked(obj.questionnaire)
        return not locked and super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.questionnaire.touch()  # cached structures reload the question

    def delete_model(self, request, obj):
        questionnaire = obj.questionnaire
        super().delete_model(request, obj)
        questionnaire.touch()


# Responses are not in the admin on purpose: they are read through results and exports only.
