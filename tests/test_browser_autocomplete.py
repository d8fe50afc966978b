"""Choosing comuni, offices and objectives: an accessible autocomplete with chips over a native select, which
works alone without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse

from psm_portal.lib.forms import AutocompleteSelect, AutocompleteSelectMultiple
from tests.browser import CHROMIUM_ARGS, assert_accessible, session_cookie


def test_the_widgets_render_a_plain_select_marked_for_the_script():
    html = AutocompleteSelectMultiple(choices=[("083048", "Messina"), ("083049", "Milazzo")]).render(
        "comuni", ["083049"], attrs={"id": "id_comuni"}
    )
    assert html.startswith('<select name="comuni"') and " multiple" in html and "data-psm-autocomplete" in html
    assert '<option value="083049" selected>Milazzo</option>' in html
    assert 'data-msg-remove="Rimuovi %s"' in html
    single = AutocompleteSelect(choices=[("", "---------"), ("1", "Viabilità")]).render("ufficio", "1")
    assert "data-psm-autocomplete" in single and " multiple" not in single


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choosing_comuni_by_typing_with_chips_and_without_javascript(office_a_user, live_server, chromium_path):
    from playwright.sync_api import sync_playwright

    url = live_server.url + reverse("projects:create")
    cookie = session_cookie(office_a_user, live_server)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
            page.context.add_cookies([cookie])
            page.goto(url)
            select = page.locator("#id_municipalities")
            assert select.is_hidden()
            box = page.get_by_role("combobox", name="Comuni interessati")
            listbox = page.get_by_role("listbox", name="Comuni interessati")
            box.fill("mila")
            listbox.get_by_role("option", name="Milazzo").wait_for()
            assert listbox.get_by_role("option").count() == 1
            assert_accessible(page, "autocomplete open")
            box.press("ArrowDown")
            box.press("Enter")  # chooses; never sends the form
            assert page.url == url
            page.get_by_role("button", name="Rimuovi Milazzo").wait_for()
            assert select.evaluate("s => [...s.selectedOptions].map(o => o.text)") == ["Milazzo"]
            assert page.get_by_role("status").filter(has_text="Milazzo aggiunto").count() == 1

            box.fill("ali")  # accents ignored: Alì, Alì Terme
            names = listbox.get_by_role("option").all_inner_texts()
            assert "Alì" in names and "Alì Terme" in names
            listbox.get_by_role("option", name="Alì Terme").click()
            assert select.evaluate("s => [...s.selectedOptions].map(o => o.text)") == ["Alì Terme", "Milazzo"]

            page.get_by_role("button", name="Rimuovi Milazzo").click()
            assert select.evaluate("s => [...s.selectedOptions].map(o => o.text)") == ["Alì Terme"]
            assert page.get_by_role("button", name="Rimuovi Alì Terme").is_visible()
            assert_accessible(page, "autocomplete with a chip")

            # Without JavaScript the native select is there, labelled, and works.
            plain = browser.new_context(java_script_enabled=False).new_page()
            plain.context.add_cookies([cookie])
            plain.goto(url)
            native = plain.get_by_label("Comuni interessati")
            assert native.evaluate("s => s.tagName + s.multiple") == "SELECTtrue"
            native.select_option(label="Milazzo")
            assert plain.locator(".psm-autocomplete").count() == 0
        finally:
            browser.close()
