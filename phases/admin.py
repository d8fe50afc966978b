"""The Django admin of the process: phases, Vision versions, objectives with their indicators, positions,
reminders and istanze."""

from __future__ import annotations

from django.contrib import admin

from phases.models import Indicator, Need, NeedAttachment, Objective, Phase, Position, Reminder, VisionVersion


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["key", "order", "starts_at", "ends_at"]
    # Dates change through the team's area, which writes the audit log.
    readonly_fields = ["key", "starts_at", "ends_at"]


@admin.register(VisionVersion)
class VisionVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "status", "deadline", "opened_at", "adopted_at"]
    list_filter = ["status"]
    # The text of a version is kept for ever and state changes are audited: both happen in the team's area.
    readonly_fields = ["number", "text", "status", "deadline", "opened_at", "closed_at", "adopted_at", "notified_at"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "title"]
    # The tree is built in the team's area (phases.services.objective_save keeps codes, levels and
    # sort keys consistent); here only texts and indicators are corrected.
    readonly_fields = ["code", "level", "parent", "order", "sort_key"]
    inlines = [IndicatorInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["version", "municipality", "office", "objective", "stance", "updated_at"]
    list_filter = ["version", "stance"]
    list_select_related = ["version", "municipality", "office", "objective"]
    # Never the file itself: the admin would link its storage URL. Documents go through the checking view.
    exclude = ["attachment"]
    readonly_fields = [f.name for f in Position._meta.fields if f.name != "attachment"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "version", "day", "sent_at"]
    list_select_related = ["user", "version"]


class NeedAttachmentInline(admin.TabularInline):
    model = NeedAttachment
    extra = 0
    readonly_fields = ["name", "size", "uploaded_at"]
    exclude = ["file"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "theme", "status", "created_at"]
    list_filter = ["status", "theme"]
    list_select_related = ["municipality"]
    search_fields = ["title", "municipality__name"]
    raw_id_fields = ["municipality", "author", "replied_by"]
    inlines = [NeedAttachmentInline]
