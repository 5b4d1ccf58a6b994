"""The demo partnership's named users, one per role, whom the README's sign-in
list and every part of the generator refer to."""

from hoth.accounts.roles import Role

from . import data

# One clearly named demo user per role, plus a school practitioner to show how
# differently a school sees the register: (email local part, role, agency, team, name, job).
DEMO_USERS = [
    (
        "practitioner",
        Role.PRACTITIONER,
        data.COUNCIL,
        "Harm Outside the Home Team",
        "Jo Hughes",
        "Exploitation practitioner",
    ),
    (
        "school-practitioner",
        Role.PRACTITIONER,
        "Gresty Brook Academy",
        "Pastoral and Safeguarding Team",
        "Aisha Khan",
        "Designated safeguarding lead",
    ),
    (
        "coordinator",
        Role.COORDINATOR,
        data.COUNCIL,
        "Harm Outside the Home Team",
        "Sam Okafor",
        "Exploitation coordinator",
    ),
    ("analyst", Role.ANALYST, data.POLICE, "Intelligence Unit", "Chris Nowak", "Intelligence analyst"),
    (
        "panel-chair",
        Role.PANEL_CHAIR,
        data.PARTNERSHIP,
        "Child Exploitation Operational Panel",
        "Helen Birchall",
        "Chair, Child Exploitation Operational Panel",
    ),
    ("manager", Role.MANAGER, data.PARTNERSHIP, "Partnership Business Unit", "David Massey", "Head of service"),
    ("auditor", Role.AUDITOR, data.COUNCIL, "", "Priya Sharma", "Data protection officer"),
    ("agency-admin", Role.AGENCY_ADMIN, data.COUNCIL, "", "Gareth Lloyd", "Systems administrator"),
    ("system-admin", Role.SYSTEM_ADMIN, data.PARTNERSHIP, "", "Ruth Platt", "Platform administrator"),
]


def demo_email(local_part):
    return f"{local_part}@{data.DEMO_EMAIL_DOMAIN}"
