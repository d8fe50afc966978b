"""The 108 comuni of the Città Metropolitana di Messina, keyed by ISTAT code."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from psm_portal.lib.text import fold

PROVINCE_CODE = "083"
MUNICIPALITY_COUNT = 108


class Area(models.Model):
    """A territorial area: a homogeneous group of comuni. Each comune belongs to exactly one (a non-null key)."""

    code = models.SlugField(_("codice"), max_length=30, unique=True)
    name = models.CharField(_("nome"), max_length=120, unique=True)
    description = models.TextField(_("descrizione"), blank=True)
    colour = models.CharField(_("colore sulle mappe"), max_length=7, default="#0072b2")
    order = models.PositiveSmallIntegerField(_("ordine"), default=1)

    class Meta:
        verbose_name = _("ambito territoriale")
        verbose_name_plural = _("ambiti territoriali")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def search(self, text: str) -> MunicipalityQuerySet:
        """Name contains the text, ignoring case and accents ("ali" finds "Alì Terme")."""
        folded = fold(text)
        return self.filter(name_folded__contains=folded) if folded else self

    def for_map(self) -> MunicipalityQuerySet:
        return self.only("istat_code", "name", "svg_path", "area_id").order_by("istat_code")


class MunicipalityManager(models.Manager.from_queryset(MunicipalityQuerySet)):
    def get_by_natural_key(self, istat_code: str) -> Municipality:
        return self.get(istat_code=istat_code)


class Municipality(models.Model):
    istat_code = models.CharField(_("codice ISTAT"), max_length=6, primary_key=True)
    name = models.CharField(_("nome"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    cadastral_code = models.CharField(_("codice catastale"), max_length=4, unique=True)
    population = models.PositiveIntegerField(_("popolazione (1° gennaio 2023)"))
    population_female = models.PositiveIntegerField(_("popolazione femminile"))
    population_male = models.PositiveIntegerField(_("popolazione maschile"))
    area_km2 = models.DecimalField(_("superficie (km²)"), max_digits=8, decimal_places=2)
    latitude = models.FloatField(_("latitudine"))
    longitude = models.FloatField(_("longitudine"))
    is_capital = models.BooleanField(_("capoluogo"), default=False)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("ambito territoriale")
    )
    boundary = models.JSONField(_("confine (GeoJSON)"))
    # The boundary projected once, at load time, so a map costs one small query.
    svg_path = models.TextField(editable=False)

    objects = MunicipalityManager()

    class Meta:
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("municipalities:detail", args=[self.istat_code])

    def natural_key(self) -> tuple[str]:
        return (self.istat_code,)

    @property
    def density(self) -> float:
        return float(self.population) / float(self.area_km2) if self.area_km2 else 0.0
