"""Agencies, teams, people who sign in, and the roles they hold."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from hoth.access.policy import ScopedQuerySet

from . import recovery
from .roles import AgencyType, Role  # noqa: F401  (where the rest of the code reads them)


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=40, choices=AgencyType.choices)
    town = models.CharField(max_length=80, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")]

    def __str__(self):
        return f"{self.name} ({self.agency})"


class UserManager(BaseUserManager.from_queryset(ScopedQuerySet)):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """Someone who signs in. Belongs to one agency; may hold several roles."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users")
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    is_active = models.BooleanField(default=True)
    # A partner system's identity: it never signs in with a password, only with
    # an ApiToken, and the same policy decides what it may do.
    is_service_account = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.agency})"

    @cached_property
    def roles(self):
        """The role codes this user holds, in the order Role lists them."""
        held = {a.role for a in self.role_assignments.all()}
        return [r for r in Role.values if r in held]

    def has_role(self, *roles):
        return any(r in self.roles for r in roles)

    @property
    def role_labels(self):
        return [Role(r).label for r in self.roles]

    # Django's auth framework asks these; our own policy module decides access.
    @property
    def is_staff(self):
        return False

    @property
    def is_superuser(self):
        return False

    def has_perm(self, perm, obj=None):
        return False

    def has_module_perms(self, app_label):
        return False


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_once_per_user")]

    def __str__(self):
        return f"{self.user.email}: {self.get_role_display()}"


class ApiToken(models.Model):
    """A revocable credential for a partner system, bound to one service account
    (and so to one agency) and to named scopes. Only a hash of the secret is kept."""

    class Scope(models.TextChoices):
        PERSONS_READ = "persons:read", "Read person records in scope"
        PERSONS_WRITE = "persons:write", "Create person records"
        REFERRALS_READ = "referrals:read", "Read the referrals this system sent"
        REFERRALS_WRITE = "referrals:write", "Submit referrals"
        SCREENINGS_EVALUATE = "screenings:evaluate", "Pre-screen answers with the screening tool (nothing is saved)"

    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self):
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A user's recovery codes as a second-factor device (so that signing in
    with one marks the session verified, as the app does). Each code works
    once and only its hash is kept (hoth.accounts.recovery)."""

    def get_throttle_factor(self):
        return 1

    def verify_token(self, token):
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = next((code for code in self.codes.all() if recovery.matches(code.salt, code.digest, token)), None)
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)

    def __str__(self):
        return f"recovery code of device {self.device_id}"
