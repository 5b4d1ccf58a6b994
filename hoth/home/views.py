from django.shortcuts import render

from hoth.access.decorators import allowed, public
from hoth.home.attention import attention_for


@allowed("home.view")
def home(request):
    return render(request, "home/home.html", {"panels": attention_for(request.user)})


@public
def forbidden(request, exception=None):
    return render(request, "home/403.html", status=403)


@public
def not_found(request, exception=None):
    return render(request, "home/404.html", status=404)
