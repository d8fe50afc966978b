"""On PostgreSQL the database itself refuses to change a recorded deliberation or the plan document it refers to
(the services refuse first, with an Italian message; this stops a raw UPDATE or DELETE too). Other databases
(SQLite in development) rely on the services."""

from django.db import migrations

FREEZE = """
CREATE OR REPLACE FUNCTION plan_deliberation_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Una delibera registrata non si modifica né si cancella: una correzione è una nuova delibera.'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER plan_deliberation_frozen BEFORE UPDATE OR DELETE ON plan_deliberation
    FOR EACH ROW EXECUTE FUNCTION plan_deliberation_frozen();

CREATE OR REPLACE FUNCTION plan_document_frozen() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM plan_deliberation WHERE document_id = OLD.id) THEN
        RAISE EXCEPTION 'La versione % del piano è stata deliberata dal Consiglio: non si modifica né si cancella.',
            OLD.version USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER plan_document_frozen BEFORE UPDATE OR DELETE ON plan_plandocument
    FOR EACH ROW EXECUTE FUNCTION plan_document_frozen();
"""

THAW = """
DROP TRIGGER IF EXISTS plan_document_frozen ON plan_plandocument;
DROP FUNCTION IF EXISTS plan_document_frozen();
DROP TRIGGER IF EXISTS plan_deliberation_frozen ON plan_deliberation;
DROP FUNCTION IF EXISTS plan_deliberation_frozen();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # no parameters: the % of RAISE stays as it is

    return run


class Migration(migrations.Migration):
    dependencies = [("plan", "0003_council_examination_amendments_deliberation")]

    operations = [migrations.RunPython(_on_postgresql(FREEZE), _on_postgresql(THAW), elidable=False)]
