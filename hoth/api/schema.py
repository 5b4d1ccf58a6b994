"""Tell drf-spectacular how the API authenticates, so the OpenAPI description
shows partner developers the bearer token and the session cookie."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object

from hoth.accounts.models import ApiToken


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "hoth.api.authentication.ServiceTokenAuthentication"
    name = "serviceToken"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")
        scopes = "; ".join(f"`{scope.value}` ({scope.label.lower()})" for scope in ApiToken.Scope)
        scheme["description"] = (
            "A partner system's token, `<prefix>.<secret>`, issued by an agency administrator "
            f"with one or more scopes: {scopes}."
        )
        return scheme


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "hoth.api.authentication.VerifiedSessionAuthentication"
    name = "verifiedSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "A signed-in browser session that has completed the second factor.",
        }
