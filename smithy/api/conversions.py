"""Recipe conversion: ``api.conversion`` is :mod:`smithy.convert.conversion` (``.convert``)."""

from __future__ import annotations

from smithy.convert import conversion as conversion
