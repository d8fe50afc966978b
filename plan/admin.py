"""The Django admin of the plan: read only. Documents are made by the worker and published by their services; the
council's examination, amendments and deliberations are recorded through the portal's pages (a deliberation and
the version it approves never change: PostgreSQL refuses it too)."""

from django.contrib import admin

from plan.models import Amendment, Deliberation, Examination, PlanDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PlanDocument)
class PlanDocumentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "sha256", "published_at", "requested_at"]
    list_filter = ["kind", "status"]
    exclude = ["snapshot"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("snapshot")


@admin.register(Examination)
class ExaminationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "opened_at", "amendments_open_from", "amendments_close_at"]
    list_select_related = ["document"]


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "examination", "target", "author", "state"]
    list_filter = ["state", "target"]
    list_select_related = ["examination__document", "author"]


@admin.register(Deliberation)
class DeliberationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "date", "outcome", "document_sha256", "recorded_at"]
    list_select_related = ["document"]
