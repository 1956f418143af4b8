"""CPR numbers: validation and derived facts, through python-stdnum.

The modulus-11 check was abandoned in 2007, so it is not required.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError as StdnumError


@dataclass(frozen=True)
class CPR:
    digits: str

    @property
    def birth_date(self) -> datetime.date:
        return stdnum_cpr.get_birth_date(self.digits)

    @property
    def sex(self) -> str:
        return "male" if int(self.digits[-1]) % 2 else "female"

    @property
    def formatted(self) -> str:
        return f"{self.digits[:6]}-{self.digits[6:]}"

    @property
    def masked(self) -> str:
        return f"{self.digits[:6]}-xxxx"

    def __str__(self) -> str:
        return self.formatted


def parse_cpr(value: str, *, today: datetime.date | None = None) -> CPR:
    """Return a CPR for a valid number or raise a ValidationError with a Danish message."""
    raw = (value or "").strip()
    compact = stdnum_cpr.compact(raw)
    try:
        if len(compact) != 10:
            raise InvalidLength()
        if not compact.isdigit() or not compact.isascii():
            raise InvalidFormat()
        birth_date = stdnum_cpr.get_birth_date(compact)
    except InvalidLength:
        raise ValidationError(_("Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX)."), code="cpr_length") from None
    except InvalidFormat:
        raise ValidationError(_("Et CPR-nummer må kun indeholde cifre og en bindestreg."), code="cpr_format") from None
    except (InvalidComponent, StdnumError):
        raise ValidationError(_("CPR-nummeret indeholder ikke en gyldig fødselsdato."), code="cpr_date") from None
    if birth_date > (today or timezone.localdate()):
        raise ValidationError(_("CPR-nummerets fødselsdato ligger i fremtiden."), code="cpr_future")
    return CPR(compact)
