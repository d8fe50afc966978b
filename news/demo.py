"""Demo data for ``manage.py seed_demo``: a few news items of the team, linked to demo objectives, projects and
comuni, published through the services (so they are in the subscribers' updates too). Idempotent: nothing is done
once a news item exists."""

from __future__ import annotations

from municipalities.models import Municipality
from news.models import News
from news.services import news_publish, news_save
from phases.models import Objective, ObjectiveLevel
from projects.models import Project
from psm_portal.accounts.models import User

NEWS = [
    (
        "Al via l'ascolto dei comuni per il Piano Strategico",
        "I sindaci dei 108 comuni possono inviare le istanze del loro territorio e dare la loro posizione sulla "
        "Visione.",
        "<p>Si apre la fase di ascolto del <strong>Piano Strategico Metropolitano</strong>. Ogni comune può inviare "
        "le proprie istanze dall'area riservata.</p><h2>Come partecipare</h2><ul><li>Accedete all'area "
        "riservata</li><li>Inviate le istanze del vostro comune</li></ul>",
        ("083048", "083041"),
    ),
    (
        "Ponti e viabilità: i primi progetti nel parco progettuale",
        "Gli uffici della Città Metropolitana hanno caricato i primi progetti sulla viabilità provinciale.",
        "<p>Il parco progettuale si arricchisce dei progetti sulla viabilità: li trovate nella pagina dei "
        "progetti, con i comuni interessati e gli obiettivi a cui contribuiscono.</p>",
        ("083048",),
    ),
    (
        "Il questionario ai cittadini è aperto",
        "Dite la vostra sul futuro dell'area metropolitana: bastano dieci minuti.",
        "<p>Il questionario è anonimo e si compila da telefono o computer. I risultati saranno pubblicati in forma "
        "aggregata.</p>",
        (),
    ),
]


def seed(stdout) -> None:
    team = User.objects.filter(email="team@demo.psm.local").first()
    if team is None or News.objects.exists():
        return
    objectives = list(Objective.objects.filter(level=ObjectiveLevel.SPECIFIC).order_by("sort_key")[:2])
    projects = list(Project.objects.published().order_by("pk")[:2])
    for n, (title, summary, body, comuni) in enumerate(NEWS):
        news = news_save(
            user=team,
            title=title,
            summary=summary,
            body=body,
            objectives=objectives[: 2 - n] if n < 2 else [],
            projects=projects[:1] if n == 1 else [],
            municipalities=list(Municipality.objects.filter(istat_code__in=comuni)),
        )
        news_publish(user=team, news=news)
    stdout.write(f"Notizie dimostrative: {len(NEWS)} pubblicate su /notizie/.")
