"""The vocabularies of a project: its status, funding sources, priority, origin and publication."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    IDEA = "idea", _("idea")
    PLANNED = "planned", _("programmato")
    DESIGNED = "designed", _("progettato")
    FUNDED = "funded", _("finanziato")
    IN_PROGRESS = "in_progress", _("in corso")
    COMPLETED = "completed", _("concluso")
    SUSPENDED = "suspended", _("sospeso")


class FundingSource(models.TextChoices):
    PNRR = "pnrr", _("PNRR")
    EU_COHESION = "eu_cohesion", _("fondi europei di coesione")
    FSC = "fsc", _("Fondo Sviluppo e Coesione (FSC)")
    STATE = "state", _("Stato")
    REGION = "region", _("Regione")
    METRO_CITY = "metro_city", _("Città Metropolitana")
    MUNICIPALITY = "municipality", _("comune")
    PRIVATE = "private", _("privati")
    TO_BE_FOUND = "to_be_found", _("da reperire")


class Priority(models.IntegerChoices):
    HIGH = 1, _("alta")
    MEDIUM = 2, _("media")
    LOW = 3, _("bassa")


class Origin(models.TextChoices):
    PORTFOLIO = "portfolio", _("parco progettuale dell'ufficio")
    NEED = "need", _("istanza di un comune")
    WORKING_TABLE = "working_table", _("tavolo di lavoro")
    PROPOSAL = "proposal", _("proposta")


class Publication(models.TextChoices):
    DRAFT = "draft", _("bozza")
    PUBLISHED = "published", _("pubblicato")
