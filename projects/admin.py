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
    list_display = ["original_name", "office", "state", "total_rows", "created_at"]
    list_filter = ["state", "office"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "proposer", "municipality", "state", "created_at"]
    list_filter = ["state"]
