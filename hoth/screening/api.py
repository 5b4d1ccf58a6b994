"""Pre-screening for partner systems: POST answers, get back the level the
screening tool gives and why, with nothing saved.

The same pure function as the screening pages (hoth.analytics.screening.score)
decides, so the API and the pages cannot disagree. The call names nobody, so
its one audit event carries only the tool version and the level.
"""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import APIException, ErrorDetail, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from hoth.analytics import screening as tool_rules
from hoth.api.authentication import API_AUTHENTICATION
from hoth.api.permissions import gate
from hoth.api.problems import CONTENT_TYPE as PROBLEM
from hoth.api.serializers import RULE, JSONBody, ProblemSerializer
from hoth.audit import log

from .models import ScreeningTool

MAX_AGE = 25


class NoToolPublished(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "No screening tool has been published yet."
    default_code = "no_tool"


class AnswerSerializer(JSONBody):
    state = serializers.ChoiceField(choices=tool_rules.STATES, help_text="present, not_present or unknown (not known)")
    when = serializers.ChoiceField(
        choices=tool_rules.WHENS, default="current", help_text="current (now or in the last six months) or earlier"
    )


class ChildSerializer(JSONBody):
    age = serializers.IntegerField(
        min_value=0, max_value=MAX_AGE, allow_null=True, help_text="Age in whole years; null if not known"
    )
    learning_disability = serializers.BooleanField(default=False)


class EvaluateSerializer(JSONBody):
    answers = serializers.DictField(
        child=AnswerSerializer(),
        allow_empty=True,
        help_text="Indicator code -> answer. Every required indicator must be answered.",
    )
    child = ChildSerializer()
    tool_version = serializers.CharField(
        required=False, max_length=20, help_text="A published version; the current one if left out"
    )


class CountedSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    text = serializers.CharField()
    domain = serializers.CharField()
    domain_name = serializers.CharField()
    tier = serializers.ChoiceField(choices=tool_rules.TIERS)
    tier_label = serializers.CharField()
    weight = serializers.FloatField()
    when = serializers.ChoiceField(choices=tool_rules.WHENS)
    points = serializers.FloatField()


class RuleAppliedSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=tool_rules.RULE_CODES)
    description = serializers.CharField()
    level = serializers.ChoiceField(choices=tool_rules.LEVELS)
    raised = serializers.BooleanField(help_text="True when this rule, not the score, set the level")


class EvaluationSerializer(serializers.Serializer):
    tool_version = serializers.CharField()
    level = serializers.ChoiceField(choices=tool_rules.LEVELS)
    level_label = serializers.CharField()
    score = serializers.FloatField()
    scored_level = serializers.ChoiceField(
        choices=tool_rules.LEVELS, help_text="The level from the score alone, before the rules"
    )
    scored_level_label = serializers.CharField()
    thresholds = serializers.DictField(child=serializers.FloatField())
    counted = CountedSerializer(many=True)
    rules = RuleAppliedSerializer(many=True)
    deciding = serializers.CharField(help_text="One sentence: what decided the level")
    unanswered_required = serializers.ListField(child=serializers.CharField())


def _tool(version):
    """The version asked for, else the current one; None (with the problem
    reported on tool_version) if the one asked for does not exist."""
    if version is None:
        tool = ScreeningTool.objects.filter(is_current=True).first()
        if tool is None:
            raise NoToolPublished()
        return tool
    return ScreeningTool.objects.filter(version=version).first()


def _answer_errors(definition, answers):
    """Field errors for answers the tool cannot score or required indicators
    left unanswered, in the shape the problem document flattens."""
    known = {i["code"] for i in tool_rules.indicators(definition)}
    errors = {}
    for code in answers:
        if code not in known:
            errors[code] = [
                ErrorDetail(f"{code} is not an indicator in screening tool version {definition['version']}", code=RULE)
            ]
    for code in tool_rules.unanswered_required(definition, answers):
        errors[code] = [ErrorDetail("Answer this required indicator: present, not_present or unknown", code=RULE)]
    return errors


@extend_schema(
    operation_id="screenings_evaluate",
    summary="Pre-screen a set of answers",
    description=(
        "Scores answers to the exploitation screening tool and returns the level (none, low, medium, high) with "
        "its explanation: each indicator that counted with its weight and points, every override rule that "
        "applied, and the sentence saying what decided the level. Nothing is saved and no one is named. "
        "Uses the current tool version unless tool_version names another. Needs the screenings:evaluate scope."
    ),
    request=EvaluateSerializer,
    responses={
        200: EvaluationSerializer,
        (400, PROBLEM): OpenApiResponse(
            ProblemSerializer,
            description=("The body breaks this schema; each field is named in errors, for example child.age"),
        ),
        (422, PROBLEM): OpenApiResponse(
            ProblemSerializer,
            description=(
                "The body keeps to this schema but the tool cannot score it: a tool version that does not exist, an "
                "indicator the version does not have, or a required indicator unanswered, for example "
                "answers.missing_repeat"
            ),
        ),
        (401, PROBLEM): OpenApiResponse(ProblemSerializer, description="No valid credentials"),
        (403, PROBLEM): OpenApiResponse(ProblemSerializer, description="Your role or token scope does not allow this"),
        (503, PROBLEM): OpenApiResponse(ProblemSerializer, description="No screening tool has been published"),
    },
    examples=[
        OpenApiExample(
            "A 12-year-old getting into cars",
            request_only=True,
            value={
                "answers": {
                    "places_cars": {"state": "present", "when": "current"},
                    "missing_repeat": {"state": "not_present"},
                    "assoc_controlling_adult": {"state": "unknown"},
                    "disclosure_exploitation": {"state": "not_present"},
                },
                "child": {"age": 12, "learning_disability": False},
            },
        )
    ],
    tags=["screenings"],
)
@api_view(["POST"])
@authentication_classes(API_AUTHENTICATION)
@permission_classes([IsAuthenticated, gate(POST=("screening.evaluate", "screenings:evaluate"))])
def evaluate(request):
    body = EvaluateSerializer(data=request.data)
    valid = body.is_valid()
    errors = {key: value for key, value in body.errors.items()}
    raw = request.data if isinstance(request.data, dict) else {}
    version = raw.get("tool_version")
    version = str(version) if isinstance(version, (str, int, float)) and str(version) else None
    tool = _tool(version)
    if tool is None:
        errors["tool_version"] = [ErrorDetail(f"There is no screening tool version {version}", code=RULE)]
    elif isinstance(raw.get("answers"), dict):
        # Checked even when the serializer found problems, so that one reply
        # names every field that needs fixing.
        answer_errors = _answer_errors(tool.definition, raw["answers"])
        if answer_errors:
            errors["answers"] = {**answer_errors, **(errors.get("answers") or {})}
    if errors or not valid:
        raise ValidationError(errors)
    data = body.validated_data
    definition = tool.definition
    answers = {code: tool_rules.Answer(state=a["state"], when=a["when"]) for code, a in data["answers"].items()}
    child = tool_rules.Child(age=data["child"]["age"], learning_disability=data["child"]["learning_disability"])
    result = tool_rules.score(definition, answers, child)
    log.record(
        "view",
        request=request._request,
        user=request.user,
        obj=tool,
        detail={"tool_version": tool.version, "level": result.level},
    )
    return Response(result.as_dict())
