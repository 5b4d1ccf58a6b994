"""The referrals API: partner systems send referrals with the same checks as
the pages (hoth.referrals.services.problems, through create_referral) and read
the referrals they may see (Referral.objects.visible_to)."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from hoth.access import policy
from hoth.accounts.models import ApiToken
from hoth.api import idempotency, pagination
from hoth.api.authentication import API_AUTHENTICATION
from hoth.api.permissions import gate
from hoth.api.problems import CONTENT_TYPE as PROBLEM
from hoth.api.problems import problem_exception_handler
from hoth.api.serializers import RULE, JSONBody, NewPersonSerializer, ProblemSerializer, page_rule
from hoth.api.views import Conflict, UnprocessableEntity
from hoth.audit import log
from hoth.contexts.models import Context
from hoth.people import services as people_services
from hoth.people.forms import register as people_forms
from hoth.people.models import Person

from . import services
from .models import BASES_WITHOUT_CONSENT, HarmType, NamedAssociate, Referral

# ------------------------------------------------------------------ input


class NewContextSerializer(JSONBody):
    kind = serializers.ChoiceField(choices=Context.Kind.choices)
    name = serializers.CharField(max_length=200)
    place_type = serializers.ChoiceField(
        choices=Context.PlaceType.choices, required=False, allow_blank=True, default=""
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    town = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    platform = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    handle = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_postcode(self, value):
        return page_rule(people_forms.clean_postcode_value, value)


class AssociateSerializer(JSONBody):
    kind = serializers.ChoiceField(choices=NamedAssociate.Kind.choices)
    name = serializers.CharField(max_length=200)
    details = serializers.CharField(required=False, allow_blank=True, default="")


class NewReferralSerializer(JSONBody):
    """A complete referral. Name the child by `person` (a reference you may
    see) or describe a new one in `new_person`; name a context by `context`
    or `new_context`. Completeness is checked as on the check-your-answers page."""

    subject = serializers.ChoiceField(choices=Referral.Subject.choices, default=Referral.Subject.CHILD)
    person = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Reference of a child you may see, for example P-7KQ2M4X",
    )
    new_person = NewPersonSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="A child not yet on the register (as POST /api/v1/persons/)",
    )
    context = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Reference of a place, group, school or online space, e.g. C-4HT7KQ2",
    )
    new_context = NewContextSerializer(required=False, allow_null=True, default=None)
    harm_types = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        default=list,
        help_text="Harm type codes, for example cce, cse, other",
    )
    harm_other = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    what_happened = serializers.CharField(required=False, allow_blank=True, default="")
    happened_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="YYYY-MM-DD")
    child_words = serializers.CharField(required=False, allow_blank=True, default="")
    associates = AssociateSerializer(many=True, required=False, default=list)
    immediate_danger = serializers.BooleanField(required=False, allow_null=True, default=None)
    referrer_role = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    referrer_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    consent = serializers.ChoiceField(choices=Referral.Consent.choices, required=False, allow_blank=True, default="")
    lawful_basis = serializers.ChoiceField(choices=BASES_WITHOUT_CONSENT, required=False, allow_blank=True, default="")
    consent_reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_referrer_phone(self, value):
        return page_rule(people_forms.clean_phone_value, value)

    def validate(self, data):
        errors = {}
        if data["person"] and data["new_person"]:
            errors["new_person"] = "Send either person or new_person, not both"
        if data["context"] and data["new_context"]:
            errors["new_context"] = "Send either context or new_context, not both"
        if errors:
            raise serializers.ValidationError(errors, code=RULE)
        return data


def _service_data(user, data, request):
    """Turn validated input into what services.create_referral takes. A new
    child or context is created here, inside the caller's transaction, so a
    referral refused later leaves no record behind."""
    found = {}
    out = {k: data[k] for k in services.ANSWER_FIELDS if k in data and k != "subject"}
    out.update(subject=data["subject"], harm_other=data["harm_other"], associates=data["associates"])
    codes = list(dict.fromkeys(data["harm_types"]))
    harm_types = list(HarmType.objects.filter(code__in=codes, is_active=True))
    unknown = sorted(set(codes) - {h.code for h in harm_types})
    if unknown:
        found["harm_types"] = f"Unknown harm type: {', '.join(unknown)}"
    out["harm_types"] = harm_types
    if data["person"]:
        out["person"] = Person.objects.visible_to(user).filter(reference=data["person"]).first()
        if out["person"] is None:
            found["person"] = "There is no person with this reference that you may see"
    if data["context"]:
        out["context"] = Context.objects.visible_to(user).filter(reference=data["context"]).first()
        if out["context"] is None:
            found["context"] = "There is no place, group, school or online space with this reference that you may see"
    if found:
        raise ValidationError(found, code=RULE)
    if data["subject"] == Referral.Subject.CHILD and data["new_person"]:
        person_input = NewPersonSerializer(data=request.data["new_person"])
        person_input.is_valid(raise_exception=True)
        out["person"] = people_services.create_person(user, person_input.service_data(), audit=request._request.audit)
    if data["subject"] == Referral.Subject.CONTEXT and data["new_context"]:
        from hoth.contexts.services import create_context

        out["context"] = create_context(user, dict(data["new_context"]), audit=request._request.audit)
    if data["subject"] == Referral.Subject.CHILD:
        out["context"] = None
    else:
        out["person"] = None
    return out


# ------------------------------------------------------------------ output


class AssociateOutSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    details = serializers.CharField()


class AdditionSerializer(serializers.Serializer):
    text = serializers.CharField()
    added_by_agency = serializers.CharField(source="added_by_agency.name")
    added_at = serializers.DateTimeField()


class ReferralSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Referral.Status.choices)
    source = serializers.ChoiceField(choices=Referral.Source.choices)
    subject = serializers.ChoiceField(choices=Referral.Subject.choices)
    person = serializers.CharField(source="person.reference", allow_null=True, default=None)
    context = serializers.CharField(source="context.reference", allow_null=True, default=None)
    harm_types = serializers.SerializerMethodField()
    harm_other = serializers.CharField()
    what_happened = serializers.CharField()
    happened_on = serializers.DateField(allow_null=True)
    child_words = serializers.CharField()
    associates = AssociateOutSerializer(many=True)
    immediate_danger = serializers.BooleanField(allow_null=True)
    is_urgent = serializers.BooleanField()
    referrer_agency = serializers.CharField(source="referrer_agency.name")
    referrer_role = serializers.CharField()
    consent = serializers.CharField()
    lawful_basis = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    screen_by = serializers.DateTimeField(allow_null=True)
    additions = AdditionSerializer(many=True)

    def get_harm_types(self, referral) -> list[str]:
        return [h.code for h in referral.harm_types.all()]


class ReferralSummarySerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Referral.Status.choices)
    subject = serializers.ChoiceField(choices=Referral.Subject.choices)
    person = serializers.CharField(source="person.reference", allow_null=True, default=None)
    context = serializers.CharField(source="context.reference", allow_null=True, default=None)
    is_urgent = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    screen_by = serializers.DateTimeField(allow_null=True)


class ReferralPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReferralSummarySerializer(many=True)


def _problem(description):
    return OpenApiResponse(ProblemSerializer, description=description)


def _detailed(referrals):
    return referrals.select_related("person", "context", "referrer_agency").prefetch_related(
        "harm_types", "associates", "additions__added_by_agency"
    )


def _token_detail(request, **detail):
    if isinstance(request.auth, ApiToken):
        detail["token"] = request.auth.prefix
    detail["via"] = "api"
    return detail


# ------------------------------------------------------------------ views


@extend_schema(
    methods=["GET"],
    operation_id="referrals_list",
    summary="The referrals you may see",
    description="Submitted referrals your account may see, newest first: those it sent, and others the access "
    "rules allow. Needs the referrals:read scope. Audited as a list.",
    parameters=pagination.PARAMETERS,
    responses={
        200: ReferralPageSerializer,
        (400, PROBLEM): _problem("The limit or offset is not valid"),
        (401, PROBLEM): _problem("No valid credentials"),
        (403, PROBLEM): _problem("Your role or token scope does not allow this"),
    },
    tags=["referrals"],
)
@extend_schema(
    methods=["POST"],
    operation_id="referrals_create",
    summary="Send a referral",
    description=(
        "A complete referral in one request, checked as the pages check it: a subject, the child (person or "
        "new_person) or context (context or new_context), at least one harm type (with harm_other for 'other'), "
        "what happened, immediate_danger, your role and phone, and consent; when consent is refused or not "
        "sought, a lawful_basis and consent_reason. Each missing or wrong field is named in the problem "
        "document's errors and invalid-params, and nothing is saved: 400 when the body breaks this schema, 422 "
        "when it keeps to it but breaks a rule (an answer missing, a reference you may not see, a postcode or "
        "phone number that is not real). Needs the referrals:write scope.\n\n"
        "Send an Idempotency-Key header (for example a UUID) to make a retry safe: the same "
        "key again answers with the referral first made (header Idempotent-Replayed: true); the same key with a "
        "different body is refused with 422."
    ),
    parameters=[idempotency.PARAMETER],
    request=NewReferralSerializer,
    responses={
        201: ReferralSerializer,
        (400, PROBLEM): _problem("The body breaks this schema; each field is named"),
        (401, PROBLEM): _problem("No valid credentials"),
        (403, PROBLEM): _problem("Your role or token scope does not allow this"),
        (409, PROBLEM): _problem("A referral with the same Idempotency-Key is still being processed"),
        (422, PROBLEM): _problem(
            "The referral breaks a rule (each field is named), or the Idempotency-Key was used for a different referral"
        ),
    },
    tags=["referrals"],
)
@api_view(["GET", "POST"])
@authentication_classes(API_AUTHENTICATION)
@permission_classes(
    [IsAuthenticated, gate(GET=("referral.view", "referrals:read"), POST=("referral.create", "referrals:write"))]
)
def referrals(request):
    if request.method == "POST":
        return _create(request)
    paginator = pagination.Page()
    visible = _detailed(Referral.objects.visible_to(request.user).submitted()).order_by("-submitted_at", "-pk")
    shown = paginator.paginate_queryset(visible, request)
    log.record(
        "list",
        request=request._request,
        user=request.user,
        detail=_token_detail(request, referrals=[r.pk for r in shown], offset=paginator.offset, limit=paginator.limit),
        people=[r.person_id for r in shown if r.person_id],
    )
    return paginator.get_paginated_response(ReferralSummarySerializer(shown, many=True).data)


def _invalid(request, problems):
    """A problem document naming each field (400 for the schema broken, 422
    for a rule), with RFC 7807's invalid-params beside the errors list the
    persons API uses."""
    response = problem_exception_handler(ValidationError(problems), {"request": request})
    response.data["invalid-params"] = [
        {"name": e["field"], "reason": e["detail"]} for e in response.data.get("errors", [])
    ]
    return response


def _create(request):
    try:
        key = idempotency.key_from(request) or ""
        body = hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()
        incoming = NewReferralSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if key:
            previous = Referral.objects.filter(referrer=request.user, idempotency_key=key).first()
            if previous is not None:
                return _replayed(request, previous, body)
        with transaction.atomic():
            data = _service_data(request.user, incoming.validated_data, request)
            sent = services.create_referral(
                request.user, data, idempotency_key=key, request_hash=body, audit=request._request.audit
            )
    except ValidationError as error:
        return _invalid(request, error.detail)
    except services.ReferralIncomplete as incomplete:
        return _invalid(request, ValidationError(incomplete.problems, code=RULE).detail)
    except services.IdempotencyMismatch as mismatch:
        raise UnprocessableEntity(str(mismatch)) from None
    except IntegrityError:
        # Two requests with one key at once: the unique key lets one through.
        raise Conflict("A referral with this Idempotency-Key is still being processed. Try again.") from None
    if sent.replayed:
        return _replayed(request, sent.referral, body)
    return _answer(sent.referral, status.HTTP_201_CREATED)


def _replayed(request, referral, body):
    if referral.idempotency_hash and referral.idempotency_hash != body:
        raise UnprocessableEntity("This Idempotency-Key was used for a different referral. Use a new key.")
    log.record(
        "view",
        request=request._request,
        user=request.user,
        obj=referral,
        person=referral.person_id,
        detail=_token_detail(request, idempotent_replay=True),
    )
    return _answer(referral, status.HTTP_201_CREATED, replayed=True)


def _answer(referral, code, replayed=False):
    referral = _detailed(Referral.objects.filter(pk=referral.pk)).get()
    headers = {"Location": reverse("api:referral-detail", args=[referral.reference])}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(ReferralSerializer(referral).data, status=code, headers=headers)


@extend_schema(
    operation_id="referrals_retrieve",
    summary="One referral",
    description="A submitted referral your account may see, with what has been added since. One you may not "
    "see answers 404, as one that does not exist. Needs the referrals:read scope. Audited as a view.",
    parameters=[
        OpenApiParameter(
            "reference",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description="The referral's reference, for example R-7KQ2M4X",
        )
    ],
    responses={
        200: ReferralSerializer,
        (401, PROBLEM): _problem("No valid credentials"),
        (403, PROBLEM): _problem("Your token scope does not allow this"),
        (404, PROBLEM): _problem("No referral with this reference that you may see"),
    },
    tags=["referrals"],
)
@api_view(["GET"])
@authentication_classes(API_AUTHENTICATION)
@permission_classes([IsAuthenticated, gate(GET=(None, "referrals:read"))])
def referral_detail(request, reference):
    referral = _detailed(Referral.objects.visible_to(request.user).submitted()).filter(reference=reference).first()
    if referral is None or not policy.can(request.user, "referral.view", referral):
        raise NotFound("There is no referral with this reference that you may see.")
    log.record(
        "view",
        request=request._request,
        user=request.user,
        obj=referral,
        person=referral.person_id,
        detail=_token_detail(request),
    )
    return Response(ReferralSerializer(referral).data)
