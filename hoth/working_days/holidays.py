"""The bank holidays as the clocks read them: a frozen set of dates, kept in
this process for a few minutes (a change made here clears it at once)."""

from django.core.cache import cache

from .models import BankHoliday

_CACHE_KEY = "working-days:bank-holidays"


def bank_holidays():
    days = cache.get(_CACHE_KEY)
    if days is None:
        days = frozenset(BankHoliday.objects.values_list("day", flat=True))
        cache.set(_CACHE_KEY, days, 300)
    return days


def forget_bank_holidays(**signal_kwargs):
    cache.delete(_CACHE_KEY)
