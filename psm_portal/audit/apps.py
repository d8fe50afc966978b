"""The audit log's app: formal acts with who, when, before and after."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "psm_portal.audit"
    label = "audit"
    verbose_name = "Registro degli atti"
