"""Service navigation: each role sees the sections its policy allows."""

from django.urls import NoReverseMatch, reverse

from hoth.access import policy

# (label, url name, action the policy must allow[, the path prefix the section covers])
SECTIONS = [
    ("Home", "home", "home.view"),
    ("People", "people:search", "person.search"),
    ("Referrals", "referrals:list", "referral.view"),
    ("Screening queue", "queue:list", "referral.queue"),
    ("Meetings", "panels:list", "meeting.view"),
    ("Tasks", "tasks:mine", "task.view"),
    ("Audit log", "audit:search", "audit.search"),
    ("Users", "manage:users", "users.manage"),
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
        items.append({"label": label, "url": url, "covers": prefix[0] if prefix else url, "active": False})
    # Sections can share a prefix (/manage/ and /manage/reference-data/), so
    # the longest one that contains the current page is the one to highlight.
    matches = [item for item in items if _contains(item["covers"], request.path)]
    if matches:
        max(matches, key=lambda item: len(item["covers"]))["active"] = True
    return {"nav_items": items}


def _contains(url, path):
    return path == url if url == "/" else path.startswith(url)
