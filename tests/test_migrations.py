"""The moves of issue 11 keep every row and file: offices to accounts, istanze to phases, plan documents to plan.

The test starts from the schema as it was before the moves, writes an office with its staff and projects,
an istanza with an attachment and objectives, a published plan document with its PDF and comments from a
comune and an office, migrates to today's schema and finds them all through today's models.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("accounts", "0001_initial"),
    ("municipalities", "0003_needattachment_uploaded_at_label"),
    ("phases", "0007_verbose_names_of_reminders_and_keys"),
    ("projects", "0003_project_objectives"),
    ("audit", "0001_initial"),
    ("plan", None),
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_the_moved_models_keep_their_rows_files_and_audit_log(transactional_db, messina):
    executor = _migrate(BEFORE)
    old = executor.loader.project_state([node for node in BEFORE if node[1]]).apps
    Office = old.get_model("projects", "Office")
    User = old.get_model("accounts", "User")
    Project = old.get_model("projects", "Project")
    Objective = old.get_model("phases", "Objective")
    Need = old.get_model("municipalities", "Need")
    NeedAttachment = old.get_model("municipalities", "NeedAttachment")
    PlanDocument = old.get_model("phases", "PlanDocument")
    PlanComment = old.get_model("phases", "PlanComment")
    AuditEvent = old.get_model("audit", "AuditEvent")

    office = Office.objects.create(code="viabilita", name="Viabilità")
    clerk = User.objects.create(email="clerk@test.local", full_name="Impiegato", role="office", office=office)
    Project.objects.create(title="Strada provinciale", office=office, status="idea")
    axis = Objective.objects.create(code="A", level=1, title="Asse", sort_key="0001")
    general = Objective.objects.create(code="A1", level=2, title="Obiettivo", parent=axis, sort_key="0001.0001")
    need = Need.objects.create(municipality_id=messina.pk, title="Frana", description="Urgente", theme="mobility")
    need.objectives.set([general])
    stored = default_storage.save("private/needs/allegato.pdf", ContentFile(b"%PDF-1.7 istanza"))
    NeedAttachment.objects.create(need=need, file=stored, name="frana.pdf", size=16)
    pdf = default_storage.save("piano/psm-messina-proposta-preliminare-v1.pdf", ContentFile(b"%PDF-1.7 piano"))
    document = PlanDocument.objects.create(
        kind="draft",
        version=1,
        status="ready",
        requested_at=timezone.now(),
        file=pdf,
        sha256="ab" * 32,
        published_at=timezone.now(),
        content_hash="cd" * 32,
        data_fingerprint="ef" * 32,
    )
    PlanComment.objects.create(document=document, section="vision", municipality_id=messina.pk, body="Dal comune")
    PlanComment.objects.create(document=document, section="annex", office=office, author=clerk, body="Dall'ufficio")
    for label, pk in (("projects.office", office.pk), ("municipalities.need", need.pk), ("phases.plandocument", 1)):
        AuditEvent.objects.create(action="test", object_type=label, object_id=str(pk), object_repr="x")

    _migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType

    from phases.models import Need, NeedAttachment
    from plan.models import PlanComment, PlanDocument
    from projects.models import Project
    from psm_portal.accounts.models import Office, User
    from psm_portal.audit.models import AuditEvent

    office = Office.objects.get(code="viabilita")
    assert User.objects.get(email="clerk@test.local").office == office
    assert Project.objects.get(title="Strada provinciale").office == office
    need = Need.objects.get(title="Frana")
    assert need.municipality == messina and [o.code for o in need.objectives.all()] == ["A1"]
    attachment = NeedAttachment.objects.get(need=need)
    assert attachment.file.read() == b"%PDF-1.7 istanza"
    document = PlanDocument.objects.get(kind="draft", version=1)
    assert document.is_published and document.sha256 == "ab" * 32
    assert document.file.read() == b"%PDF-1.7 piano"
    assert document.get_absolute_url() == f"/area-riservata/piano/{document.pk}/"
    comments = {c.body: c for c in PlanComment.objects.filter(document=document)}
    assert comments["Dal comune"].municipality == messina and comments["Dall'ufficio"].office == office
    assert Office._meta.db_table == "accounts_office" and PlanDocument._meta.db_table == "plan_plandocument"
    assert sorted(AuditEvent.objects.filter(action="test").values_list("object_type", flat=True)) == [
        "accounts.office",
        "phases.need",
        "plan.plandocument",
    ]
    for app_label, model in (("accounts", "office"), ("phases", "need"), ("plan", "plancomment")):
        assert ContentType.objects.filter(app_label=app_label, model=model).exists()
