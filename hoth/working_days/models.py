"""Bank holidays: the days no clock of the service counts as working days.

One list, kept as reference data, is used by every clock that counts working
days: the front door's service standard (a referral screened within one
working day) and the National Referral Mechanism's Reasonable Grounds target
(five working days)."""

from django.db import models


class BankHoliday(models.Model):
    day = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    # The published list's version; empty for a day an administrator added, so
    # that loading the list again leaves it alone.
    version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["day"]

    def __str__(self):
        return f"{self.name} ({self.day:%-d %B %Y})"
