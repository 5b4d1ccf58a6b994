"""JSON from outside the service: API bodies and uploaded files.

Python's json module accepts what the service cannot use and fails on what it
should refuse politely: NaN and Infinity (not JSON at all, and they poison
every sum), numbers too large for any field (10**400, which later overflows
a float or the database), and nesting so deep that decoding or walking it
raises RecursionError. Everything here turns those into a ValueError with a
message a person can act on, before anything else sees the data.
"""

import json
import math

# Deeper than any document the service defines (a screening tool is 5 levels).
MAX_DEPTH = 32
# Integers up to 2**53 survive a round trip through any JSON reader.
MAX_INTEGER = 2**53


class UntrustedJSONError(ValueError):
    pass


def _refuse_constant(name):
    raise UntrustedJSONError(f"{name} is not a number JSON allows: send a number or null")


def _integer(text):
    if len(text.lstrip("-")) > 16 or abs(int(text)) > MAX_INTEGER:
        raise UntrustedJSONError(f"The number {text[:20]}{'...' if len(text) > 20 else ''} is too large")
    return int(text)


def _float(text):
    value = float(text)
    if not math.isfinite(value):
        raise UntrustedJSONError(f"The number {text[:20]}{'...' if len(text) > 20 else ''} is too large")
    return value


def _depth_within_limit(text, limit):
    """Nesting depth counted on the raw text, outside strings, so that a
    document of a million brackets is refused without ever being decoded."""
    if text.count("[") + text.count("{") <= limit:
        return True
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True


def loads(text, *, max_depth=MAX_DEPTH):
    """Decode `text`, or raise UntrustedJSONError (a ValueError) saying why not."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise UntrustedJSONError("The JSON must be UTF-8 text") from None
    if not _depth_within_limit(text, max_depth):
        raise UntrustedJSONError(f"The JSON is nested more than {max_depth} levels deep")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_integer, parse_float=_float)
    except json.JSONDecodeError as error:
        raise UntrustedJSONError(
            f"The JSON is not valid: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:  # pragma: no cover - the depth check stops this first
        raise UntrustedJSONError(f"The JSON is nested more than {max_depth} levels deep") from None
