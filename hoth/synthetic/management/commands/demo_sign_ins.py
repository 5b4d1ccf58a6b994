"""Print how to sign in to the demonstration partnership."""

from django.core.management.base import BaseCommand

from hoth.accounts.models import Role, User
from hoth.synthetic.data import DEMO_PASSWORD
from hoth.synthetic.generator import DEMO_USERS, demo_email

SERVICE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "List the demo sign-ins (one for each role) and how to set up the second factor."

    def handle(self, *args, **options):
        emails = [demo_email(local) for local, *_ in DEMO_USERS]
        users = {u.email: u for u in User.objects.filter(email__in=emails).select_related("agency")}
        if not users:
            self.stdout.write(
                "There are no demo users yet. Run: python manage.py generate_partnership --size small --seed 1"
            )
            return
        rows = [("Email", "Password", "Role", "Agency")]
        for (local, role, *_), email in zip(DEMO_USERS, emails):
            user = users.get(email)
            if user:
                label = Role(role).label + (" (school)" if local == "school-practitioner" else "")
                rows.append((email, DEMO_PASSWORD, label, user.agency.name))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (synthetic data only; every demo user has the same password)")
        self.stdout.write(line)
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
            if n == 0:
                self.stdout.write(line)
        self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"The service is at {SERVICE_URL}")
        self.stdout.write("")
        self.stdout.write(
            "Second factor: on first sign-in you will be shown a QR code. Scan it with an "
            "authenticator app such as Google Authenticator, Microsoft Authenticator, Authy or "
            "FreeOTP, or type the key shown under the code into the app. Then enter the 6-digit "
            "code the app shows. After that, every sign-in asks for a new code from the app."
        )
