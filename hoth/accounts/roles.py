"""Who someone is in the partnership: the roles a user holds and the kinds of
agency they work for. Plain enums, without a model, so that the access gate
can name roles without importing the accounts app's models."""

from django.db import models


class AgencyType(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    EDUCATION = "education", "Education"
    EARLY_YEARS = "early_years", "Early years"
    HEALTH = "health", "Health"
    PROBATION = "probation", "Probation"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    NEIGHBOURING_AUTHORITY = "neighbouring_authority", "Neighbouring authority"
    PARTNERSHIP = "partnership", "Partnership"


class Role(models.TextChoices):
    """What a person does in the partnership; a user may hold several."""

    PRACTITIONER = "practitioner", "Practitioner"
    COORDINATOR = "coordinator", "Screener / exploitation coordinator"
    ANALYST = "analyst", "Analyst"
    PANEL_CHAIR = "panel_chair", "Panel chair"
    MANAGER = "manager", "Manager / board member"
    AUDITOR = "auditor", "Auditor / data protection officer"
    AGENCY_ADMIN = "agency_admin", "Agency administrator"
    SYSTEM_ADMIN = "system_admin", "System administrator"
