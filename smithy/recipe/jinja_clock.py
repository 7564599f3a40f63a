"""``datetime`` for meta.yaml jinja: conda-build's module, with a clock that never ticks."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from smithy.errors import JinjaError
from smithy.records import frozen_record


@frozen_record
class Clock:
    """``datetime.datetime`` and ``datetime.date`` in conda-build jinja, frozen at one moment.

    conda-build hands recipes the real module (the pinning feedstock versions itself with
    ``datetime.datetime.utcnow()``); a rerender must not depend on when it runs, so the clock
    reads ``SOURCE_DATE_EPOCH`` from the explicit environment, else the epoch.
    """

    stamp: str

    def now(self, *_: object) -> datetime.datetime:
        """The frozen moment (``SOURCE_DATE_EPOCH`` seconds, UTC, without a time zone)."""
        if not self.stamp.isdigit():
            raise JinjaError(f"SOURCE_DATE_EPOCH must be whole seconds, not '{self.stamp}'")
        moment = datetime.datetime.fromtimestamp(int(self.stamp), tz=datetime.UTC)
        return moment.replace(tzinfo=None)

    def utcnow(self) -> datetime.datetime:
        """The frozen moment."""
        return self.now()

    def today(self) -> datetime.datetime:
        """The frozen moment."""
        return self.now()


@frozen_record
class DatetimeModule:
    """What ``datetime`` offers in conda-build jinja: a clock that never reads the time."""

    datetime: Clock
    date: Clock


def datetime_module(env: Mapping[str, str]) -> DatetimeModule:
    """The ``datetime`` a meta.yaml template sees, its clock set from ``env``."""
    clock = Clock(env.get("SOURCE_DATE_EPOCH", "0"))
    return DatetimeModule(datetime=clock, date=clock)
