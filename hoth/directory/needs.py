"""The fixed list of needs a service helps with.

Each need has words for a child (the public children's directory uses them as
its headings, so they are the child's own words: "if I'm scared of someone")
and words for a parent or carer. Codes are stored on Service.needs; the list is
fixed in code, not reference data, because the children's pages are written
around it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    code: str
    child: str  # heading on the children's directory
    adult: str  # label on the adults' directory and the staff form


NEEDS = [
    Need("someone-to-talk-to", "Someone to talk to", "Someone for the child to talk to"),
    Need("help-at-school", "Help at school", "Help with school or college"),
    Need("staying-safe-online", "Staying safe online", "Staying safe online"),
    Need("scared-of-someone", "If I'm scared of someone", "Feeling scared of someone, or being pressured"),
    Need("drugs-alcohol", "Drugs and alcohol", "Drugs and alcohol"),
    Need("sexual-health", "My body, sex and relationships", "Sexual health and relationships"),
    Need("money", "Money worries", "Money and debt"),
    Need("housing", "Somewhere safe to live", "Housing and a safe place to stay"),
    Need("mental-health", "Feeling sad, worried or angry", "Mental health and emotional wellbeing"),
    Need("family-support", "Help for my family", "Support for parents, carers and families"),
    Need("legal", "The police, courts and my rights", "Legal advice, police and courts"),
    Need("youth-club", "Things to do and places to go", "Youth clubs, sport and activities"),
]

BY_CODE = {need.code: need for need in NEEDS}
CODES = [need.code for need in NEEDS]


def child_label(code):
    need = BY_CODE.get(code)
    return need.child if need else code


def adult_label(code):
    need = BY_CODE.get(code)
    return need.adult if need else code
