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
from jinja2.runtime import Context, LoopContext, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from smithy.recipe.jinja_limits import (
    BIG_FORMAT_SPEC,
    BIG_PERCENT_SPEC,
    CHECKED_BY_NAME,
    MAX_PROCESSED,
    LimitExceeded,
    WeighedNamespace,
    check_format,
    check_length,
    check_size,
    check_spec_widths,
    check_top_length,
    check_wide_args,
    checked_args,
    guard_filter,
    processed_weight,
    text_weight,
)
from smithy.recipe.jinja_limits import MAX_TEXT as MAX_TEXT
from smithy.recipe.jinja_limits import MAX_WIDTH as MAX_WIDTH

# Budgets of one render (the size limits MAX_TEXT and MAX_WIDTH are in jinja_limits):
# generous for any real recipe, small enough that a hostile one fails fast and small.
MAX_STEPS = 100_000  # loop iterations plus range() items in one render
MAX_CALLS = 20_000  # function, method and macro calls in one render
MAX_POWER_BITS = 100_000  # size of an integer ``**`` may produce
# Characters of text one render emits in all, macro, call and {% set %} block bodies included:
# 4 times the largest recipe file smithy reads by default. Each piece is below MAX_TEXT, but
# a loop of MAX_STEPS pieces would be 10**11 characters.
MAX_EMITTED = 16_000_000
# Jinja tags ({{ }}, {% %}) in one template: real recipes have a few hundred. Compiling costs
# time and memory per tag (175,000 `{% set %}` lines took a minute and 2 GB), so count first.
MAX_TAGS = 20_000
_TAG_OPENING = re.compile(r"\{[{%]")

# Literal template text gets "\ue002<line>\ue003" after each newline, so every rendered line
# can be traced to its source line even after loops and whitespace control.
LINE_MARK, LINE_MARK_END = "\ue002", "\ue003"
# The digits of a mark's line number. A recipe can write the mark characters itself: a bound
# keeps a forged mark's number an int (int() refuses more than 4,300 digits).
LINE_MARK_DIGITS = "[0-9]{1,9}"
# Text these blocks produce can be compared or measured by the template: leave it unmarked.
_UNMARKED_BLOCKS = (nodes.Macro, nodes.CallBlock, nodes.AssignBlock, nodes.FilterBlock)


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
    marks = ("jinja_pass_arg", "unsafe_callable", "alters_data")  # what jinja's checks read
    if not isinstance(function, FunctionType) or any(hasattr(function, m) for m in marks):
        raise TypeError(f"not a plain function: {function!r}")
    if function.__name__ in CHECKED_BY_NAME:
        raise TypeError(f"{function.__name__} is checked by name; it cannot be trusted")
    _TRUSTED_CODE.add(function.__code__)
    return function


# jinja's Context.call turns a StopIteration a callable raised into this undefined value.
_STOP_ITERATION = "value was undefined because a callable raised a StopIteration exception"


def tag_limit_line(text: str) -> int:
    """The 1-based line of the tag past ``MAX_TAGS`` (0 when ``text`` is within the budget)."""
    for count, found in enumerate(_TAG_OPENING.finditer(text), start=1):
        if count > MAX_TAGS:
            return text.count("\n", 0, found.start()) + 1
    return 0


class Budget:
    """Counters for one render; shared by the sandbox hooks through a context variable."""

    __slots__ = ("calls", "emitted", "processed", "steps")

    def __init__(self) -> None:
        self.steps = 0
        self.calls = 0
        self.emitted = 0
        self.processed = 0

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

    def emit(self, length: int) -> None:
        """Count ``length`` characters of rendered text; fail past the budget."""
        self.emitted += length
        if self.emitted > MAX_EMITTED:
            raise LimitExceeded(f"more than {MAX_EMITTED} characters of text rendered")

    def process(self, weight: int) -> None:
        """Count text handed to a filter or string method; fail past the budget."""
        self.processed += weight
        if self.processed > MAX_PROCESSED:
            raise LimitExceeded(
                f"more than {MAX_PROCESSED} characters handed to filters and string methods"
            )


CURRENT_BUDGET: ContextVar[Budget] = ContextVar("smithy_jinja_budget")


def _budget() -> Budget:
    try:
        return CURRENT_BUDGET.get()
    except LookupError:  # rendering outside smithy's render(): still bounded
        budget = Budget()
        CURRENT_BUDGET.set(budget)
        return budget


def _count_processed(weight: int) -> None:
    _budget().process(weight)


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
    """Routes ``a ~ b``, list, tuple and dict literals and all output through the checks.

    A literal of references to one big string is small in memory but huge once printed or
    joined: ``[s, s, s]`` is weighed like the ``*`` and ``+`` that could build it. Every
    piece of output, literal text included, counts against the render's text budget.
    """

    # Text a macro, call, filter or {% set %} block collects is counted as it is collected;
    # what the template yields at its top level is counted where render() collects it.
    _buffered = False

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        self._buffered = frame.buffer is not None
        super().visit_Output(node, frame)

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        text = super()._output_const_repr(group)
        return f"environment.emitted({text})" if self._buffered else text

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if self._buffered:
            self.write("environment.emitted(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        if self._buffered:
            self.write(")")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._checked(super().visit_List, node, frame)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx == "load":  # not the names of `{% for a, b in ... %}`
            self._checked(super().visit_Tuple, node, frame)
        else:
            super().visit_Tuple(node, frame)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._checked(super().visit_Dict, node, frame)

    def _checked(self, visit: Callable[[Any, Frame], None], node: nodes.Expr, frame: Frame) -> None:
        self.write("environment.checked_literal(")
        visit(node, frame)
        self.write(")")


# The undefined class of a lenient render (None: the environment's own, strict): conda-build
# first renders each variant with every undefined name and item lenient and reads build.skip
# from that text, so a variant it skips is never rendered strictly (see meta_yaml).
LENIENT_UNDEFINED: ContextVar[type[Undefined] | None] = ContextVar(
    "smithy_lenient_undefined", default=None
)


class RecipeSandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment that also bounds time and memory of a render."""

    code_generator_class = _BudgetCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    _strict_undefined: type[Undefined] = Undefined

    # jinja reads ``environment.undefined`` at each render (and in getattr/getitem), so a
    # property lets one render be lenient without a second compiled template.
    @property
    def undefined(self) -> type[Undefined]:
        """The class of undefined values: the lenient one during a lenient render."""
        return LENIENT_UNDEFINED.get() or self._strict_undefined

    @undefined.setter
    def undefined(self, value: type[Undefined]) -> None:
        self._strict_undefined = value

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        """An unsafe attribute fails on use, in a lenient render too (never an empty value)."""
        return self._strict_undefined(
            f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _budgeted_range
        self.globals["namespace"] = WeighedNamespace
        # lipsum is random text: renders must be deterministic.
        self.globals.pop("lipsum", None)
        self.filters.pop("random", None)
        self.filters = {
            name: guard_filter(name, f, self.loop_items, _count_processed)
            for name, f in self.filters.items()
        }

    @staticmethod
    def emitted(text: str) -> str:
        """``text``, one piece of the template's output, counted against the text budget."""
        (CURRENT_BUDGET.get(None) or _budget()).emit(len(text))  # one call per piece: short
        return text

    def checked_concat(self, parts: Iterable[Any]) -> str:
        """Join the parts of a ``~`` expression, refusing oversized results."""
        joined = "".join(map(str, parts))
        check_length(len(joined))
        return joined

    @staticmethod
    def checked_literal(value: Any) -> Any:
        """A list, tuple or dict literal's value, refused when its text would be huge."""
        check_length(text_weight(value))
        return value

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
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                    check_length(text_weight(seq) * max(count, 0))
        elif operator == "**":
            ints = isinstance(left, int) and isinstance(right, int) and abs(left) > 1
            if ints and right * abs(left).bit_length() > MAX_POWER_BITS:
                raise LimitExceeded("integer power too large")
        elif operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                check_length(text_weight(left) + text_weight(right))
        elif operator == "%" and isinstance(left, str):
            check_spec_widths(BIG_PERCENT_SPEC, left)
            check_format(left, "%", right if isinstance(right, tuple) else [right])
        return check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call ``__obj`` from the template after the sandbox and budget checks."""
        budget = _budget()
        budget.call()
        if type(__obj) is FunctionType and __obj.__code__ in _TRUSTED_CODE:
            # What jinja's Context.call does for a function without a pass_* mark.
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return check_top_length(__obj(*args, **kwargs))
            except StopIteration:
                return __context.environment.undefined(_STOP_ITERATION)
        if isinstance(__obj, LoopContext) and args:  # loop(items) of a recursive loop
            args = (__self.loop_items(args[0]), *args[1:])
        name = getattr(__obj, "__name__", "")
        if isinstance(name, str) and name:
            check_wide_args(name, [*args, *kwargs.values()])
            target = getattr(__obj, "__self__", None)
            if isinstance(target, str):
                budget.process(processed_weight(target))
            args = checked_args(name, target, args)
        return check_size(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Sandbox ``str.format``, refusing huge field widths first and huge results unbuilt."""
        wrapped = super().wrap_str_format(value)
        target = getattr(value, "__self__", None)
        if wrapped is None or not isinstance(target, str):
            return wrapped
        check_spec_widths(BIG_FORMAT_SPEC, target)
        formatter = wrapped

        def weighed(*args: Any, **kwargs: Any) -> str:
            check_format(target, "{", [*args, *kwargs.values()])
            return formatter(*args, **kwargs)

        return functools.update_wrapper(weighed, wrapped)
