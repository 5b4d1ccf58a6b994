"""The person register: one record for each child or adult the partnership
knows, with the names, dates, places and identifiers agencies hold for them.

Every query for people goes through Person.objects.visible_to(user), which asks
the access gate (hoth.people.access) who may see whom.
"""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone

from hoth.access import memo
from hoth.access.policy import ScopedQuerySet
from hoth.encryption import EncryptedTextField

from .matching_keys import fill_alias_key, fill_person_keys


class DobPrecision(models.TextChoices):
    EXACT = "exact", "Exact"
    MONTH = "month", "Month and year known"
    YEAR = "year", "Year known"
    ESTIMATED = "estimated", "Estimated"


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


class Ethnicity(models.TextChoices):
    """Office for National Statistics, 2021 Census categories (England)."""

    ASIAN_BANGLADESHI = "A1", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "A2", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "A3", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "A4", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "A5", "Asian or Asian British: Any other Asian background"
    BLACK_AFRICAN = "B1", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "B2", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = (
        "B3",
        "Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean background",
    )
    MIXED_WHITE_ASIAN = "M1", "Mixed or multiple ethnic groups: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "M2", "Mixed or multiple ethnic groups: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = "M3", "Mixed or multiple ethnic groups: White and Black Caribbean"
    MIXED_OTHER = "M4", "Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background"
    WHITE_BRITISH = "W1", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "W2", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "W3", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "W4", "White: Roma"
    WHITE_OTHER = "W5", "White: Any other White background"
    OTHER_ARAB = "O1", "Other ethnic group: Arab"
    OTHER_ANY = "O2", "Other ethnic group: Any other ethnic group"
    NOT_KNOWN = "NK", "Not known"
    REFUSED = "RF", "Prefers not to say"


class CareStatus(models.TextChoices):
    NONE = "", "None recorded"
    CHILD_IN_NEED = "cin", "Child in need"
    CHILD_PROTECTION = "cpp", "Child protection plan"
    LOOKED_AFTER = "cla", "Looked after"
    CARE_LEAVER = "care_leaver", "Care leaver"


class SendStatus(models.TextChoices):
    NONE = "", "None recorded"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHCP = "ehcp", "Education, health and care plan"


def years_old(date_of_birth, day):
    """Whole years from a date of birth to `day`: an age."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


class Person(models.Model):
    """A child or adult. Names are stored in clear to be searchable; sensitive
    free text is encrypted at field level."""

    reference = models.CharField(max_length=12, unique=True, editable=False)
    given_names = models.CharField(max_length=150)
    family_name = models.CharField(max_length=150)
    preferred_name = models.CharField(max_length=150, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    dob_precision = models.CharField(max_length=10, choices=DobPrecision.choices, default=DobPrecision.EXACT)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField(max_length=80, blank=True, help_text="Only if the person has told us")
    ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN)
    first_language = models.CharField(max_length=80, blank=True, default="English")
    interpreter_needed = models.BooleanField(default=False)
    send_status = models.CharField(max_length=20, choices=SendStatus.choices, blank=True, default="")
    has_disability = models.BooleanField(default=False)
    has_learning_disability = models.BooleanField(default=False)
    care_status = models.CharField(max_length=20, choices=CareStatus.choices, blank=True, default="")
    school = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pupils",
        limit_choices_to={"type": "education"},
    )
    # Adults of concern and children named in intelligence are visible to analysts.
    intelligence_subject = models.BooleanField(default=False)
    sensitive_notes = EncryptedTextField(blank=True)
    source_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Blocking keys for search-before-create: phonetic codes kept in step with names.
    family_name_key = models.CharField(max_length=20, db_index=True, editable=False)
    given_name_key = models.CharField(max_length=20, db_index=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["family_name", "given_names"]),
            # Search blocks on family name and first-name sound together.
            models.Index(fields=["family_name_key", "given_name_key"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.given_names} {self.family_name}"

    def save(self, *args, **kwargs):
        fill_person_keys(self)
        if not self.reference:
            self.reference = new_reference()
        super().save(*args, **kwargs)

    def age_on(self, day=None):
        if self.date_of_birth is None:
            return None
        return years_old(self.date_of_birth, day or date.today())

    @property
    def age(self):
        return self.age_on()

    @property
    def is_child(self):
        age = self.age
        return age is not None and age < 18

    @property
    def dob_display(self):
        dob = self.date_of_birth
        if dob is None:
            return "Not known"
        if self.dob_precision == DobPrecision.MONTH:
            return dob.strftime("%B %Y")
        if self.dob_precision == DobPrecision.YEAR:
            return str(dob.year)
        text = dob.strftime("%-d %B %Y")
        return f"{text} (estimated)" if self.dob_precision == DobPrecision.ESTIMATED else text


def new_reference(letter="P"):
    """A short reference practitioners can read over the phone (no 0/O or 1/I).
    The letter says what it names: P person, R referral, C context, K case."""
    import secrets

    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"{letter}-" + "".join(secrets.choice(alphabet) for _ in range(7))


class Alias(models.Model):
    class Kind(models.TextChoices):
        ALIAS = "alias", "Alias"
        NICKNAME = "nickname", "Nickname"
        PREVIOUS = "previous", "Previous name"
        STREET = "street", "Street name"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=20, db_index=True, editable=False)

    class Meta:
        verbose_name_plural = "aliases"

    def save(self, *args, **kwargs):
        fill_alias_key(self)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name


class Address(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line1 = models.CharField("Address line 1", max_length=200)
    line2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField(max_length=80)
    postcode = models.CharField(max_length=10, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        # Current address first, then the most recent previous ones.
        ordering = [models.F("valid_to").desc(nulls_first=True), "-valid_from", "-id"]
        verbose_name_plural = "addresses"

    def __str__(self):
        return ", ".join(p for p in [self.line1, self.line2, self.town, self.postcode] if p)

    @property
    def is_current(self):
        return self.valid_to is None or self.valid_to >= date.today()


class Identifier(models.Model):
    class Scheme(models.TextChoices):
        NHS = "nhs", "NHS number"
        UPN = "upn", "Unique pupil number"
        POLICE = "police", "Police reference"
        LOCAL_AUTHORITY = "la", "Local authority ID"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    value = models.CharField(max_length=40)
    issued_by = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        # By value alone too: people search by a number without saying what it is.
        indexes = [models.Index(fields=["scheme", "value"]), models.Index(fields=["value"])]
        constraints = [models.UniqueConstraint(fields=["person", "scheme", "value"], name="identifier_once")]

    def __str__(self):
        return f"{self.get_scheme_display()}: {self.value}"


class PhoneNumber(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phone_numbers")
    e164 = models.CharField("Phone number", max_length=20, db_index=True)
    label = models.CharField(max_length=40, blank=True)

    def __str__(self):
        return self.e164


class OnlineHandle(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="online_handles")
    platform = models.CharField(max_length=60)
    handle = models.CharField(max_length=120, db_index=True)

    def __str__(self):
        return f"{self.platform}: {self.handle}"


class SharingDecision(models.Model):
    """A recorded decision to share (or not to share) information about a person,
    following the seven golden rules. Sharing with a user grants them sight of the
    person's record through an Involvement."""

    class Consent(models.TextChoices):
        GIVEN = "given", "Consent given"
        REFUSED = "refused", "Consent refused"
        NOT_SOUGHT = "not_sought", "Consent not sought"

    class LawfulBasis(models.TextChoices):
        CONSENT = "consent", "Consent (UK GDPR Article 6(1)(a))"
        PUBLIC_TASK = (
            "public_task",
            "Public task (Article 6(1)(e)) with DPA 2018 Sch 1 para 18: safeguarding of children and individuals at risk",
        )
        LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (Article 6(1)(c)), e.g. Children Act 1989 s47"
        VITAL_INTERESTS = "vital_interests", "Vital interests (Article 6(1)(d))"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sharing_decisions")
    shared = models.BooleanField(default=True)
    shared_with_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_with_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT)
    what = models.TextField()
    why = models.TextField()
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    consent = models.CharField(max_length=12, choices=Consent.choices)
    consent_not_sought_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Sharing decision {self.pk} on {self.person_id}"


class InvolvementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # A bulk update sends no signal, and the gate may have remembered
        # the involvements this ends (hoth.people.access forgets on saves).
        memo.forget()
        return super().update(**kwargs)


class Involvement(models.Model):
    """Why a user or team works with a person. The access policy reads these:
    practitioners see the people they are involved with and no others."""

    class Kind(models.TextChoices):
        RAISED = "raised", "Raised a concern or created the record"
        ASSIGNED = "assigned", "Assigned"
        LEAD_PROFESSIONAL = "lead", "Lead professional"
        TEAM = "team", "Team working with the person"
        SHARED = "shared", "Shared through a sharing decision"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="involvements"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="involvements"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sharing_decision = models.ForeignKey(SharingDecision, null=True, blank=True, on_delete=models.PROTECT)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "person"]), models.Index(fields=["team", "person"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(team__isnull=False), name="involvement_has_someone"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user or self.team} with {self.person_id}"


class FieldChange(models.Model):
    """Before and after for each change to a person's personal data. Values of
    encrypted fields are kept encrypted here too."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="field_changes")
    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    field = models.CharField(max_length=60)
    before = EncryptedTextField(blank=True)
    after = EncryptedTextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]


class NameVariantGroup(models.Model):
    """Given names that are the same name to the people who use them
    (William, Will, Bill, Billy). Loaded from a versioned fixture by
    `manage.py load_reference_data`; administrators may add their own groups,
    which later loads leave alone."""

    name = models.CharField(max_length=80, unique=True)
    variants = models.JSONField(default=list, help_text="Every form of the name, including the name itself")
    version = models.CharField(
        max_length=20, blank=True, help_text="Fixture version it came from; blank if added locally"
    )
    is_active = models.BooleanField(default=True)

    # Search reads the active groups once and caches them; any change forgets them.
    CACHE_KEY = "people:name-variant-groups"

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}: {', '.join(self.variants)}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        return result
