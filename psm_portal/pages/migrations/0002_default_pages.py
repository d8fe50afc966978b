from django.db import migrations

PAGES = {
    "accessibilita": (
        "Dichiarazione di accessibilità",
        "<p>La Città Metropolitana di Messina si impegna a rendere accessibile il Portale del Piano Strategico "
        "Metropolitano, conformemente alla Legge 9 gennaio 2004, n. 4 e alle Linee guida AgID sull'accessibilità "
        "degli strumenti informatici.</p>"
        "<h2>Stato di conformità</h2><p>Il portale è progettato per essere conforme ai requisiti della norma "
        "UNI CEI EN 301549 e alle WCAG 2.1 di livello AA. Ogni pagina è verificata con strumenti automatici "
        "durante lo sviluppo.</p>"
        "<h2>Meccanismo di feedback</h2><p>Per segnalare un problema di accessibilità scrivi al team PSM "
        "all'indirizzo <a href=\"mailto:psm@cittametropolitana.me.it\">psm@cittametropolitana.me.it</a>. "
        "Se la risposta non è soddisfacente puoi rivolgerti al Difensore civico per il digitale di AgID.</p>",
    ),
    "privacy": (
        "Privacy",
        "<p>Titolare del trattamento è la Città Metropolitana di Messina.</p>"
        "<h2>Cittadini</h2><p>Il questionario è anonimo: non chiediamo nome né e-mail e non conserviamo "
        "l'indirizzo IP in chiaro. Per limitare gli abusi conserviamo per un periodo limitato solo un'impronta "
        "cifrata e non reversibile dell'indirizzo.</p>"
        "<h2>Utenti dell'area riservata</h2><p>Di chi accede all'area riservata trattiamo nome, e-mail, ruolo e "
        "ente di appartenenza, solo per lo svolgimento del processo del piano.</p>"
        "<h2>Cookie</h2><p>Il portale usa solo cookie tecnici (sessione, protezione dei moduli, lingua). Non usa "
        "cookie di profilazione né di terze parti, per questo non mostra un banner dei cookie.</p>",
    ),
    "note-legali": (
        "Note legali",
        "<p>I contenuti del portale sono pubblicati dalla Città Metropolitana di Messina. Salvo dove indicato "
        "diversamente, testi e dati sono rilasciati con licenza Creative Commons Attribuzione 4.0 (CC BY 4.0).</p>"
        "<p>Il software del portale è open source e descritto nel file publiccode.yml del suo repository.</p>",
    ),
}


def create_pages(apps, schema_editor):
    SitePage = apps.get_model("pages", "SitePage")
    for slug, (title, body) in PAGES.items():
        SitePage.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]
    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
