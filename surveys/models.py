"""The citizen questionnaire: its structure (sections, questions, options) and the anonymous responses.

A response keeps no link to a person: no account, no e-mail, no address, and only the day it
was sent. Closed answers point at an ``Option`` (choices, yes/no, age band, ranking items), so
every aggregate is a GROUP BY on ``(question, option)``.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

OTHER_MUNICIPALITY = "altro"

DEFAULT_LIKERT_LABELS = [
    "Per niente d'accordo",
    "Poco d'accordo",
    "Né d'accordo né in disaccordo",
    "Abbastanza d'accordo",
    "Molto d'accordo",
]
AGE_BANDS = ["Meno di 18 anni", "18–24", "25–34", "35–44", "45–54", "55–64", "65–74", "75 anni e oltre"]
YES_NO = ["Sì", "No"]


class Kind(models.TextChoices):
    SINGLE = "single", _("Scelta singola")
    MULTIPLE = "multiple", _("Scelta multipla")
    LIKERT = "likert", _("Scala da 1 a 5")
    RANKING = "ranking", _("Classifica")
    SHORT_TEXT = "short_text", _("Testo breve")
    LONG_TEXT = "long_text", _("Testo lungo")
    NUMBER = "number", _("Numero")
    MUNICIPALITY = "municipality", _("Comune di residenza")
    AGE_BAND = "age_band", _("Fascia d'età")
    YES_NO = "yes_no", _("Sì / No")


# Kinds whose options the team writes (the others get fixed options).
EDITABLE_OPTION_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING}
# Kinds an answer can be conditioned on.
CONDITION_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.AGE_BAND, Kind.YES_NO}
OPEN_KINDS = {Kind.SHORT_TEXT, Kind.LONG_TEXT}


class Widget(models.TextChoices):
    RADIO = "radio", _("Pulsanti di opzione")
    SELECT = "select", _("Menu a tendina")


class QuestionnaireQuerySet(models.QuerySet):
    def published(self) -> QuestionnaireQuerySet:
        return self.filter(status=Questionnaire.Status.PUBLISHED)

    def open_at(self, moment=None) -> QuestionnaireQuerySet:
        moment = moment or timezone.now()
        return self.published().filter(opens_at__lte=moment, closes_at__gt=moment)

    def with_public_results(self) -> QuestionnaireQuerySet:
        return self.published().filter(results_published=True)

    def with_response_count(self) -> QuestionnaireQuerySet:
        return self.annotate(response_count=models.Count("responses"))


class Questionnaire(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        PUBLISHED = "published", _("Pubblicato")

    title = models.CharField(_("titolo"), max_length=200)
    slug = models.SlugField(_("indirizzo breve"), max_length=80, unique=True)
    introduction = models.TextField(_("introduzione"), blank=True)
    privacy_notice = models.TextField(_("informativa sulla privacy"))
    opens_at = models.DateTimeField(_("apertura"))
    closes_at = models.DateTimeField(_("chiusura"))
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    results_published = models.BooleanField(_("risultati pubblici"), default=False)
    version = models.PositiveSmallIntegerField(_("versione"), default=1)
    previous_version = models.ForeignKey(
        "self", verbose_name=_("versione precedente"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionario")
        verbose_name_plural = _("questionari")
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="questionnaire_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:start", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.is_published and self.opens_at <= moment < self.closes_at

    def has_responses(self) -> bool:
        return self.responses.exists()

    def touch(self) -> None:
        """Mark the structure as changed, so cached copies of it are reloaded: a new ``updated_at``
        (``Structure.cached``), and the save signal drops the published questionnaire kept per process."""
        self.save(update_fields=["updated_at"])

    def publish(self) -> None:
        self.status = self.Status.PUBLISHED
        self.save(update_fields=["status", "updated_at"])

    def set_results_published(self, value: bool) -> None:
        self.results_published = value
        self.save(update_fields=["results_published", "updated_at"])


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("titolo"), max_length=200)
    description = models.TextField(_("descrizione"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("sezione")
        verbose_name_plural = _("sezioni")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("domanda"), max_length=500)
    help_text = models.CharField(_("testo di aiuto"), max_length=500, blank=True)
    required = models.BooleanField(_("obbligatoria"), default=True)
    widget = models.CharField(
        _("presentazione"), max_length=10, choices=Widget.choices, default=Widget.RADIO, blank=True
    )
    max_choices = models.PositiveSmallIntegerField(_("numero massimo di scelte"), null=True, blank=True)
    allow_other = models.BooleanField(_("consenti «Altro» con testo libero"), default=False)
    likert_labels = models.JSONField(_("etichette della scala"), default=list, blank=True)
    rank_top = models.PositiveSmallIntegerField(_("posizioni da ordinare"), null=True, blank=True)
    min_value = models.IntegerField(_("valore minimo"), null=True, blank=True)
    max_value = models.IntegerField(_("valore massimo"), null=True, blank=True)
    condition_option = models.ForeignKey(
        "Option",
        verbose_name=_("mostra solo se è stata scelta"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dependent_questions",
    )

    class Meta:
        verbose_name = _("domanda")
        verbose_name_plural = _("domande")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    def scale(self) -> list[tuple[int, str]]:
        labels = self.likert_labels or DEFAULT_LIKERT_LABELS
        return [(value, f"{value} – {labels[value - 1]}") for value in range(1, 6)]


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("etichetta"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    # The "Altro" choice of a multiple or single choice: chosen with a free text.
    is_other = models.BooleanField(_("«Altro» con testo libero"), default=False)

    class Meta:
        verbose_name = _("opzione")
        verbose_name_plural = _("opzioni")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class ResponseQuerySet(models.QuerySet):
    def pending(self) -> ResponseQuerySet:
        """Responses whose answers are not yet spread into ``Answer`` rows and counts."""
        return self.filter(pending__isnull=False)

    def spread(self) -> ResponseQuerySet:
        return self.filter(pending__isnull=True)

    def filtered(self, *, municipality: str = "", age_band: int | None = None) -> ResponseQuerySet:
        qs = self
        if municipality == OTHER_MUNICIPALITY:
            qs = qs.filter(resident_elsewhere=True)
        elif municipality:
            qs = qs.filter(municipality_id=municipality)
        if age_band:
            qs = qs.filter(age_band_id=age_band)
        return qs


class Response(models.Model):
    """One anonymous response. Only the day is kept and the key is random, so what is published
    carries neither the time nor the order of arrival, which could match it with a line of a web
    server's log. The answers' own row numbers do follow the order of insertion: they are never
    exported or shown, and nothing is listed in their order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    submitted_on = models.DateField(_("giorno di invio"))
    # Copied from the answers so results can be filtered with one join.
    municipality = models.ForeignKey(
        "municipalities.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resident_elsewhere = models.BooleanField(default=False)
    age_band = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The answers as sent, until ``responses_spread`` writes them out as ``Answer`` rows and counts.
    pending = models.JSONField(null=True, blank=True, editable=False)
    # The random number drawn with the draft and carried, signed, by the last section's form: unique, so the
    # same signed form sent again stores nothing (``response_submit``). It names no person: the "answered"
    # cookie holds the draft's other id, never this one.
    nonce = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("risposta")
        verbose_name_plural = _("risposte")
        indexes = [
            models.Index(fields=["questionnaire", "municipality"], name="surveys_resp_q_muni"),
            models.Index(
                fields=["questionnaire"], name="surveys_resp_pending", condition=models.Q(pending__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.pk}"


class Answer(models.Model):
    """One value of a response. Multiple choices and rankings take one row per chosen option."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="answers")
    # Likert value or number; the position of a ranking item.
    number = models.IntegerField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    municipality = models.ForeignKey(
        "municipalities.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Open answers and the free text of "Altro".
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("valore della risposta")
        verbose_name_plural = _("valori delle risposte")
        indexes = [
            models.Index(fields=["question", "option", "rank"], name="surveys_answer_q_opt"),
            models.Index(fields=["question", "number"], name="surveys_answer_q_num"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.number or self.municipality_id or self.text[:30]}"


class SpreadingJob(models.Model):
    """The spreading of pending responses seen as one job (a single row): when a worker's run last started or
    ended, when the sweeper first saw responses waiting, and when it last had to ask for a run because nobody
    had (``surveys.spreading.spreading_resume_stale``). Responses keep no time of their own: this row does."""

    active_at = models.DateTimeField(_("ultimo passaggio di un worker"), null=True, blank=True)
    pending_seen_at = models.DateTimeField(_("risposte in attesa viste il"), null=True, blank=True)
    resumes = models.PositiveIntegerField(_("riprese dopo un'interruzione"), default=0)
    resumed_at = models.DateTimeField(_("ultima ripresa"), null=True, blank=True)

    class Meta:
        verbose_name = _("distribuzione delle risposte")
        verbose_name_plural = _("distribuzione delle risposte")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Tally(models.Model):
    """Running counts of the answers per cell (residence × age band), added in the same transaction
    that spreads a response into its answers (``surveys.spreading``), so the results page sums a
    bounded number of rows instead of scanning every answer. ``tally_rebuild`` recomputes them from
    the answers.

    Keys use 0 and "" rather than NULL so that the upsert's conflict target always matches:
    question 0 counts the responses themselves; option 0 with value 0 counts who answered a
    question (with the sum, minimum and maximum of its numbers); ``value`` is a Likert value or,
    for a municipality question, the ISTAT code as a number (-1 for another municipality).
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="tallies")
    question_id = models.IntegerField(default=0)
    option_id = models.IntegerField(default=0)
    value = models.IntegerField(default=0)
    municipality = models.CharField(max_length=6, default="", blank=True)  # "" none given, "altro" elsewhere
    age_band_id = models.IntegerField(default=0)
    count = models.IntegerField(default=0)
    rank_sum = models.BigIntegerField(default=0)
    number_sum = models.BigIntegerField(default=0)
    number_min = models.IntegerField(null=True, blank=True)
    number_max = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("conteggio")
        verbose_name_plural = _("conteggi")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "question_id", "option_id", "value", "municipality", "age_band_id"],
                name="surveys_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.question_id}/{self.option_id}/{self.value}: {self.count}"
