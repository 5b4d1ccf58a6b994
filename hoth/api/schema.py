"""Tell drf-spectacular how the API authenticates, so the OpenAPI description
shows partner developers the bearer token and the session cookie."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "hoth.api.authentication.ServiceTokenAuthentication"
    name = "serviceToken"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")
        scheme["description"] = ("A partner system's token, `<prefix>.<secret>`, issued by an agency administrator "
                                 "with scopes persons:read and/or persons:write.")
        return scheme


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "hoth.api.authentication.VerifiedSessionAuthentication"
    name = "verifiedSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "A signed-in browser session that has completed the second factor."}
