from django.apps import AppConfig


class InformationGovernanceConfig(AppConfig):
    """The data protection officer's tools: the retention schedule and its
    reviews, and subject access requests. Named as a DPO's team names its own
    work; plain "governance" in a safeguarding partnership means the board."""

    name = "hoth.information_governance"
    label = "information_governance"
    verbose_name = "Information governance"
