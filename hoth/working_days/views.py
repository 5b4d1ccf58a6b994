"""The reference data page for bank holidays: the list by year, a day added,
a day removed. System administrators only (reference_data.manage)."""

from itertools import groupby

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from hoth.access import policy
from hoth.access.decorators import allowed

from . import services
from .forms import BankHolidayForm, ConfirmForm
from .models import BankHoliday


@allowed(services.ACTION)
@require_http_methods(["GET", "POST"])
def bank_holidays(request):
    form = BankHolidayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        holiday = services.add_bank_holiday(
            request.user, form.cleaned_data["day"], form.cleaned_data["name"], audit=request.audit
        )
        messages.success(request, f"{holiday} added")
        return redirect("working_days:bank-holidays")
    years = [(year, list(days)) for year, days in groupby(BankHoliday.objects.all(), key=lambda h: h.day.year)]
    return render(request, "working_days/bank_holidays.html", {"form": form, "years": years})


@allowed(services.ACTION)
@require_http_methods(["GET", "POST"])
def bank_holiday_remove(request, pk):
    holiday = get_object_or_404(BankHoliday, pk=pk)
    policy.check(request.user, services.ACTION, holiday)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.remove_bank_holiday(request.user, holiday, audit=request.audit)
        messages.success(request, f"{holiday} removed")
        return redirect("working_days:bank-holidays")
    return render(request, "working_days/remove.html", {"form": form, "holiday": holiday})
