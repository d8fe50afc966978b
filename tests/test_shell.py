"""The Bootstrap Italia shell: languages, skiplinks, menu, footer, CSP without inline code, editable pages."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.defaults import permission_denied

from phases.factories import NeedFactory
from psm_portal.pages.models import SitePage
from tests.conftest import CAST

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/comuni/",
    "/comuni/083048/",
    "/accedi/",
    "/accedi/password-dimenticata/",
    "/opendata/",
    "/accessibilita/",
    "/privacy/",
    "/note-legali/",
    "/en/",
    "/en/comuni/",
]
TEAM_PAGES = [
    "/area-riservata/",
    "/area-riservata/utenti/",
    "/area-riservata/utenti/invita/",
    "/area-riservata/pagine/privacy/modifica/",
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)


def html_of(response, status: int = 200) -> str:
    """The page's HTML, once its status is the expected one (a redirect or an error page would pass a test
    that only looks for what is missing)."""
    assert response.status_code == status, (response.request["PATH_INFO"], response.status_code)
    return response.content.decode()


def _csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _assert_no_inline_code(html: str, url: str) -> None:
    assert not INLINE_SCRIPT.search(html), f"inline <script> in {url}"
    assert not INLINE_STYLE.search(html), f"style= attribute in {url}: {INLINE_STYLE.search(html)}"
    assert not INLINE_HANDLER.search(html), f"inline event handler in {url}"
    assert "<style" not in html.lower(), f"<style> element in {url}"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_have_a_strict_csp_and_no_inline_code(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    directives = _csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    _assert_no_inline_code(response.content.decode(), url)


@pytest.mark.parametrize("url", TEAM_PAGES)
def test_reserved_pages_have_no_inline_code(login, team_user, url):
    response = login(team_user).get(url)
    assert response.status_code == 200, url
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    _assert_no_inline_code(response.content.decode(), url)


@pytest.mark.parametrize("who", CAST[1:])
def test_reserved_area_of_each_role_has_no_inline_code(cast, login, who):
    response = login(cast(who)).get(reverse("accounts:dashboard"))
    _assert_no_inline_code(html_of(response), who)


def test_form_errors_have_no_inline_code(client):
    response = client.post(reverse("accounts:login"), {"username": "x", "password": ""})
    _assert_no_inline_code(html_of(response), "login with errors")  # the form again, with its errors


def test_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_italian_by_default_english_under_en(client):
    italian = html_of(client.get("/"))
    english = html_of(client.get("/en/"))
    assert '<html lang="it">' in italian
    assert '<html lang="en">' in english
    assert 'hreflang="en" href="/en/"' in italian
    assert 'hreflang="it" href="/"' in english


def test_language_switch_links_to_the_same_page(client):
    html = html_of(client.get("/comuni/083048/"))
    assert 'href="/en/comuni/083048/" lang="en" hreflang="en"' in html
    assert 'href="/comuni/083048/" lang="it" hreflang="it" aria-current="true"' in html
    english = html_of(client.get("/en/comuni/083048/"))
    assert 'href="/comuni/083048/" lang="it" hreflang="it"' in english
    assert 'href="/en/comuni/083048/" lang="en" hreflang="en" aria-current="true"' in english


def test_language_switch_keeps_the_query(client):
    html = html_of(client.get("/comuni/?q=lipari"))
    assert 'href="/en/comuni/?q=lipari"' in html


def test_skiplinks_point_at_existing_targets(client):
    html = html_of(client.get("/"))
    assert '<div class="skiplinks">' in html
    assert 'href="#main-container"' in html and 'id="main-container"' in html
    assert 'href="#footer"' in html and 'id="footer"' in html


def test_main_menu_items_in_order(client):
    html = html_of(client.get("/"))
    labels = re.findall(r'<li class="nav-item"><a class="nav-link[^"]*" href="[^"]+"[^>]*><span>([^<]+)</span>', html)
    expected = ["Il processo", "Visione", "Questionario", "Progetti", "Comuni", "Piano"]
    # Every item whose page exists is there, in the declared order; Comuni always is.
    assert "Comuni" in labels and "Il processo" in labels
    assert labels == [label for label in expected if label in labels]


def test_menu_marks_the_current_section(client):
    html = html_of(client.get("/comuni/083048/"))
    assert 'class="nav-link active" href="/comuni/" aria-current="page"' in html


def test_menu_marks_the_current_section_in_english(client):
    html = html_of(client.get("/en/comuni/083048/"))
    assert 'class="nav-link active" href="/en/comuni/" aria-current="page"' in html


def test_reserved_area_marks_no_public_section(login, team_user):
    html = html_of(login(team_user).get("/area-riservata/fasi/"))
    assert 'aria-current="page"><span>Il processo</span>' not in html
    assert 'class="nav-link active"' not in html


def test_public_section_is_still_current_on_its_own_page(client):
    html = html_of(client.get("/fasi/"))
    assert 'class="nav-link active" href="/fasi/" aria-current="page"><span>Il processo</span>' in html


def test_menu_buttons_have_accessible_names(client):
    html = html_of(client.get("/"))
    assert 'aria-label="Apri il menu"' in html
    assert 'class="btn close-menu" type="button" aria-label="Chiudi il menu"' in html
    for button in re.findall(r"<button[^>]*>.*?</button>", html, re.DOTALL):
        text = re.sub(r"<[^>]+>", "", button).strip()
        assert text or "aria-label=" in button, button


def test_footer_links_to_the_three_pages_and_open_data(client):
    html = html_of(client.get("/"))
    footer = html[html.index('<footer class="it-footer" id="footer">') :]
    for url, label in [
        ("/accessibilita/", "Dichiarazione di accessibilità"),
        ("/privacy/", "Privacy"),
        ("/note-legali/", "Note legali"),
        ("/opendata/", "Open data"),
    ]:
        assert f'<a href="{url}">{label}</a>' in footer


def test_no_cookie_banner(client):
    html = html_of(client.get("/")).lower()
    assert "cookiebar" not in html and "cookie-bar" not in html
    response = client.get("/")
    assert response.status_code == 200
    assert not response.cookies  # an anonymous visit sets no cookie at all


def test_home_explains_the_three_phases(client):
    html = html_of(client.get("/"))
    for phase in ("Ascolto e Schema generale", "Agenda strategica", "Piano finale"):
        assert phase in html
    assert 'id="processo"' in html


def test_theme_assets_are_local(client):
    html = html_of(client.get("/"))
    assert "/static/css/bootstrap-italia.min.css" in html
    assert '<script type="module" src="/static/psm/js/portal.js"></script>' in html
    assert "cdn" not in html.lower()


def test_pages_load_only_the_components_they_use(client):
    """Not Bootstrap Italia's 1 MB bundle, nor its non-bundled build with every component: the shell's menu only."""
    html = html_of(client.get("/"))
    assert "bootstrap-italia.bundle" not in html and "bootstrap-italia.min.js" not in html
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/static/psm/js/portal.js">']


def test_unknown_page_is_a_friendly_404(client):
    html = html_of(client.get("/non-esiste/"), 404)
    assert "Pagina non trovata" in html and '<html lang="it">' in html


def test_refused_page_says_why(login, council_user):
    html = html_of(login(council_user).get(reverse("accounts:users")), 403)
    assert "Questa pagina è riservata ad altri ruoli" in html


def test_a_403_shows_its_own_reason(login, mayor_a, messina):
    need = NeedFactory(municipality=messina)
    response = login(mayor_a).post(reverse("phases:need_detail", args=[need.pk]), {"status": "accepted"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Solo il team PSM esamina le istanze." in html
    assert "Questa pagina è riservata ad altri ruoli" not in html


def test_a_403_without_a_reason_shows_the_generic_text(rf):
    response = permission_denied(rf.get("/"), PermissionDenied())
    assert response.status_code == 403
    assert "Se pensi di doverla vedere, scrivi al team PSM." in response.content.decode()


@pytest.mark.parametrize("slug", ["accessibilita", "privacy", "note-legali"])
def test_informative_pages_exist(client, slug):
    response = client.get(reverse("pages:page", args=[slug]))
    assert response.status_code == 200
    assert response.context["page"].slug == slug


def test_accessibility_statement_has_the_feedback_mechanism(client):
    html = html_of(client.get("/accessibilita/"))
    assert "Meccanismo di feedback" in html and "mailto:" in html


@pytest.mark.parametrize("who", CAST)
def test_only_the_team_edits_a_page(cast, login, who):
    client = login(cast(who))
    url = reverse("pages:edit", args=["privacy"])
    before = SitePage.objects.get(slug="privacy").body
    response = client.post(url, {"title": "Privacy", "body": "<p>Nuovo testo</p>"})
    page = SitePage.objects.get(slug="privacy")
    if who == "team_user":
        assert response.status_code == 302 and response["Location"] == "/privacy/"
        assert page.body == "<p>Nuovo testo</p>" and page.updated_by == cast(who)
    else:
        assert response.status_code == (302 if who == "anonymous" else 403)
        assert page.body == before
    public = html_of(login(cast(who)).get("/privacy/"))
    assert (url in public) == (who == "team_user")


def test_page_html_is_sanitised(login, team_user):
    client = login(team_user)
    body = (
        '<h2>Titolo</h2><p onclick="x()">Testo <a href="javascript:alert(1)">link</a> '
        '<a href="https://www.agid.gov.it/">AgID</a></p><script>alert("x")</script><img src=x onerror=y>'
    )
    response = client.post(
        reverse("pages:edit", args=["note-legali"]), {"title": "Note legali", "body": body}, follow=True
    )
    assert response.redirect_chain == [("/note-legali/", 302)]
    assert "La pagina «Note legali» è stata aggiornata." in html_of(response)
    stored = SitePage.objects.get(slug="note-legali").body
    assert "<script" not in stored and "alert" not in stored
    assert "onclick" not in stored and "onerror" not in stored and "<img" not in stored
    assert "javascript:" not in stored
    assert "<h2>Titolo</h2>" in stored
    assert 'href="https://www.agid.gov.it/"' in stored and 'rel="noopener noreferrer"' in stored


def test_page_html_edited_in_the_admin_is_sanitised_too(login, team_user):
    page = SitePage.objects.get(slug="note-legali")
    body = '<h2>Titolo</h2><p>Testo</p><script>alert("x")</script><img src=x onerror="alert(1)"><p onerror="y()">z</p>'
    response = login(team_user).post(
        reverse("admin:pages_sitepage_change", args=[page.pk]),
        {"slug": "note-legali", "title": "Note legali", "body": body, "_save": "1"},
    )
    assert response.status_code == 302
    stored = SitePage.objects.get(slug="note-legali")
    assert "<script" not in stored.body and "alert" not in stored.body
    assert "onerror" not in stored.body and "<img" not in stored.body
    assert stored.body == "<h2>Titolo</h2><p>Testo</p><p>z</p>"
    assert stored.updated_by == team_user
    assert "alert" not in html_of(login(None).get("/note-legali/"))


def test_page_edit_refuses_an_empty_title(login, team_user):
    response = login(team_user).post(reverse("pages:edit", args=["privacy"]), {"title": "", "body": "<p>x</p>"})
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert SitePage.objects.get(slug="privacy").title == "Privacy"


def test_page_edit_of_an_unknown_page_is_404(login, team_user):
    assert login(team_user).get("/area-riservata/pagine/chi-siamo/modifica/").status_code == 404


def test_the_open_data_page_has_its_breadcrumb(client):
    html = client.get("/opendata/").content.decode()
    trail = html[
        html.index('class="breadcrumb-container"') : html.index("</nav>", html.index('class="breadcrumb-container"'))
    ]
    assert 'href="/"' in trail and 'aria-current="page">Open data</li>' in trail
