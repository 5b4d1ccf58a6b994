"""What the synthetic generator knows and the register must not: which records
are really the same person.

Agencies record the same child differently (a nickname, a typo, a month
instead of a date of birth). The generator makes those differences on purpose
and writes down the truth here, so record-linkage code can be measured for
precision and recall against it. Real data never has a TrueIdentity.
"""

from django.db import models


class TrueIdentity(models.Model):
    """One row for every generated Person: the real individual (cluster) the
    record describes, and how it differs from that individual's first record."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="true_identity")
    cluster_id = models.PositiveIntegerField(db_index=True)
    # The first record of a cluster is the one the generator perturbs others from.
    is_primary = models.BooleanField(default=True)
    # Comma-separated, e.g. "nickname,partial_dob": what was changed, for
    # explaining a missed or a false match.
    perturbations = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "true identities"

    def __str__(self):
        return f"Person {self.person_id} is individual {self.cluster_id}"
