"""Static files in production: hashed names, compressed copies, modules importing hashed names, far-future
caching; pages compressed too."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import bootstrap_italia_template
import pytest
from django.core.management import call_command
from django.test import Client

THEME_STATIC = Path(bootstrap_italia_template.__file__).parent / "static"


@pytest.fixture
def collected(settings, tmp_path):
    """``collectstatic`` with the production storage over the theme's components only (the whole theme takes
    a minute): the storage a fresh one, as a new process would have it."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    settings.DEBUG = False
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.STATIC_ROOT = tmp_path / "static"
    theme = tmp_path / "theme"
    theme.mkdir()
    for folder in ("plugins", "_virtual"):
        (theme / folder).symlink_to(THEME_STATIC / folder)
    (theme / "psm").mkdir()
    (theme / "psm" / "js").symlink_to(settings.BASE_DIR / "static" / "psm" / "js")
    settings.STATICFILES_DIRS = [theme]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "psm_portal.lib.staticfiles.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    return staticfiles_storage


def test_modules_import_each_other_by_hashed_name(collected):
    menu = collected.stored_name("plugins/navbar-collapsible.js")
    assert re.fullmatch(r"plugins/navbar-collapsible\.[0-9a-f]{12}\.js", menu)
    source = Path(collected.path(menu)).read_text()
    imported = re.findall(r"""from\s*['"]([^'"]+)['"]""", source)
    assert "./base-component.js" not in imported
    assert Path(collected.stored_name("plugins/base-component.js")).name in {Path(i).name for i in imported}
    assert all(re.search(r"\.[0-9a-f]{12}\.js$", name) for name in imported), imported
    portal = Path(collected.path(collected.stored_name("psm/js/portal.js"))).read_text()
    assert f'"../../{menu}"' in portal
    # The theme's whole-library entry point (it imports a file the theme does not ship) is left out.
    assert not (Path(collected.location) / "plugins" / "init.js").exists()


@pytest.mark.django_db
def test_hashed_files_are_served_compressed_with_far_future_caching(collected):
    name = collected.stored_name("plugins/navbar-collapsible.js")
    response = Client().get(f"/static/{name}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert b"NavBarCollapsible" in gzip.decompress(body)


@pytest.mark.django_db
def test_pages_are_compressed(client):
    response = client.get("/comuni/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert "psm-map-link" in html
    assert len(response.content) < len(html) / 3
