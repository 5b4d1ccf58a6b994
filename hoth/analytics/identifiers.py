"""Check digits and formats for the identifiers agencies hold about a person.

Pure functions: each takes the value as typed and answers whether it is valid,
so forms can give a specific message and the register stores one canonical form.
"""

import re

NHS_NUMBER_LENGTH = 10
UPN_LENGTH = 13
# The DfE check letter alphabet leaves out I, O and S, which are easily misread.
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?) ?([0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_nhs_number(value: str | None) -> str:
    """Digits only: people type NHS numbers as 943 476 5919 or 943-476-5919."""
    return re.sub(r"[\s-]", "", value or "")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for the first nine digits, or None when no
    digit works (a remainder giving 10 means the number was never issued)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_problem(value: str | None) -> str | None:
    """None if `value` is a valid NHS number, otherwise what is wrong with it."""
    number = normalise_nhs_number(value)
    if not number.isdigit():
        return "An NHS number must contain only numbers"
    if len(number) != NHS_NUMBER_LENGTH:
        return "An NHS number must be 10 digits"
    if nhs_check_digit(number[:9]) != int(number[9]):
        return "The NHS number is not valid: check each digit has been typed correctly"
    return None


def is_valid_nhs_number(value: str | None) -> bool:
    return nhs_number_problem(value) is None


def normalise_upn(value: str | None) -> str:
    return re.sub(r"\s", "", value or "").upper()


def _upn_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    return UPN_CHECK_LETTERS.index(char)


def upn_check_letter(last_twelve: str) -> str:
    """The DfE check letter: characters 2 to 13 weighted 2 to 13, modulus 23."""
    total = sum(_upn_value(c) * w for c, w in zip(last_twelve, range(2, 14)))
    return UPN_CHECK_LETTERS[total % 23]


def upn_problem(value: str | None) -> str | None:
    """None if `value` is a valid unique pupil number (permanent, or temporary
    with a letter in the last place), otherwise what is wrong with it."""
    upn = normalise_upn(value)
    if len(upn) != UPN_LENGTH:
        return "A unique pupil number must be 13 characters"
    if not re.fullmatch(r"[A-Z][0-9]{11}[0-9A-Z]", upn):
        return "A unique pupil number must be a letter, then 11 numbers, then a number or letter"
    if upn[0] not in UPN_CHECK_LETTERS or (upn[-1].isalpha() and upn[-1] not in UPN_CHECK_LETTERS):
        return "A unique pupil number cannot contain the letters I, O or S"
    if upn_check_letter(upn[1:]) != upn[0]:
        return "The unique pupil number is not valid: check each character has been typed correctly"
    return None


def is_valid_upn(value: str | None) -> bool:
    return upn_problem(value) is None


def normalise_postcode(value: str | None) -> str | None:
    """'cw12ab' becomes 'CW1 2AB'; returns None if it is not a UK postcode."""
    cleaned = re.sub(r"\s+", "", (value or "").upper())
    match = _POSTCODE.match(cleaned)
    if not match:
        return None
    return f"{cleaned[:-3]} {cleaned[-3:]}"


def postcode_sector(postcode: str | None) -> str:
    """'CW1 2AB' -> 'CW1 2': the sector, a few streets."""
    normal = normalise_postcode(postcode)
    return normal[:-2] if normal else ""


def postcode_district(postcode: str | None) -> str:
    normal = normalise_postcode(postcode)
    return normal.split(" ")[0] if normal else ""


# UK registrations: current (AB12 CDE), prefix (A123 BCD), suffix (ABC 123D),
# dateless (1 to 4 digits and 1 to 3 letters either way round), and
# Northern Ireland's (ABZ 1234). Foreign plates vary too much to check.
_REGISTRATION = re.compile(
    r"^(?:[A-Z]{2}[0-9]{2}[A-Z]{3}"
    r"|[A-Z][0-9]{1,3}[A-Z]{3}"
    r"|[A-Z]{3}[0-9]{1,3}[A-Z]"
    r"|[0-9]{1,4}[A-Z]{1,3}"
    r"|[A-Z]{1,3}[0-9]{1,4})$"
)


def normalise_registration(value: str | None) -> str:
    """'ab12 cde' becomes 'AB12CDE': registrations are compared without
    spaces or punctuation, as the DVLA and ANPR systems compare them."""
    return re.sub(r"[^A-Z0-9]", "", (value or "").upper())


def registration_problem(value: str | None, *, foreign: bool = False) -> str | None:
    """Why `value` is not a vehicle registration, or None. A foreign plate is
    only checked for length and characters."""
    normal = normalise_registration(value)
    if not normal:
        return "Enter the registration, like AB12 CDE"
    if len(normal) > 8:
        return "A registration has 8 letters and numbers or fewer"
    if not foreign and not _REGISTRATION.match(normal):
        return "Enter a UK registration, like AB12 CDE, or say it is a foreign plate"
    return None


def display_registration(normal: str) -> str:
    """The current format with its space (AB12 CDE); others as stored."""
    if re.match(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$", normal or ""):
        return f"{normal[:4]} {normal[4:]}"
    return normal
