from django.shortcuts import render

from hoth.access.decorators import allowed, public
from hoth.audit import log
from hoth.home.attention import attention_for


@allowed("home.view")
def home(request):
    panels = attention_for(request.user)
    shown = {pk for panel in panels for pk in panel.people}
    if shown:
        log.record("list", request=request, people=shown, detail={"page": "home"})
    return render(request, "home/home.html", {"panels": panels})


@public
def forbidden(request, exception=None):
    return render(request, "home/403.html", status=403)


@public
def not_found(request, exception=None):
    return render(request, "home/404.html", status=404)
