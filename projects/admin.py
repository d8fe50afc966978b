"""The Django admin of projects, their history, imports and proposals."""

from django.contrib import admin

from projects.models import FundingLine, Project, ProjectChange, ProjectImport, Proposal


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "cup", "office", "status", "publication", "total_cost"]
    list_filter = ["publication", "status", "office"]
    search_fields = ["title", "cup", "local_code"]
    autocomplete_fields = ["municipalities"]
    filter_horizontal = ["objectives"]
    inlines = [FundingLineInline]


@admin.register(ProjectChange)
class ProjectChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "actor", "at"]
    list_select_related = ["project", "actor"]
    readonly_fields = ["project", "actor", "at", "kind", "changes", "note"]


@admin.register(ProjectImport)
class ProjectImportAdmin(admin.ModelAdmin):
    """Read only: an import's file is uploaded and checked, and its state moved, only through the portal's pages
    (a file uploaded here would skip the checks of ``ImportForm``)."""

    list_display = ["original_name", "office", "state", "total_rows", "created_at"]
    list_filter = ["state", "office"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [field.name for field in ProjectImport._meta.fields]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "proposer", "municipality", "state", "created_at"]
    list_filter = ["state"]
