import pytest

from hoth.accounts.models import Agency, Role
from hoth.insight import reference, services
from hoth.synthetic.generator import generate
from tests.conftest import make_user


@pytest.fixture
def measures(db):
    reference.load()


@pytest.fixture
def partnership(db):
    reference.load()
    generate("tiny", seed=3)


@pytest.fixture
def staff(partnership):
    """Staff of the generated partnership's own agencies."""
    partnership_agency = Agency.objects.filter(type="partnership").first()
    school = Agency.objects.filter(type="education").first()
    return {
        "manager": make_user("board@partnership.example", partnership_agency, Role.MANAGER),
        "coordinator": make_user("front.door@partnership.example", partnership_agency, Role.COORDINATOR),
        "teacher": make_user("dsl@school.example", school, Role.PRACTITIONER),
    }


@pytest.fixture
def frozen(partnership):
    return services.take_snapshot(services.last_ended_month())
