"""Demo data for ``manage.py seed_demo``: one user per role, a few offices. Idempotent.

Made with the portal's own model managers, never with the test factories (a development-only package).
"""

from __future__ import annotations

from dataclasses import dataclass

from municipalities.models import Municipality
from psm_portal.accounts.demo import DEMO_PASSWORD
from psm_portal.accounts.models import Office, Role, User

OFFICES = [
    ("viabilita", "Viabilità e infrastrutture", "Ing. Giovanni Russo"),
    ("ambiente", "Ambiente, territorio e protezione civile", "Dott.ssa Maria Caruso"),
    ("edilizia-scolastica", "Edilizia scolastica", "Arch. Salvatore Lombardo"),
    ("sviluppo-economico", "Sviluppo economico e politiche comunitarie", "Dott. Antonino Greco"),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: str
    office_code: str = ""
    istat_code: str = ""
    organisation: str = ""


DEMO_USERS = [
    DemoUser("team@demo.psm.local", "Team PSM (demo)", Role.TEAM),
    DemoUser("ufficio.a@demo.psm.local", "Ufficio A — Viabilità (demo)", Role.OFFICE, office_code="viabilita"),
    DemoUser("ufficio.b@demo.psm.local", "Ufficio B — Ambiente (demo)", Role.OFFICE, office_code="ambiente"),
    DemoUser("sindaco.a@demo.psm.local", "Sindaco di Messina (demo)", Role.MAYOR, istat_code="083048"),
    DemoUser("sindaco.b@demo.psm.local", "Sindaco di Lipari (demo)", Role.MAYOR, istat_code="083041"),
    DemoUser("consiglio@demo.psm.local", "Consigliere metropolitano (demo)", Role.COUNCIL),
    DemoUser("segreteria@demo.psm.local", "Segreteria del Consiglio (demo)", Role.SECRETARY),
    DemoUser(
        "stakeholder@demo.psm.local",
        "Stakeholder (demo)",
        Role.STAKEHOLDER,
        organisation="Università degli Studi di Messina",
    ),
]


def seed_offices() -> dict[str, Office]:
    return {
        code: Office.objects.get_or_create(
            code=code, defaults={"name": name, "head": head, "email": f"{code}@cittametropolitana.me.it"}
        )[0]
        for code, name, head in OFFICES
    }


def seed_users(offices: dict) -> list[User]:
    users = []
    for demo in DEMO_USERS:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            # An account with a password already set: the team's invitation service would e-mail a link instead.
            user = User.objects.create_user(
                demo.email,
                DEMO_PASSWORD,
                full_name=demo.full_name,
                role=demo.role,
                office=offices.get(demo.office_code),
                municipality=Municipality.objects.filter(istat_code=demo.istat_code).first(),
                organisation=demo.organisation,
            )
        users.append(user)
    return users


def seed(stdout) -> None:
    offices = seed_offices()
    users = seed_users(offices)
    stdout.write(f"Utenti dimostrativi (password per tutti: {DEMO_PASSWORD}):")
    for user in users:
        stdout.write(f"  {user.get_role_display():<55} {user.email}")
