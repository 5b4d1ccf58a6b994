"""The persons API: the person register for partners' systems.

Every call goes through the one access gate (Person.objects.visible_to and
hoth.access.policy) and writes exactly one audit event through
hoth.audit.log.record, with the same actions as the pages.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from hoth.access import policy
from hoth.accounts.models import ApiToken
from hoth.audit import log
from hoth.people import services
from hoth.people.models import Person
from hoth.people.search import search_people

from . import idempotency, pagination
from .authentication import API_AUTHENTICATION
from .models import IdempotentRequest
from .permissions import gate
from .problems import CONTENT_TYPE as PROBLEM
from .serializers import (
    NewPersonSerializer,
    PersonPageSerializer,
    PersonSearchSerializer,
    PersonSerializer,
    PersonSummarySerializer,
    ProblemSerializer,
)

# Search ranks candidates in Python; beyond this many a caller should narrow
# the search rather than page through weak matches.
SEARCH_LIMIT = 200


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class UnprocessableEntity(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


def _problem(description):
    return OpenApiResponse(ProblemSerializer, description=description)


def _token_detail(request, **detail):
    """What the audit event says about the credential, besides the user."""
    if isinstance(request.auth, ApiToken):
        detail["token"] = request.auth.prefix
    detail["via"] = "api"
    return detail


def _with_details(people):
    return people.select_related("school").prefetch_related(
        "aliases", "addresses", "identifiers", "phone_numbers", "online_handles"
    )


@extend_schema(
    methods=["GET"],
    operation_id="persons_list",
    summary="List or search the people you may see",
    description=(
        "With no parameters, every person your account may see. With any of name, date_of_birth, postcode, "
        "identifier or phone, the people you may see who match, best first, each with a match score and the "
        "reasons it matched. Needs the persons:read scope. Audited as a list or a search."
    ),
    parameters=[
        PersonSearchSerializer,
        *pagination.PARAMETERS,
    ],
    responses={
        200: PersonPageSerializer,
        (400, PROBLEM): _problem("A search parameter, the limit or the offset breaks this schema"),
        (422, PROBLEM): _problem(
            "A search parameter breaks a rule: a postcode or phone number that is not real, "
            "a date of birth in the future"
        ),
        (401, PROBLEM): _problem("No valid credentials"),
        (403, PROBLEM): _problem("Your role or token scope does not allow this"),
    },
    tags=["persons"],
)
@extend_schema(
    methods=["POST"],
    operation_id="persons_create",
    summary="Record a new person",
    description=(
        "Validated as the page is: NHS number check digit, unique pupil number check letter, phone numbers, "
        "postcodes, dates not in the future. A body that breaks this schema is answered 400; one that keeps to "
        "it but breaks such a rule, 422, each field named. The new person is linked to your account so you can "
        "see them. Needs the persons:write scope. Audited as a create.\n\n"
        "Send an Idempotency-Key header (for example a UUID) to make a retry safe: for 24 hours the same key with "
        "the same body answers with the person first created (header Idempotent-Replayed: true) instead of "
        "recording them twice; the same key with a different body is refused with 422."
    ),
    parameters=[idempotency.PARAMETER],
    request=NewPersonSerializer,
    responses={
        201: PersonSerializer,
        (400, PROBLEM): _problem("The body breaks this schema; each field is named in errors"),
        (401, PROBLEM): _problem("No valid credentials"),
        (403, PROBLEM): _problem("Your role or token scope does not allow this"),
        (409, PROBLEM): _problem("A request with the same Idempotency-Key is still being processed"),
        (422, PROBLEM): _problem(
            "A field breaks a rule (each is named in errors), or the Idempotency-Key was used for a different request"
        ),
    },
    tags=["persons"],
)
@api_view(["GET", "POST"])
@authentication_classes(API_AUTHENTICATION)
@permission_classes(
    [IsAuthenticated, gate(GET=("person.search", "persons:read"), POST=("person.create", "persons:write"))]
)
def persons(request):
    if request.method == "POST":
        return _create(request)
    return _list(request)


def _list(request):
    params = PersonSearchSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    terms = params.terms
    paginator = pagination.Page()
    if terms:
        matches = search_people(request.user, limit=SEARCH_LIMIT, **terms)
        page = paginator.paginate_queryset(matches, request)
        people = {
            p.pk: p
            for p in _with_details(Person.objects.visible_to(request.user)).filter(pk__in=[m.person.pk for m in page])
        }
        shown = [people[m.person.pk] for m in page if m.person.pk in people]
        context = {"matches": {m.person.pk: m for m in page}}
        query = {k: str(v) for k, v in terms.items()}
        action = "search"
    else:
        people = _with_details(Person.objects.visible_to(request.user)).order_by("family_name", "given_names", "pk")
        shown = paginator.paginate_queryset(people, request)
        context, query, action = {}, {}, "list"
    log.record(
        action,
        request=request._request,
        user=request.user,
        detail=_token_detail(
            request, query=query, person_ids=[p.pk for p in shown], offset=paginator.offset, limit=paginator.limit
        ),
    )
    return paginator.get_paginated_response(PersonSummarySerializer(shown, many=True, context=context).data)


def _created(person, replayed=False):
    person = _with_details(Person.objects.filter(pk=person.pk)).get()
    headers = {"Location": reverse("api:person-detail", args=[person.reference])}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED, headers=headers)


def _create(request):
    key = idempotency.key_from(request)
    if key is None:
        return _created(_create_person(request))
    body = hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()
    with transaction.atomic():
        IdempotentRequest.objects.filter(
            account=request.user, key=key, created_at__lt=idempotency.expired_before(timezone.now())
        ).delete()
        previous = IdempotentRequest.objects.select_for_update().filter(account=request.user, key=key).first()
        if previous is not None:
            return _replay(request, previous, body)
        try:
            # Claimed before the person is created, so that a retry arriving
            # while the first is still running waits for it or is refused.
            with transaction.atomic():
                claim = IdempotentRequest.objects.create(account=request.user, key=key, request_hash=body)
        except IntegrityError:
            raise Conflict("A request with this Idempotency-Key is still being processed. Try again.") from None
        claim.person = _create_person(request)
        claim.save(update_fields=["person"])
        return _created(claim.person)


def _replay(request, previous, body):
    if previous.request_hash != body:
        raise UnprocessableEntity("This Idempotency-Key was used for a different request. Use a new key.")
    person = Person.objects.visible_to(request.user).filter(pk=previous.person_id).first()
    if person is None:
        raise NotFound("The person created with this Idempotency-Key is no longer one you may see.")
    # The answer shows the person's record again, so it is audited as a view.
    log.record(
        "view",
        request=request._request,
        user=request.user,
        obj=person,
        detail=_token_detail(request, idempotent_replay=True),
    )
    return _created(person, replayed=True)


def _create_person(request):
    serializer = NewPersonSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    # The service checks the policy again and writes the one audit event.
    return services.create_person(request.user, serializer.service_data(), audit=request._request.audit)


@extend_schema(
    operation_id="persons_retrieve",
    summary="One person's record",
    description=(
        "The record of a person your account may see. A person you may not see answers 404, exactly as one "
        "that does not exist, so the API never tells anyone who is on the register. Needs the persons:read "
        "scope. Audited as a view."
    ),
    parameters=[
        OpenApiParameter(
            "reference",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description="The person's reference, for example P-7KQ2M4X",
        )
    ],
    responses={
        200: PersonSerializer,
        (401, PROBLEM): _problem("No valid credentials"),
        (403, PROBLEM): _problem("Your token scope does not allow this"),
        (404, PROBLEM): _problem("No person with this reference that you may see"),
    },
    tags=["persons"],
)
@api_view(["GET"])
@authentication_classes(API_AUTHENTICATION)
@permission_classes([IsAuthenticated, gate(GET=(None, "persons:read"))])
def person_detail(request, reference):
    person = _with_details(Person.objects.visible_to(request.user)).filter(reference=reference).first()
    if person is None or not policy.can(request.user, "person.view", person):
        raise NotFound("There is no person with this reference that you may see.")
    log.record("view", request=request._request, user=request.user, obj=person, detail=_token_detail(request))
    return Response(PersonSerializer(person).data)
