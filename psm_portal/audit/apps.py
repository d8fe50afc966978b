from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "psm_portal.audit"
    label = "audit"
    verbose_name = "Registro degli atti"
