from __future__ import annotations

from django.contrib import admin

from surveys.models import Option, Question, Questionnaire, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "version", "status", "results_published", "opens_at", "closes_at"]
    list_filter = ["status", "results_published"]
    search_fields = ["title", "slug"]
    inlines = [SectionInline]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "questionnaire", "section", "order", "required"]
    list_filter = ["kind", "questionnaire"]
    inlines = [OptionInline]
    raw_id_fields = ["condition_option"]


# Responses are not in the admin on purpose: they are read through results and exports only.
