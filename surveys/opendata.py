"""The questionnaires' open data: their entries in the catalogue (one CSV and one JSON per questionnaire with
public results, registered by ``SurveysConfig.ready``), and the small-group rule applied to the CSV's rows.

The CSV gives one row per response with its closed answers, and the comune and age band of each row are
*coarsened* so that every (comune, age band) combination it shows has at least ``SURVEYS_MIN_GROUP`` rows, the
rule by which the results page withholds a filtered group (``surveys.results.publishable``):

1. a comune with fewer responses reads «altri comuni» (so do "elsewhere" and "not given" when they are few);
2. a (place, age band) combination still too small gets the age band «non indicata»;
3. a (place, «non indicata») combination still too small moves to «altri comuni»;
4. the rows of («altri comuni», «non indicata»), if even that is too small, are left out.

Each step moves whole groups into a coarser one, which only grows, so one pass of each suffices: every row left
shares its comune and age band with at least ``SURVEYS_MIN_GROUP`` - 1 others. Why rows rather than counts by
comune and age band with suppression: the counts per question already are the JSON, and what rows add is how
answers go together (who chose "Autobus" and how they rank "Porti"), which an aggregate loses; coarsening costs
only the detail of small comuni and bands, which the results page hides too, and keeps the file's columns. The
team's XLSX keeps every row as sent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from psm_portal.lib.opendata import Dataset
from surveys.models import Questionnaire, Response
from surveys.results import publishable
from surveys.spreading import spread_pending
from surveys.tallies import cell_of

# A row's cell: (place, age band option id); place is an ISTAT code, "altro" (elsewhere) or "" (not given),
# and an age band 0 is none given. The coarsened cells add POOLED, the comuni with too few responses.
Cell = tuple[str, int]
POOLED = "*"
NO_BAND = 0


def coarsen(counts: Mapping[Cell, int]) -> dict[Cell, Cell | None]:
    """For each cell and its number of responses, the cell its rows are published under, or None when they
    are left out: every cell published holds at least ``SURVEYS_MIN_GROUP`` rows (see the module's steps)."""
    places: Counter[str] = Counter()
    for (place, _band), n in counts.items():
        places[place] += n
    target = {cell: (cell[0] if publishable(places[cell[0]]) else POOLED, cell[1]) for cell in counts}

    def too_small() -> set[Cell]:
        sizes: Counter[Cell] = Counter()
        for cell, published in target.items():
            sizes[published] += counts[cell]
        return {published for published, n in sizes.items() if not publishable(n)}

    for coarser in (lambda cell: (cell[0], NO_BAND), lambda cell: (POOLED, NO_BAND)):
        small = too_small()
        target = {cell: coarser(t) if t in small else t for cell, t in target.items()}
    small = too_small()
    return {cell: None if t in small else t for cell, t in target.items()}


def published_cells(questionnaire: Questionnaire) -> dict[Cell, Cell | None]:
    """``coarsen`` over the questionnaire's stored responses (one GROUP BY query after the spreading).

    Responses stored after this count can only make a group larger: a decision taken on it stays safe, and a
    cell not seen here has its rows left out."""
    spread_pending(questionnaire)
    counts: Counter[Cell] = Counter()
    for row in (
        Response.objects.filter(questionnaire=questionnaire)
        .spread()
        .values("municipality_id", "resident_elsewhere", "age_band_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[cell_of(row["municipality_id"], row["resident_elsewhere"], row["age_band_id"])] += row["n"]
    return coarsen(counts)


def rule_description() -> str:
    """The rule in words, for the catalogue."""
    return _(
        "Per l'anonimato ogni combinazione di comune e fascia d'età conta almeno %(n)d risposte: i comuni con "
        "meno risposte sono riuniti in «altri comuni», la fascia d'età dei gruppi ancora troppo piccoli è «non "
        "indicata» e le risposte che restano in un gruppo troppo piccolo sono omesse."
    ) % {"n": settings.SURVEYS_MIN_GROUP}


def datasets() -> list[dict]:
    entries = []
    for questionnaire in Questionnaire.objects.with_public_results().order_by("-opens_at").only("slug", "title"):
        title = _("Questionario «%(title)s»") % {"title": questionnaire.title}
        for name, description, url_name, kind in (
            (
                _("risposte"),
                _("Una riga per risposta, una colonna per domanda chiusa; le risposte aperte sono escluse.")
                + " "
                + rule_description(),
                "surveys:opendata_csv",
                "CSV",
            ),
            (
                _("risultati aggregati"),
                _("Conteggi e percentuali per ogni domanda chiusa."),
                "surveys:opendata_json",
                "JSON",
            ),
        ):
            entries.append(
                {
                    "dataset": Dataset(title + " — " + name, description, url_name, kind),
                    "url": reverse(url_name, args=[questionnaire.slug]),
                }
            )
    return entries
