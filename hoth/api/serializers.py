"""What the persons API reads and writes.

Input is checked by the same rules as the pages (hoth.people.forms.register: NHS number
check digit, unique pupil number check letter, phone numbers to E.164,
postcodes, dates not in the future) and written by the same service
(hoth.people.services.create_person), so the API can accept nothing the
pages would refuse.
"""

from django import forms
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from hoth import untrusted_json
from hoth.accounts.models import Agency, AgencyType
from hoth.people.forms import register as people_forms
from hoth.people.models import CareStatus, DobPrecision, Ethnicity, Identifier, SendStatus, Sex

# The error code of a rule of the service, as opposed to the shape the schema
# declares: a request that keeps to the schema but breaks a rule (a check
# digit, a date in the future, a reference nobody may see) is answered 422,
# one that breaks the schema 400 (hoth.api.problems).
RULE = "rule"


def rule_broken(message):
    return serializers.ValidationError(message, code=RULE)


def page_rule(check, *args):
    """Run one of the page's field checks and give its message to DRF."""
    try:
        return check(*args)
    except forms.ValidationError as error:
        raise serializers.ValidationError(error.messages, code=RULE) from None


def _not_in_future(value, label="date of birth"):
    if value is not None and value > timezone.localdate():
        raise rule_broken(f"The {label} must be today or in the past")
    return value


# JSON types each kind of field accepts; DRF would otherwise read 0 as false,
# 12 as "12" and "12" as 12, which the schema does not allow.
_JSON_TYPES = [
    (serializers.BooleanField, (bool,), "Must be true or false"),
    (serializers.IntegerField, (int,), "Must be a whole number"),
    (serializers.FloatField, (int, float), "Must be a number"),
    (serializers.PrimaryKeyRelatedField, (int,), "Must be a whole number"),
    (serializers.ListField, (list,), "Must be a list"),
    (serializers.ListSerializer, (list,), "Must be a list"),
    (serializers.DictField, (dict,), "Must be an object"),
    (serializers.Serializer, (dict,), "Must be an object"),
    (serializers.CharField, (str,), "Must be a string"),
    (serializers.ChoiceField, (str,), "Must be a string"),
    (serializers.DateField, (str,), "Must be a date as a string, YYYY-MM-DD"),
]


def _problem(field, value):
    """What is wrong with `value` for `field` before DRF reads it, or None."""
    if value is None:
        return None  # null is the field's own business (allow_null)
    if (
        isinstance(field, serializers.CharField)
        and not field.allow_blank
        and isinstance(value, str)
        and value
        and not value.strip()
    ):
        # Not empty, so it keeps to the schema's minLength; only spaces, so it says nothing: a rule.
        return ErrorDetail(field.error_messages["blank"], code=RULE)
    for kind, types, message in _JSON_TYPES:
        if isinstance(field, kind):
            if isinstance(value, types) and not (isinstance(value, bool) and bool not in types):
                return None
            return ErrorDetail(message, code="invalid")
    return None


# A request body read as strictly as the schema describes it (no docstring:
# drf-spectacular would give it to every body in the schema): an object with
# only the fields declared (the schema says additionalProperties: false, see
# strict_request_bodies), each value of the JSON type declared for its field,
# at every level.
class JSONBody(serializers.Serializer):
    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Must be an object"]}, code="invalid")
        problems = {
            name: ["Not a field of this request: check its spelling"]
            for name in data
            if name not in self.fields or self.fields[name].read_only
        }
        for name, field in self.fields.items():
            if field.read_only or name not in data or name in problems:
                continue
            value = data[name]
            problem = _problem(field, value)
            if problem is None and isinstance(field, serializers.ListField) and isinstance(value, list):
                items = {str(i): [p] for i, item in enumerate(value) if (p := _problem(field.child, item))}
                if items:
                    problems[name] = items
            elif problem is not None:
                problems[name] = [problem]
        if problems:
            raise serializers.ValidationError(problems, code="invalid")
        return super().to_internal_value(data)


# ------------------------------------------------------------------ output


class AliasSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()


class AddressSerializer(serializers.Serializer):
    line1 = serializers.CharField()
    line2 = serializers.CharField()
    town = serializers.CharField()
    postcode = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    is_current = serializers.BooleanField()


class IdentifierSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    value = serializers.CharField()


class PhoneNumberSerializer(serializers.Serializer):
    number = serializers.CharField(source="e164", help_text="E.164, for example +447700900982")
    label = serializers.CharField()


class OnlineHandleSerializer(serializers.Serializer):
    platform = serializers.CharField()
    handle = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="0 to 1: how closely the record matches what was searched for")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why it matched, in plain English")


class PersonSummarySerializer(serializers.Serializer):
    """A row of a list: enough to tell people apart, no more."""

    reference = serializers.CharField(read_only=True)
    given_names = serializers.CharField(read_only=True)
    family_name = serializers.CharField(read_only=True)
    preferred_name = serializers.CharField(read_only=True)
    date_of_birth = serializers.DateField(read_only=True, allow_null=True)
    dob_precision = serializers.ChoiceField(choices=DobPrecision.choices, read_only=True)
    current_postcode = serializers.SerializerMethodField()
    match = serializers.SerializerMethodField()

    def get_current_postcode(self, person) -> str:
        current = [a for a in person.addresses.all() if a.is_current]
        return current[0].postcode if current else ""

    def get_match(self, person) -> MatchSerializer(allow_null=True):
        match = self.context.get("matches", {}).get(person.pk)
        return None if match is None else {"score": match.score, "reasons": match.reasons}


class PersonPageSerializer(serializers.Serializer):
    """One page of a list (limit/offset pagination)."""

    count = serializers.IntegerField(help_text="How many people in all (at most 200 for a search)")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PersonSummarySerializer(many=True)


class PersonSerializer(serializers.Serializer):
    """One person's record as the detail page shows it, less the encrypted
    sensitive notes (kept to the pages, where each reading is in context)."""

    reference = serializers.CharField(read_only=True)
    given_names = serializers.CharField(read_only=True)
    family_name = serializers.CharField(read_only=True)
    preferred_name = serializers.CharField(read_only=True)
    date_of_birth = serializers.DateField(read_only=True, allow_null=True)
    dob_precision = serializers.ChoiceField(choices=DobPrecision.choices, read_only=True)
    sex = serializers.ChoiceField(choices=Sex.choices, read_only=True)
    gender = serializers.CharField(read_only=True)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices, read_only=True)
    first_language = serializers.CharField(read_only=True)
    interpreter_needed = serializers.BooleanField(read_only=True)
    send_status = serializers.ChoiceField(choices=SendStatus.choices, read_only=True)
    has_disability = serializers.BooleanField(read_only=True)
    has_learning_disability = serializers.BooleanField(read_only=True)
    care_status = serializers.ChoiceField(choices=CareStatus.choices, read_only=True)
    school = serializers.CharField(source="school.name", read_only=True, allow_null=True, default=None)
    aliases = AliasSerializer(many=True, read_only=True)
    addresses = AddressSerializer(many=True, read_only=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)
    phone_numbers = PhoneNumberSerializer(many=True, read_only=True)
    online_handles = OnlineHandleSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


# ------------------------------------------------------------------ input


class PersonSearchSerializer(serializers.Serializer):
    """Query parameters of the persons list. With none, the list is every
    person the caller may see."""

    name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Any name they are known by, including nicknames"
    )
    date_of_birth = serializers.DateField(required=False, help_text="YYYY-MM-DD")
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)
    identifier = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="NHS number, unique pupil number, police or council reference",
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)

    def to_internal_value(self, data):
        # An empty date_of_birth= is not a date (the schema says format: date),
        # where an empty name= or postcode= is only nothing typed.
        if data.get("date_of_birth") == "":
            raise serializers.ValidationError({"date_of_birth": ["Enter the date of birth as YYYY-MM-DD"]})
        return super().to_internal_value(data)

    def validate_date_of_birth(self, value):
        return _not_in_future(value)

    def validate_postcode(self, value):
        return page_rule(people_forms.clean_postcode_value, value)

    def validate_phone(self, value):
        return page_rule(people_forms.clean_phone_value, value)

    @property
    def terms(self):
        return {k: v for k, v in self.validated_data.items() if v not in ("", None)}


class NewAddressSerializer(JSONBody):
    line1 = serializers.CharField(
        max_length=200,
        error_messages={
            "required": "Enter the first line of the address",
            "blank": "Enter the first line of the address",
        },
    )
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    town = serializers.CharField(
        max_length=80, error_messages={"required": "Enter the town or city", "blank": "Enter the town or city"}
    )
    postcode = serializers.CharField(
        max_length=10, error_messages={"required": "Enter the postcode", "blank": "Enter the postcode"}
    )

    def validate_postcode(self, value):
        return page_rule(people_forms.clean_postcode_value, value, True)


class NewOnlineHandleSerializer(JSONBody):
    platform = serializers.CharField(max_length=60, error_messages={"blank": "Enter the platform or app"})
    handle = serializers.CharField(max_length=120, error_messages={"blank": "Enter the account name or handle"})


class _PhoneField(serializers.CharField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        e164 = page_rule(people_forms.clean_phone_value, value)
        if not e164:
            raise rule_broken("Enter a phone number, like 07700 900 982 or +44 808 157 0192")
        return e164


def _identifier_field(scheme, label, max_length):
    class IdentifierField(serializers.CharField):
        def to_internal_value(self, data):
            value = super().to_internal_value(data).strip()
            return page_rule(people_forms.clean_identifier, scheme, value) if value else ""

    return IdentifierField(required=False, allow_blank=True, max_length=max_length, help_text=label)


class NewPersonSerializer(JSONBody):
    """A person to record. Each error names its field, as on the page."""

    given_names = serializers.CharField(
        max_length=150, error_messages={"required": "Enter their first name", "blank": "Enter their first name"}
    )
    family_name = serializers.CharField(
        max_length=150, error_messages={"required": "Enter their family name", "blank": "Enter their family name"}
    )
    preferred_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None, help_text="YYYY-MM-DD")
    dob_precision = serializers.ChoiceField(choices=DobPrecision.choices, default=DobPrecision.EXACT)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    gender = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN)
    first_language = serializers.CharField(max_length=80, required=False, allow_blank=True, default="English")
    interpreter_needed = serializers.BooleanField(default=False)
    send_status = serializers.ChoiceField(choices=SendStatus.choices, required=False, allow_blank=True, default="")
    has_disability = serializers.BooleanField(default=False)
    has_learning_disability = serializers.BooleanField(default=False)
    care_status = serializers.ChoiceField(choices=CareStatus.choices, required=False, allow_blank=True, default="")
    school = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(type=AgencyType.EDUCATION, is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of the school or college (an education agency)",
    )
    sensitive_notes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text="Kept encrypted. Record only what partners need to keep them safe.",
    )
    address = NewAddressSerializer(required=False, allow_null=True, default=None)
    nhs_number = _identifier_field(Identifier.Scheme.NHS, "10 digits, for example 943 476 5919", 20)
    upn = _identifier_field(Identifier.Scheme.UPN, "Unique pupil number: 13 characters, starting with a letter", 20)
    police_reference = _identifier_field(Identifier.Scheme.POLICE, "Police reference", 40)
    la_reference = _identifier_field(Identifier.Scheme.LOCAL_AUTHORITY, "Local authority ID", 40)
    phone_numbers = serializers.ListField(child=_PhoneField(max_length=30), required=False, default=list)
    online_handles = NewOnlineHandleSerializer(many=True, required=False, default=list)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)

    def validate_date_of_birth(self, value):
        return _not_in_future(value)

    def service_data(self):
        """The validated data in the shape hoth.people.services.create_person takes."""
        data = dict(self.validated_data)
        address = data.pop("address", None) or {}
        school = data.pop("school", None)
        data["school"] = school.pk if school else None
        data.update({f"address_{k}": v for k, v in address.items()})
        data["phone_numbers"] = list(dict.fromkeys(data.get("phone_numbers", [])))
        data["online_handles"] = [(h["platform"], h["handle"]) for h in data.get("online_handles", [])]
        for key in ("nhs_number", "upn", "police_reference", "la_reference"):
            data.setdefault(key, "")
        return data


class ProblemFieldSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Dotted path of the field, for example address.postcode")
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem document (application/problem+json)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    errors = ProblemFieldSerializer(many=True, required=False)


def strict_request_bodies(result, generator, request, public):
    """drf-spectacular postprocessing hook: every request body is a JSONBody,
    which refuses fields it does not declare, and hoth.untrusted_json reads no
    whole number beyond 2**53; so the schema says both."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
            for prop in component.get("properties", {}).values():
                if prop.get("type") == "integer":
                    prop.setdefault("minimum", -untrusted_json.MAX_INTEGER)
                    prop.setdefault("maximum", untrusted_json.MAX_INTEGER)
    return result
