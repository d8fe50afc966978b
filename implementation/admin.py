"""Implementation in the admin: read only (the services write and audit reports and cycles)."""

from __future__ import annotations

from django.contrib import admin

from implementation.models import (
    GovernanceBody,
    GovernanceVersion,
    IndicatorValue,
    OfficeReferent,
    ProgressReport,
    ReportingCycle,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportingCycle)
class ReportingCycleAdmin(ReadOnlyAdmin):
    list_display = ("title", "opens_on", "closes_on", "notified_at")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("pk", "cycle", "office", "project", "action", "percent", "review", "current", "submitted_at")
    list_filter = ("review", "cycle", "office")
    raw_id_fields = ("project", "action")


class GovernanceBodyInline(admin.TabularInline):
    model = GovernanceBody
    fields = ("order", "name", "members", "duties", "review_frequency")
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OfficeReferentInline(GovernanceBodyInline):
    model = OfficeReferent
    fields = ("office", "referent", "duties")


@admin.register(GovernanceVersion)
class GovernanceVersionAdmin(ReadOnlyAdmin):
    """The governance model's versions: drafts and acts happen in the team's area, which audits them."""

    list_display = ("number", "title", "status", "deadline", "opened_at", "adopted_at")
    list_filter = ("status",)
    fields = ("number", "title", "status", "text", "deadline", "opened_at", "closed_at", "adopted_at")
    inlines = (GovernanceBodyInline, OfficeReferentInline)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "year", "value", "source", "entered_at")
    list_filter = ("year",)
    raw_id_fields = ("indicator",)
