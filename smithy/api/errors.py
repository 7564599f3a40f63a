"""The errors the command line catches, the exit codes it returns, and the input size cap."""

from __future__ import annotations

from smithy.errors import ExitCode as ExitCode
from smithy.errors import SmithyError as SmithyError
from smithy.errors import Span as Span
from smithy.textfile import MAX_BYTES_VARIABLE as MAX_BYTES_VARIABLE
from smithy.textfile import set_max_bytes as set_max_bytes
