"""On PostgreSQL the database itself refuses to change an approved agenda version and its actions.

An agenda once approved (``approved_at`` set) keeps its year, version, dates and act for ever; its only
allowed change is approved → superseded when a later version of the year is approved. Its actions and their
links to projects and offices can be neither added, changed nor removed. The services refuse first with an
Italian message; these triggers catch whatever bypasses them (a raw UPDATE, a script, the admin).
SQLite has no such triggers: there the services are the guard.
"""

from django.db import migrations

FROZEN = "restrict_violation"

CREATE = f"""
CREATE OR REPLACE FUNCTION projects_agenda_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.approved_at IS NOT NULL THEN
        IF TG_OP = 'UPDATE'
           AND (NEW.year, NEW.version, NEW.created_at, NEW.submitted_at, NEW.approved_at, NEW.approved_by_act)
               IS NOT DISTINCT FROM
               (OLD.year, OLD.version, OLD.created_at, OLD.submitted_at, OLD.approved_at, OLD.approved_by_act)
           AND (NEW.status = OLD.status OR (OLD.status = 'approved' AND NEW.status = 'superseded'))
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'L''agenda % versione % è approvata: non si può modificare né eliminare', OLD.year, OLD.version
            USING ERRCODE = '{FROZEN}';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER projects_agenda_frozen BEFORE UPDATE OR DELETE ON projects_agenda
    FOR EACH ROW EXECUTE FUNCTION projects_agenda_frozen();

CREATE OR REPLACE FUNCTION projects_agenda_action_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE')
       AND EXISTS (SELECT 1 FROM projects_agenda WHERE id = OLD.agenda_id AND approved_at IS NOT NULL) THEN
        RAISE EXCEPTION 'Le azioni di un''agenda approvata non si possono modificare né eliminare'
            USING ERRCODE = '{FROZEN}';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE')
       AND EXISTS (SELECT 1 FROM projects_agenda WHERE id = NEW.agenda_id AND approved_at IS NOT NULL) THEN
        RAISE EXCEPTION 'A un''agenda approvata non si aggiungono azioni' USING ERRCODE = '{FROZEN}';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER projects_agenda_action_frozen BEFORE INSERT OR UPDATE OR DELETE ON projects_agendaaction
    FOR EACH ROW EXECUTE FUNCTION projects_agenda_action_frozen();

CREATE OR REPLACE FUNCTION projects_agenda_action_link_frozen() RETURNS trigger AS $$
DECLARE
    action_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        action_id := OLD.agendaaction_id;
    ELSE
        action_id := NEW.agendaaction_id;
    END IF;
    IF EXISTS (
        SELECT 1 FROM projects_agendaaction a JOIN projects_agenda g ON g.id = a.agenda_id
        WHERE a.id = action_id AND g.approved_at IS NOT NULL
    ) OR (TG_OP = 'UPDATE' AND EXISTS (
        SELECT 1 FROM projects_agendaaction a JOIN projects_agenda g ON g.id = a.agenda_id
        WHERE a.id = OLD.agendaaction_id AND g.approved_at IS NOT NULL
    )) THEN
        RAISE EXCEPTION 'I progetti e gli uffici delle azioni di un''agenda approvata non cambiano'
            USING ERRCODE = '{FROZEN}';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER projects_agenda_action_projects_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON projects_agendaaction_projects
    FOR EACH ROW EXECUTE FUNCTION projects_agenda_action_link_frozen();
CREATE TRIGGER projects_agenda_action_offices_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON projects_agendaaction_contributing_offices
    FOR EACH ROW EXECUTE FUNCTION projects_agenda_action_link_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS projects_agenda_action_offices_frozen ON projects_agendaaction_contributing_offices;
DROP TRIGGER IF EXISTS projects_agenda_action_projects_frozen ON projects_agendaaction_projects;
DROP TRIGGER IF EXISTS projects_agenda_action_frozen ON projects_agendaaction;
DROP TRIGGER IF EXISTS projects_agenda_frozen ON projects_agenda;
DROP FUNCTION IF EXISTS projects_agenda_action_link_frozen();
DROP FUNCTION IF EXISTS projects_agenda_action_frozen();
DROP FUNCTION IF EXISTS projects_agenda_frozen();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # No parameters: the functions' messages use % as PL/pgSQL placeholders.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("projects", "0008_annual_agenda")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
