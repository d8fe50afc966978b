"""Every page of the portal, as each role sees it, at 375 and 1280 px: no label sits on another field, option or
text, nothing scrolls sideways, axe-core finds no WCAG 2.1 A/AA violation.

The pages are found, not listed. With the demo data (``seed_demo``, plus a plan document and a projects' import),
each role's pages are crawled with Django's test client from the home page and the dashboard, following links and
forms' addresses and keeping the first address of each URL name. Each phase of the process opens its own pages
(``phases/phases.py``), so the walk is repeated a day into each phase, the clock held there, as the roles that take
part in it (``WALKS``); the browser visits a page at the moment it was found. Every URL name of the resolver must then
have been reached by some role: a new page is checked as soon as a link leads to it, and a page no link reaches fails
``test_every_url_is_reached``. Downloads are never fetched (``DOWNLOADS``).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from html import unescape
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.browser import CHROMIUM_ARGS, WCAG_TAGS, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {375: {"width": 375, "height": 812}, 1280: {"width": 1280, "height": 900}}
# Anonymous first: a public page is checked as the public sees it.
ROLES = {
    "anonymous": None,
    "team": "team@demo.psm.local",
    "office": "ufficio.a@demo.psm.local",
    "mayor": "sindaco.a@demo.psm.local",
    "council": "consiglio@demo.psm.local",
    "stakeholder": "stakeholder@demo.psm.local",
    "secretary": "segreteria@demo.psm.local",
}
# The phases walked, in order, each with the roles walked in it: the demo's own moment (the first phase), then a day
# into the second (proposals, the draft plan's discussion, the annual agenda) and the third (the council's
# examination, the agenda, reporting on the implementation), then the third again with a second version under the
# council's examination (``_second_examination``).
WALKS = {
    "listening": ["anonymous", "team", "office", "mayor", "council", "stakeholder"],
    "agenda": ["team", "office", "mayor", "stakeholder"],
    "final": ["team", "office", "council", "secretary"],
    "examination": ["team", "council", "secretary"],
}
# Pages whose content depends on who looks: every role that reaches them sees them in the browser (in the first phase).
PER_ROLE = {"home", "accounts:dashboard"}
# Files, not pages: they count as reached when linked, and are never fetched.
DOWNLOADS = {
    "healthz",
    "surveys:opendata_csv",
    "surveys:opendata_json",
    "surveys:export_xlsx",
    "surveys:qr",
    "surveys:poster",
    "municipalities:opendata_csv",
    "phases:opendata_objectives",
    "phases:opendata_positions",
    "phases:position_attachment",
    "phases:need_attachment",
    "projects:import_template",
    "projects:import_status",
    "projects:opendata_csv",
    "projects:opendata_json",
    "plan:download",
    "plan:status",
    "news:feed",
    "tables:opendata_csv",
    "tables:table_calendar",
    "tables:personal_calendar",
    "tables:document",
    "tables:contribution_document",
    "vocations:opendata_vocations",
    "vocations:opendata_scenarios",
}
# Reached otherwise than by a link from the demo's pages, each for its reason.
NOT_LINKED = {
    "surveys:section": "reached by answering; the team's preview shows the same questions",
    "surveys:thanks": "reached by answering",
    "implementation:report_import": "phase 3",
    # Members answer invitations and send contributions in phases 2 and 3; tests/tables/test_browser.py walks them.
    "tables:answer": "phase 2",
    "tables:contribute": "phase 2",
    "tables:personal_calendar": "a secret address shown as text once the member creates it",
    "tables:document": "the demo's sessions carry no documents; tests/tables/test_views.py downloads them",
    "tables:contribution_document": "the demo's contributions carry no documents; tests/tables/test_views.py",
    "implementation:governance_remind": "the governance model's review opens in phase 3 (test_governance.py)",
    "phases:position_save": "the one-position form: the positions page now saves them all with one button",
    "news:image": "the demo's news have no picture; tests/news/test_views.py serves one",
    "news:unpublish": "on a published item's edit page; the crawl opens one edit page, the draft's with «Pubblica»",
}
# Irreversible acts answer a POST without the confirmation field with the confirmation page and change nothing
# (psm_portal/lib/confirm.py): the browser presses the button that leads to each, once, and checks that page too.
# {URL name of the act: the button that asks for the confirmation}. Not here: the phases' new dates (saved at once
# when they move no other phase), deciding a proposal (its form needs a choice first) and sending the plan to the
# council (the browser comes after every walk, when the second examination is open and the form is gone).
CONFIRMED_ACTS = {
    "phases:phase_close": "[type=submit]",
    "phases:version_close": "[type=submit]",
    "phases:version_adopt": "[type=submit]",
    "surveys:publish": "button[value=pubblica]",
    "plan:publish": "[type=submit]",
    "plan:amendment_withdraw": "[type=submit]",
    "projects:agenda_submit": "[type=submit]",
    "projects:action_delete": "[type=submit]",
    "implementation:report_validate": "[type=submit]",
    "vocations:scenario_review_close": "[type=submit]",
}
POST_FORMS = "() => [...document.querySelectorAll('form[method=post]')].map((form) => form.getAttribute('action'))"
LINK = re.compile(r"""<(?:a|form)\b[^>]*?\b(?:href|action)="([^"#]*)""", re.IGNORECASE)

# What the browser reports about the page as it is now: labels lying on another field, option or text, and the
# document's width against the viewport's. Elements of 1 px or less are visually hidden ones.
PAGE_CHECKS = """() => {
  const shown = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== "hidden" && s.display !== "none" && s.opacity !== "0";
  };
  const text = (el) => (el.innerText || el.value || el.name || el.tagName).trim().slice(0, 50);
  const others = [...document.querySelectorAll(
    "input:not([type=hidden]), select, textarea, button, label, legend, h1, h2, h3, h4, h5, h6, p, .form-text"
  )].filter(shown);
  const overlaps = [];
  for (const label of [...document.querySelectorAll("label")].filter(shown)) {
    const a = label.getBoundingClientRect();
    for (const other of others) {
      if (other === label || other === label.control || label.contains(other) || other.contains(label)) continue;
      const b = other.getBoundingClientRect();
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) overlaps.push(`label «${text(label)}» on <${other.tagName.toLowerCase()}> «${text(other)}»`);
    }
  }
  const root = document.documentElement;
  return {overlaps, scrollWidth: root.scrollWidth, width: root.clientWidth};
}"""


def _confirmed_act(actions: list[str | None], done: set[str]) -> tuple[str, str] | None:
    """The first form's address on the page whose act asks for a confirmation not yet seen, with its URL name."""
    for action in actions:
        try:
            name = resolve(urlsplit(action or "").path).view_name
        except Resolver404:
            continue
        if name in CONFIRMED_ACTS and name not in done:
            return action, name
    return None


def _check(page, axe, where: str) -> list[str]:
    """What is wrong with the page as it is now: labels on other things, sideways scroll, axe-core's violations."""
    problems = []
    checks = page.evaluate(PAGE_CHECKS)
    problems += [f"{where}: {overlap}" for overlap in checks["overlaps"]]
    if checks["scrollWidth"] > checks["width"]:
        problems.append(f"{where}: {checks['scrollWidth']} px wide in a {checks['width']} px window")
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        rules = sorted({v["id"] for v in results.response["violations"]})
        problems.append(f"{where}: axe {rules}")
    return problems


def _url_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":  # Django's own admin is not the portal's page
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def _seed() -> dict[str, object]:
    """The demo data, and what it lacks for some pages: plan documents, a checked import, drafts of the team."""
    from news.models import News
    from phases.factories import VisionVersionFactory
    from phases.models import DocumentKind, VisionStatus
    from plan.models import PlanDocument, PlanKind, PlanStatus
    from projects.models import ImportState, ProjectImport
    from psm_portal.accounts.models import Role, User
    from subscriptions.models import Subscriber
    from surveys.factories import every_kind_questionnaire
    from surveys.models import Questionnaire
    from vocations.models import Round, RoundStatus

    call_command("seed_demo", verbosity=0, stdout=StringIO())
    for version, published in ((1, True), (2, False)):
        PlanDocument.objects.create(
            kind=PlanKind.DRAFT,
            version=version,
            status=PlanStatus.READY,
            progress=100,
            snapshot={"kind": PlanKind.DRAFT, "sections": {}},
            content_hash=str(version).ljust(64, "0"),
            requested_at=timezone.now(),
            file=default_storage.save(f"piano/bozza-{version}.pdf", ContentFile(b"%PDF-1.7\n% a plan\n")),
            sha256="ab" * 32,
            size=18,
            pages=42,
            published_at=timezone.now() if published else None,
        )
    # What the team is still preparing: a Vision version, a closed review to adopt, a questionnaire.
    VisionVersionFactory(number=98, status=VisionStatus.CLOSED)
    VisionVersionFactory(number=99, status=VisionStatus.DRAFT)
    # And the governance model's: a closed review to adopt, a draft.
    for number, status in ((98, VisionStatus.CLOSED), (99, VisionStatus.DRAFT)):
        VisionVersionFactory(kind=DocumentKind.GOVERNANCE, number=number, status=status)
    # And the scenarios': a closed review, one open to positions (mayors and offices answer it in phase 2), a draft.
    for number, status in ((97, VisionStatus.CLOSED), (98, VisionStatus.OPEN), (99, VisionStatus.DRAFT)):
        VisionVersionFactory(
            kind=DocumentKind.SCENARIOS,
            number=number,
            status=status,
            deadline=timezone.now() + timedelta(days=3650) if status == VisionStatus.OPEN else None,
        )
    every_kind_questionnaire(slug="in-preparazione", status=Questionnaire.Status.DRAFT)
    # The demo's round on the vocations is closed: a round being answered and one in preparation.
    Round.objects.create(title="Consultazione in corso", status=RoundStatus.OPEN, opened_at=timezone.now())
    Round.objects.create(title="Consultazione in preparazione")
    office_user = User.objects.get(email=ROLES["office"])
    ProjectImport.objects.create(
        office=office_user.office,
        uploaded_by=office_user,
        original_name="progetti.xlsx",
        file="imports/progetti.xlsx",
        state=ImportState.PREVIEW,
        preview=[{"row": 2, "action": "create", "title": "Strada provinciale 1"}],
        total_rows=2,
        processed_rows=2,
        to_create=2,
    )
    # A draft the team has not published yet, and a citizen who has not confirmed yet.
    News.objects.create(title="Notizia in bozza", slug="notizia-in-bozza", summary="Ancora da pubblicare.")
    pending = Subscriber.objects.create(email="in-attesa@demo.psm.local")
    demo_subscriber = Subscriber.objects.get(email="cittadina@demo.psm.local")
    firsts = _later_phases_data(office_user, User.objects.get(email=ROLES["mayor"]))
    invited = User.objects.create_user("invitata@demo.psm.local", None, full_name="Invitata", role=Role.COUNCIL)
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    reset_for = User.objects.get(email=ROLES["council"])
    return {
        "firsts": firsts,
        "users": {role: User.objects.get(email=email) if email else None for role, email in ROLES.items()},
        # Links that arrive by e-mail: no page leads to them.
        "starts": [
            reverse("subscriptions:sent"),
            reverse("subscriptions:confirm", args=[pending.confirm_token]),
            reverse("subscriptions:unsubscribe", args=[demo_subscriber.unsubscribe_token]),
            reverse("accounts:password_reset_done"),
            reverse("accounts:password_reset_complete"),
            reverse("accounts:invitation", args=[uid, default_token_generator.make_token(invited)]),
            reverse(
                "accounts:password_reset_confirm",
                args=[urlsafe_base64_encode(force_bytes(reset_for.pk)), default_token_generator.make_token(reset_for)],
            ),
        ],
    }


def _later_phases_data(office_user, mayor) -> dict[str, dict[str, list[str]]]:
    """What the later phases act on and the demo lacks: a mayor's comment on the draft plan (the team replies in its
    thread), a draft agenda with an action of the office, a submitted progress report with its document. A page is
    visited at the first address of its URL name: the pages of these objects are visited first in their phase, per
    role ({phase: {role: [addresses]}}; each is also linked from its list)."""
    from implementation.models import ProgressReport
    from plan.models import DraftSection, PlanComment, PlanDocument, PlanKind
    from projects.factories import AgendaActionFactory, AgendaFactory
    from projects.models import Agenda, AgendaStatus

    draft = PlanDocument.objects.get(kind=PlanKind.DRAFT, version=1)
    PlanComment.objects.create(
        document=draft,
        section=DraftSection.VISION,
        municipality=mayor.municipality,
        author=mayor,
        body="La Visione non nomina il porto di Milazzo.",
    )
    agenda = Agenda.objects.filter(status=AgendaStatus.DRAFT).first()
    if agenda is None:
        agenda = AgendaFactory(year=(max(Agenda.objects.values_list("year", flat=True), default=2027) + 1))
    action = AgendaActionFactory(
        agenda=agenda, responsible_office=office_user.office, title="Manutenzione delle strade provinciali"
    )
    report = ProgressReport.objects.pending().order_by("pk").first()
    report.document = default_storage.save("attuazione/verbale.pdf", ContentFile(b"%PDF-1.7\n% a report\n"))
    report.document_name = "verbale.pdf"
    report.save(update_fields=["document", "document_name"])
    agenda_pages = [
        reverse("plan:discussion_section", args=[DraftSection.VISION]),
        reverse("projects:agenda_detail", args=[agenda.pk]),
        reverse("projects:action_edit", args=[action.pk]),
    ]
    report_page = [reverse("implementation:report", args=[report.pk])]
    return {
        "listening": {},
        "agenda": {role: agenda_pages for role in ROLES},
        "final": {
            "team": report_page,
            "office": report_page,
        },
    }


def _second_examination(users: dict) -> dict[str, list[str]]:
    """A second final version under the council's examination in the third phase (the demo's first one is approved),
    with an amendment just filed and one admitted: made after the walks that need the demo's examination over (its
    deliberation, sending a version to the council). The amendments' pages, first, for the roles that act on them."""
    from plan.models import AmendmentState, PlanDocument, PlanKind, PlanStatus
    from plan.services.council import Window, file_amendment, open_examination, record_admissibility

    team, council, secretary = users["team"], users["council"], users["secretary"]
    final = _moments()["examination"]
    second = PlanDocument.objects.create(
        kind=PlanKind.FINAL,
        version=PlanDocument.objects.filter(kind=PlanKind.FINAL).count() + 1,
        status=PlanStatus.READY,
        progress=100,
        snapshot={"kind": PlanKind.FINAL, "sections": {}},
        content_hash="f".ljust(64, "0"),
        requested_at=timezone.now(),
        file=default_storage.save("piano/finale-2.pdf", ContentFile(b"%PDF-1.7\n% the final plan\n")),
        sha256="cd" * 32,
        size=26,
        pages=80,
    )
    with time_machine.travel(final - timedelta(hours=1), tick=False):
        examination = open_examination(
            team, second, None, Window(final - timedelta(hours=1), final + timedelta(days=14))
        )
        filed = file_amendment(
            council,
            examination,
            {"target": "section", "section": "vision", "text": "Lo Stretto.", "motivation": "Manca."},
        )
        admitted = file_amendment(
            council,
            examination,
            {"target": "section", "section": "annex", "text": "Le frazioni.", "motivation": "Completezza."},
        )
        admitted = record_admissibility(secretary, admitted, True)
    assert admitted.state == AmendmentState.ADMISSIBLE
    return {
        "team": [reverse("plan:amendment", args=[filed.pk])],
        "council": [reverse("plan:amendment", args=[filed.pk])],
        "secretary": [reverse("plan:amendment", args=[admitted.pk])],
    }


def _crawl(user, starts: list[str]) -> tuple[dict[str, str], set[str]]:
    """The pages ``user`` reaches ({URL name: first address that is an HTML page}) and every URL name reached."""
    client = Client()
    if user is not None:
        client.force_login(user, backend="psm_portal.accounts.backends.RoleBackend")
    todo = [*starts, "/"] + ([reverse("accounts:dashboard")] if user is not None else [])
    reached: set[str] = set()
    pages: dict[str, str] = {}
    while todo:
        url = todo.pop(0)
        path = urlsplit(url).path
        if path.startswith(("/static/", "/media/", "/en/", "/admin/")):
            continue
        try:
            name = resolve(path).view_name
        except Resolver404:
            continue
        if name in reached:
            continue
        reached.add(name)
        if name in DOWNLOADS:
            continue
        response = client.get(url, follow=True)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue  # a POST-only act (405), a page this role may not see (403), …
        pages.setdefault(name, response.redirect_chain[-1][0] if response.redirect_chain else url)
        for href in LINK.findall(response.content.decode()):
            target = urljoin(url, unescape(href)) if href else url
            if urlsplit(target).netloc in ("", "testserver"):
                todo.append(urlsplit(target)._replace(scheme="", netloc="").geturl())
    return pages, reached


def _moments() -> dict[str, datetime | None]:
    """When each phase is walked: the demo's own moment for the first, a day after the start of the others."""
    from phases.models import Phase

    starts = dict(Phase.objects.values_list("key", "starts_at"))
    starts["examination"] = starts["final"]
    return {phase: None if phase == "listening" else starts[phase] + timedelta(days=1) for phase in WALKS}


@contextmanager
def _at(moment: datetime | None, *, tick: bool):
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=tick):
        yield


@pytest.fixture
def site():
    """The demo data and, for each phase and role, the pages it is shown in the browser (each page once, by the first
    role that reaches it, except the PER_ROLE ones in the first phase)."""
    data = _seed()
    moments = _moments()
    shown: set[str] = set()
    plan: list[tuple[str, str, list[str]]] = []
    reached: set[str] = set()
    for phase, roles in WALKS.items():
        repeated = PER_ROLE if phase == "listening" else set()
        if phase == "examination":
            data["firsts"][phase] = _second_examination(data["users"])
        with _at(moments[phase], tick=False):
            for role in roles:
                pages, names = _crawl(data["users"][role], data["firsts"][phase].get(role, []) + data["starts"])
                reached |= names
                firsts = set(data["firsts"][phase].get(role, []))
                urls = [
                    url for name, url in sorted(pages.items()) if name in repeated or name not in shown or url in firsts
                ]
                if urls:
                    plan.append((phase, role, urls))
                shown |= set(pages)
    return {"users": data["users"], "plan": plan, "reached": reached, "moments": moments}


def test_every_url_is_reached(site):
    missing = _url_names() - site["reached"] - DOWNLOADS - set(NOT_LINKED)
    assert not missing, f"URL names no role reached by a link (seed data or a link is missing): {sorted(missing)}"


@pytest.mark.parametrize("width", VIEWPORTS)
def test_every_page_at_this_width_has_no_overlap_no_sideways_scroll_and_passes_axe(site, live_server, width):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    problems: list[str] = []
    visited = 0
    confirmations: dict[str, bool] = {}  # {act: its confirmation page was shown}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for phase, role, urls in site["plan"]:
                # The session is made at the phase's moment: one made now would have expired by then.
                with _at(site["moments"][phase], tick=True):
                    context = browser.new_context(viewport=VIEWPORTS[width], locale="it-IT")
                    user = site["users"][role]
                    if user is not None:
                        context.add_cookies([session_cookie(user, live_server)])
                    page = context.new_page()
                    errors: list[str] = []
                    page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                    for url in urls:
                        where = f"{role} ({phase}) {url} @{width}px"
                        response = page.goto(live_server.url + url, wait_until="load")
                        if response is None or response.status != 200:
                            problems.append(f"{where}: HTTP {response and response.status}")
                            continue
                        visited += 1
                        problems += _check(page, axe, where)
                        # Each act on the page that asks for a confirmation, once: its button, then back.
                        while act := _confirmed_act(page.evaluate(POST_FORMS), set(confirmations)):
                            action, name = act
                            button = page.locator(f'form[method=post][action="{action}"]').locator(CONFIRMED_ACTS[name])
                            if not button.count():
                                confirmations[name] = None  # not this one's button here (a published questionnaire)
                                continue
                            with page.expect_navigation(wait_until="load"):
                                button.first.click()
                            confirmations[name] = page.locator("input[name=conferma]").count() == 1
                            problems += _check(page, axe, f"{where} → {name}")
                            page.goto(live_server.url + url, wait_until="load")
                        problems += [f"{where}: JavaScript error {error}" for error in errors]
                        errors.clear()
                    context.close()
        finally:
            browser.close()
    assert visited > 40, visited
    assert not problems, "\n".join(problems)
    assert confirmations == dict.fromkeys(CONFIRMED_ACTS, True), confirmations
