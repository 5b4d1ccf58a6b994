"""Service navigation: each role sees the sections its policy allows."""

from django.urls import NoReverseMatch, reverse

from hoth.access import policy

# (label, url name, action the policy must allow[, the path prefixes the section covers])
SECTIONS = [
    ("Home", "home", "home.view"),
    ("People", "people:search", "person.search"),
    ("Referrals", "referrals:list", "referral.view"),
    ("Screening queue", "queue:list", "referral.queue"),
    ("Meetings", "panels:list", "meeting.view"),
    ("Places and groups", "contexts:list", "context.view"),
    (
        "Intelligence",
        "intelligence:list",
        "intelligence.view",
        ("/intelligence/", "/subjects/", "/links/", "/network/", "/hotspots/", "/disruption/"),
    ),
    ("Tasks", "tasks:mine", "task.view"),
    ("Board figures", "insight:dashboard", "insight.view", "/board/"),
    ("Audit log", "audit:search", "audit.search"),
    ("Information governance", "information_governance:home", "subject_access.manage", "/information-governance/"),
    ("Users", "manage:users", "user.manage"),
    ("Services directory", "services:list", "directory.manage", "/manage/services/"),
    ("Reference data", "reference:name-variants", "reference_data.manage", "/manage/reference-data/"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
        return {"nav_items": []}
    items = []
    for label, name, action, *prefix in SECTIONS:
        if not policy.can(user, action):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        covers = prefix[0] if prefix else url
        items.append(
            {"label": label, "url": url, "covers": (covers,) if isinstance(covers, str) else covers, "active": False}
        )
    # Sections can share a prefix (/manage/ and /manage/reference-data/), so
    # the longest one that contains the current page is the one to highlight.
    matches = [(len(covers), item) for item in items for covers in item["covers"] if _contains(covers, request.path)]
    if matches:
        max(matches, key=lambda match: match[0])[1]["active"] = True
    return {"nav_items": items}


def _contains(url, path):
    return path == url if url == "/" else path.startswith(url)
