"""A coordinator screens a referral in the browser with the shipped tool,
reaches High, and sees why; every page on the way is checked with axe."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hoth.people.models import Person
from hoth.referrals.models import Referral
from hoth.screening import reference
from hoth.screening.models import Screening, ScreeningTool
from hoth.screening.services import indicator_index

pytestmark = pytest.mark.browser


@pytest.fixture
def referral(users, agencies):
    reference.load()
    child = Person.objects.create(
        given_names="Mia", family_name="Hughes", date_of_birth=date(timezone.localdate().year - 15, 1, 1)
    )
    return Referral.objects.create(
        status=Referral.Status.SUBMITTED,
        person=child,
        referrer=users["school_practitioner"],
        referrer_agency=agencies["school"],
        submitted_at=timezone.now(),
    )


def mark_present(page, text, evidence, when="Now or in the last six months", source="Seen by a professional"):
    question = page.get_by_role("group", name=text, exact=True)
    question.get_by_label("Present", exact=True).check()
    # The follow-up questions are revealed under "Present" once it is chosen.
    expect(question.get_by_label("What is the evidence?", exact=True)).to_be_visible()
    question.get_by_label("What is the evidence?", exact=True).fill(evidence)
    question.get_by_label(when, exact=True).check()
    question.get_by_label(source, exact=True).check()


def test_a_coordinator_screens_a_referral_to_high_and_sees_the_reasons(browsing, users, referral):
    texts = {code: item["text"] for code, item in indicator_index(ScreeningTool.current()).items()}
    page = browsing.sign_in(users["coordinator"])

    browsing.visit(f"/screening/referral/{referral.reference}/start/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Screen referral {referral.reference}")
    browsing.click("Start the screening")

    expect(page.get_by_role("heading", level=1)).to_have_text("Missing")
    # Present without the follow-up answers is refused, naming the indicator.
    page.get_by_role("group", name=texts["missing_repeat"], exact=True).get_by_label("Present", exact=True).check()
    browsing.click("Save and continue")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        f"Enter the evidence that \u201c{texts['missing_repeat']}\u201d is present"
    )
    mark_present(page, texts["missing_repeat"], "Police log: missing three times since September")
    browsing.click("Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Associates and relationships")
    mark_present(page, texts["assoc_controlling_adult"], "Seen with an older man who drives her to Crewe station")
    browsing.click("Save and continue")

    while page.get_by_role("heading", level=1).inner_text() != "Disclosure":
        browsing.click("Save and continue")
    mark_present(
        page,
        texts["disclosure_exploitation"],
        "Told her form tutor she carries packages for him",
        source="Told by the child or someone else",
    )
    browsing.click("Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your professional judgement")
    page.get_by_label("No, the level from the rules is right", exact=True).check()
    browsing.click("Continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before completing the screening")
    expect(page.get_by_text("Told her form tutor she carries packages for him")).to_be_visible()
    browsing.click("Complete the screening")

    expect(page.get_by_role("heading", level=1)).to_have_text("High (significant)")
    explanation = page.get_by_role("main")
    # The score alone reaches High; the disclosure rule would have made it High anyway, and says so.
    expect(explanation).to_contain_text("High because the score 25 reaches the High threshold of 20")
    expect(explanation).to_contain_text("A disclosure of exploitation was recorded")
    reasons = page.get_by_role("table")
    expect(reasons).to_contain_text(texts["assoc_controlling_adult"])
    expect(reasons).to_contain_text("Significant risk indicator")
    expect(explanation).to_contain_text("version 2026.1")
    browsing.screenshot("screening-result")

    screening = Screening.objects.get(referral=referral)
    assert screening.level == "high"
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SCREENED

    browsing.click(f"{referral.person.full_name}'s screenings over time")
    expect(page.get_by_role("table")).to_contain_text("High (significant)")
    # Chart.js draws the chart beside the table from the table's own rows.
    expect(page.locator("[data-trajectory-chart] canvas")).to_have_count(1)
    browsing.screenshot("screening-trajectory")


def test_another_coordinator_refuses_then_sees_a_lower_level_through_the_approval_pages(
    browsing, users, agencies, referral
):
    from hoth.accounts.models import Role
    from hoth.notifications.models import Notification
    from hoth.screening import services
    from tests.conftest import make_user

    screener = users["coordinator"]
    screening, _ = services.start_screening(user=screener, referral=referral)
    services.save_answers(
        screening,
        [
            services.AnswerData("missing_repeat", "present", "current", "Police log", "record"),
            services.AnswerData("assoc_controlling_adult", "not_present"),
            services.AnswerData("disclosure_exploitation", "not_present"),
        ],
        user=screener,
    )
    services.record_judgement(screening, user=screener, level="none", reason="The episodes were one misunderstanding")
    services.complete_screening(screening, user=screener)
    manager = make_user("lead@frontdoor.example", agencies["council"], Role.COORDINATOR, full_name="Sam Okafor")

    page = browsing.sign_in(manager)
    browsing.visit("/screening/approvals/")
    expect(page.get_by_role("table")).to_contain_text("Mia Hughes")
    browsing.click(f"Decide for {referral.person.full_name}")
    expect(page.get_by_role("main")).to_contain_text("The episodes were one misunderstanding")
    browsing.click("Refuse: keep Low")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for refusing the lower level")
    browsing.fill("Why are you refusing the lower level?", "Repeat missing is current and needs the meeting")
    browsing.click("Refuse: keep Low")
    expect(page.get_by_role("heading", level=1)).to_have_text("Low")
    expect(page.get_by_role("main")).to_contain_text("Lower level refused by Sam Okafor")
    assert Notification.objects.filter(user=screener, subject__contains="refused").count() == 1
