"""The API reads JSON bodies only, and only what it can use safely.

Partner systems send JSON (the schema advertises nothing else). A body that
is not JSON the service can hold (nested too deep, NaN, numbers beyond any
field) is refused as a bad request, like any other malformed body. A body
over DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read, by Django; the
problem handler answers it (hoth.api.problems).
"""

from rest_framework import exceptions, parsers

from hoth import untrusted_json


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return untrusted_json.loads(stream.read())
        except untrusted_json.UntrustedJSONError as error:
            raise exceptions.ParseError(str(error)) from None
