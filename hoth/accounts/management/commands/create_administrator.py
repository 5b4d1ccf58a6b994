"""Create the first system administrator of a new installation.

Nobody can sign in to a fresh database, and every other account is made by an
administrator in the service, so the first one is made here, on the server.
The password is typed at a prompt (or, for an unattended install, read from
HOTH_ADMIN_PASSWORD, never from the command line where `ps` and the shell
history would keep it). The administrator sets up their authenticator app at
their first sign-in, as everyone does: a password alone opens nothing.

It stands outside the access gate because there is no one yet to ask it
about: the authority is being able to run commands on the server. It writes
its audit events under the actor "manage.py create_administrator".
"""

import getpass
import os
import sys

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hoth.accounts.models import Agency, AgencyType, Role, RoleAssignment, User
from hoth.audit.log import record

ACTOR = "manage.py create_administrator"
PASSWORD_VARIABLE = "HOTH_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = "Create the first system administrator (enrols a second factor at first sign-in)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument(
            "--agency",
            default=None,
            help="The administrator's agency, created (as the partnership) if it does not exist. "
            "Default: HOTH_PARTNERSHIP_NAME.",
        )
        parser.add_argument(
            "--additional",
            action="store_true",
            help="Create one even though a system administrator already exists (for example when "
            "every administrator has left). Otherwise administrators make accounts in the service.",
        )

    def handle(self, *args, email, full_name, agency, additional, **options):
        email = User.objects.normalize_email(email).lower()
        agency_name = agency or settings.PARTNERSHIP_NAME
        if User.objects.filter(email=email).exists():
            raise CommandError(f"An account for {email} already exists: nothing changed.")
        existing = RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, user__is_active=True).count()
        if existing and not additional:
            raise CommandError(
                f"{existing} system administrator(s) already exist: they create accounts under Manage. "
                "Use --additional only if none of them can sign in any more. Nothing changed."
            )
        password = self._password(User(email=email, full_name=full_name))
        with transaction.atomic():
            owner, created_agency = Agency.objects.get_or_create(
                name=agency_name, defaults={"type": AgencyType.PARTNERSHIP}
            )
            user = User.objects.create_user(email=email, password=password, full_name=full_name, agency=owner)
            RoleAssignment.objects.create(user=user, role=Role.SYSTEM_ADMIN)
            if created_agency:
                record("admin", actor=ACTOR, obj=owner, detail={"change": "agency.create", "fields": ["name", "type"]})
            record(
                "admin",
                actor=ACTOR,
                obj=user,
                detail={
                    "change": "user.create",
                    "agency_id": owner.pk,
                    "roles": [Role.SYSTEM_ADMIN.value],
                    "additional": additional,
                },
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{full_name} ({email}) is a system administrator of {owner.name}. At their first sign-in the service "
                "asks them to set up an authenticator app and shows their recovery codes."
            )
        )

    def _password(self, user):
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            if not sys.stdin.isatty():
                raise CommandError(
                    f"No terminal to ask for the password: run this in a terminal, or set {PASSWORD_VARIABLE} "
                    "for this one command."
                )
            password = getpass.getpass("Password (12 characters or more): ")
            if getpass.getpass("The same password again: ") != password:
                raise CommandError("The two passwords differ: nothing changed.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password is not strong enough: " + " ".join(error.messages)) from None
        return password
