"""Service navigation: each role sees the sections its policy allows."""

from django.urls import NoReverseMatch, reverse

from hoth.access import policy

# (label, url name, action the policy must allow)
SECTIONS = [
    ("Home", "home", "home.view"),
    ("People", "people:search", "person.search"),
    ("Audit log", "audit:search", "audit.search"),
    ("Users", "manage:users", "users.manage"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
        return {"nav_items": []}
    items = []
    for label, name, action in SECTIONS:
        if not policy.can(user, action):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = request.path == url if name == "home" else request.path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
