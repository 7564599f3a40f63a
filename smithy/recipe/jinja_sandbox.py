"""The locked-down jinja environment: immutable sandbox plus size, loop and call budgets."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from types import CodeType, FunctionType
from typing import Any, TypeVar

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

# Generous for any real recipe, small enough that a hostile one fails fast and small.
MAX_TEXT = 1_000_000  # characters (or items) in any string or list a template builds
MAX_STEPS = 100_000  # loop iterations plus range() items in one render
MAX_CALLS = 20_000  # function, method and macro calls in one render
MAX_WIDTH = 10_000  # padding/width/count arguments of expanding filters and str methods
MAX_POWER_BITS = 100_000  # size of an integer ``**`` may produce
# Jinja tags ({{ }}, {% %}) in one template: real recipes have a few hundred. Compiling costs
# time and memory per tag (175,000 `{% set %}` lines took a minute and 2 GB), so count first.
MAX_TAGS = 20_000
_TAG_OPENING = re.compile(r"\{[{%]")

# Literal template text gets "\ue002<line>\ue003" after each newline, so every rendered line
# can be traced to its source line even after loops and whitespace control.
LINE_MARK, LINE_MARK_END = "\ue002", "\ue003"
# Text these blocks produce can be compared or measured by the template: leave it unmarked.
_UNMARKED_BLOCKS = (nodes.Macro, nodes.CallBlock, nodes.AssignBlock, nodes.FilterBlock)
_WIDE_FUNCTIONS = frozenset(
    {"center", "ljust", "rjust", "zfill", "expandtabs", "indent", "batch", "slice", "wordwrap"}
)
# %-format widths/precisions and str.format specs with many digits, or taken from arguments.
_BIG_PERCENT_SPEC = re.compile(r"%[^a-zA-Z%]*(\d{5,}|\*)")
_BIG_FORMAT_SPEC = re.compile(r"\{[^{}]*:[^{}]*(\d{5,}|\{)")
_CHECKED_BY_NAME = _WIDE_FUNCTIONS | {"replace", "join", "format", "format_map"}


_Function = TypeVar("_Function", bound=Callable[..., Any])
# Code of smithy's own template functions (pin_subpackage(), compiler(), ...): see trusted().
_TRUSTED_CODE: set[CodeType] = set()


def trusted(function: _Function) -> _Function:
    """Mark one of smithy's own template functions: the sandbox calls it without its checks.

    jinja's checks cannot refuse such a function (it carries no ``unsafe_callable``,
    ``alters_data`` or ``jinja_pass_arg`` mark and templates cannot set attributes), and the
    width/expansion checks look only at str methods and filters by name, so skipping them
    changes nothing but the cost. The call still counts against the budget and its result is
    still size-checked. Only a plain function whose code object is registered here takes
    that path: templates cannot make code objects.
    """
    if not isinstance(function, FunctionType) or hasattr(function, "jinja_pass_arg"):
        raise TypeError(f"not a plain function: {function!r}")
    if function.__name__ in _CHECKED_BY_NAME:
        raise TypeError(f"{function.__name__} is checked by name; it cannot be trusted")
    _TRUSTED_CODE.add(function.__code__)
    return function


# jinja's Context.call turns a StopIteration a callable raised into this undefined value.
_STOP_ITERATION = "value was undefined because a callable raised a StopIteration exception"


class LimitExceeded(SecurityError):
    """A template exceeded a size, loop or call budget."""


def tag_limit_line(text: str) -> int:
    """The 1-based line of the tag past ``MAX_TAGS`` (0 when ``text`` is within the budget)."""
    for count, found in enumerate(_TAG_OPENING.finditer(text), start=1):
        if count > MAX_TAGS:
            return text.count("\n", 0, found.start()) + 1
    return 0


class Budget:
    """Counters for one render; shared by the sandbox hooks through a context variable."""

    __slots__ = ("calls", "steps")

    def __init__(self) -> None:
        self.steps = 0
        self.calls = 0

    def step(self, count: int = 1) -> None:
        """Count loop iterations or range items; fail past the budget."""
        self.steps += count
        if self.steps > MAX_STEPS:
            raise LimitExceeded(f"more than {MAX_STEPS} loop iterations")

    def call(self) -> None:
        """Count one call; fail past the budget."""
        self.calls += 1
        if self.calls > MAX_CALLS:
            raise LimitExceeded(f"more than {MAX_CALLS} calls")


CURRENT_BUDGET: ContextVar[Budget] = ContextVar("smithy_jinja_budget")


def _budget() -> Budget:
    try:
        return CURRENT_BUDGET.get()
    except LookupError:  # rendering outside smithy's render(): still bounded
        budget = Budget()
        CURRENT_BUDGET.set(budget)
        return budget


def check_length(length: int) -> None:
    """Fail when a value of ``length`` characters or items would exceed ``MAX_TEXT``."""
    if length > MAX_TEXT:
        raise LimitExceeded(f"a value longer than {MAX_TEXT} would be built")


def check_size(value: Any) -> Any:
    """Return ``value`` unless it is a string or sequence longer than ``MAX_TEXT``."""
    if isinstance(value, str | bytes | list | tuple | dict):
        check_length(len(value))
    return value


def _check_wide_args(name: str, args: Iterable[Any]) -> None:
    if name in _WIDE_FUNCTIONS:
        for arg in args:
            if isinstance(arg, int) and abs(arg) > MAX_WIDTH:
                raise LimitExceeded(f"{name}() argument {arg} is larger than {MAX_WIDTH}")


def _check_expansion(name: str, target: Any, args: tuple[Any, ...]) -> None:
    """Refuse ``replace``/``join``/format calls whose result would exceed ``MAX_TEXT``."""
    if name == "replace" and isinstance(target, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        hits = target.count(old) if old else len(target) + 1
        check_length(len(target) + hits * len(new))
    elif name == "join" and isinstance(target, str) and args:
        items = args[0]
        if isinstance(items, list | tuple):
            total = len(target) * len(items)
            for item in items:
                total += len(item) if isinstance(item, str) else 1
                check_length(total)
    elif name == "format" and isinstance(target, str) and _BIG_PERCENT_SPEC.search(target):
        raise LimitExceeded("format widths above 9999 are not allowed")


def _guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        plain = [arg for arg in args if not isinstance(arg, Context)]
        _check_wide_args(name, [*plain[1:], *kwargs.values()])
        if plain:
            _check_expansion(name, plain[0], tuple(plain[1:]))
        return check_size(function(*args, **kwargs))

    return guarded


def _budgeted_range(*args: int) -> range:
    result = range(*args)
    _budget().step(len(result))
    return result


def _mark_lines(node: nodes.Node) -> None:
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.TemplateData):
            # The lines after the first newline of one piece of literal text are consecutive
            # template lines: one mark there is enough (SourceLines counts on from it).
            first, newline, rest = child.data.partition("\n")
            if newline:
                child.data = f"{first}\n{LINE_MARK}{child.lineno + 1}{LINE_MARK_END}{rest}"
        elif not isinstance(child, _UNMARKED_BLOCKS):
            _mark_lines(child)


class _BudgetCodeGenerator(CodeGenerator):
    """Routes ``a ~ b`` through the environment so string growth is checked."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class RecipeSandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment that also bounds time and memory of a render."""

    code_generator_class = _BudgetCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _budgeted_range
        # lipsum is random text: renders must be deterministic.
        self.globals.pop("lipsum", None)
        self.filters.pop("random", None)
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items()}

    def checked_concat(self, parts: Iterable[Any]) -> str:
        """Join the parts of a ``~`` expression, refusing oversized results."""
        joined = "".join(map(str, parts))
        check_length(len(joined))
        return joined

    def loop_items(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Yield a for-loop's items, counting each against the render's budget."""
        budget = _budget()
        for item in iterable:
            budget.step()
            yield item

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _mark_lines(tree)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(
                nodes.EnvironmentAttribute("loop_items"), [loop.iter], [], None, None
            ).set_lineno(loop.lineno)
        return tree

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Evaluate an intercepted operator, refusing results that would be huge."""
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(count, int):
                    check_length(len(seq) * max(count, 0))
        elif operator == "**":
            ints = isinstance(left, int) and isinstance(right, int) and abs(left) > 1
            if ints and right * abs(left).bit_length() > MAX_POWER_BITS:
                raise LimitExceeded("integer power too large")
        elif operator == "+":
            if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
                check_length(len(left) + len(right))
        elif operator == "%" and isinstance(left, str) and _BIG_PERCENT_SPEC.search(left):
            raise LimitExceeded("format widths above 9999 are not allowed")
        return check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call ``__obj`` from the template after the sandbox and budget checks."""
        _budget().call()
        if type(__obj) is FunctionType and __obj.__code__ in _TRUSTED_CODE:
            # What jinja's Context.call does for a function without a pass_* mark.
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return check_size(__obj(*args, **kwargs))
            except StopIteration:
                return __context.environment.undefined(_STOP_ITERATION)
        name = getattr(__obj, "__name__", "")
        if isinstance(name, str) and name:
            _check_wide_args(name, [*args, *kwargs.values()])
            _check_expansion(name, getattr(__obj, "__self__", None), args)
        return check_size(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Sandbox ``str.format``, refusing huge field widths first."""
        wrapped = super().wrap_str_format(value)
        target = getattr(value, "__self__", None)
        if wrapped is not None and isinstance(target, str) and _BIG_FORMAT_SPEC.search(target):
            raise LimitExceeded("format widths above 9999 are not allowed")
        return wrapped
