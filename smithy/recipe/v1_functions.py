"""rattler-build's recipe functions (compiler, pins, match, ...) and condition names."""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import jinja2
from rattler import Version, VersionSpec
from rattler.exceptions import InvalidVersionError, InvalidVersionSpecError

from smithy.errors import JinjaError, SelectorError, SmithyError, Span
from smithy.recipe.selectors import Selector
from smithy.recipe.undefined import UNDEFINED, Undefined
from smithy.recipe.v1_expressions import Scope, describe_error, evaluate_value
from smithy.recipe.v1_lookups import MISSING, Lookup, fingerprint

# Every subdir rattler knows; each defines its alias (`linux64`, `osxarm64`) and family name.
_SUBDIR_NAMES = (
    "linux-32 linux-64 linux-aarch64 linux-armv6l linux-armv7l linux-loongarch64"
    " linux-ppc64le linux-ppc64 linux-ppc linux-s390x linux-riscv32 linux-riscv64 freebsd-32"
    " freebsd-64 freebsd-arm64 freebsd-ppc64le freebsd-ppc64 osx-64 osx-arm64 ios-arm64"
    " iossimulator-arm64 iossimulator-64 android-aarch64 android-armv7a android-64"
    " android-32 win-32 win-64 win-arm64 emscripten-wasm32 emscripten-wasm64 wasi-wasm32"
    " zos-z"
)
_SUBDIRS = tuple(_SUBDIR_NAMES.split())
_ARCH_NAMES = (
    "x86 x86_64 aarch64 arm64 armv6l armv7l armv7a loongarch64 ppc64le ppc64 ppc s390x"
    " riscv32 riscv64 wasm32 wasm64 z"
)
_ARCHES = tuple(_ARCH_NAMES.split())
_SHLIB_EXT = {"osx": ".dylib", "ios": ".dylib", "iossimulator": ".dylib", "win": ".dll"}
_SHLIB_EXT.update(linux=".so", android=".so")

# rattler-build's default compilers when the variant names none (other languages: their name).
_COMPILERS = {"win": ("vs2022", "vs2022", "flang"), "osx": ("clang", "clangxx", "gfortran")}
_COMPILERS.update(ios=_COMPILERS["osx"], android=_COMPILERS["osx"])
_UNIX = ("linux", "osx", "ios", "iossimulator", "android", "freebsd", "emscripten")


@functools.lru_cache(maxsize=1024)
def _version_spec(spec: str) -> VersionSpec:
    return VersionSpec(spec, strict=True)


def match(value: Any, spec: Any) -> bool:
    """rattler-build's ``match(python, ">=3.10")``; an undefined value matches anything."""
    if value is None or value is False or isinstance(value, (jinja2.Undefined, Undefined)):
        return True
    version = str(value).split(" ", 1)[0].removesuffix(".*").removesuffix("*")
    try:
        return _version_spec(str(spec)).matches(Version(version))
    except (InvalidVersionError, InvalidVersionSpecError) as exc:
        raise JinjaError(f"match({value!r}, {spec!r}): {describe_error(exc)}") from None


def platform_family(platform: str) -> str:
    """Return rattler-build's family name of a subdir: ``linux``, ``osx``, ``win``, ..."""
    return platform.split("-", 1)[0]


def recipe_functions(scope: Scope) -> dict[str, Callable[..., Any]]:
    """Return the functions recipe jinja and ``if:`` conditions may call, bound to ``scope``."""
    target = scope.target_platform

    def family_check(families: tuple[str, ...]) -> Callable[..., bool]:
        return lambda platform=target: platform_family(str(platform)) in families

    return {
        "compiler": lambda lang: _toolchain(scope, str(lang), "compiler"),
        "stdlib": lambda lang: _toolchain(scope, str(lang), "stdlib"),
        "pin_subpackage": lambda name, **kw: pin_spec(str(name), _pin(scope, str(name)), kw),
        "pin_compatible": lambda name, **kw: pin_spec(str(name), None, kw),
        "cdt": lambda name: _cdt(scope, str(name)),
        "load_from_file": lambda path: _load_from_file(str(path)),
        "match": match,
        "is_linux": family_check(("linux",)),
        "is_osx": family_check(("osx",)),
        "is_windows": family_check(("win",)),
        "is_unix": family_check(_UNIX),
        "is_ios": family_check(("ios", "iossimulator")),
        "is_android": family_check(("android",)),
    }


def _toolchain(scope: Scope, lang: str, kind: str) -> Any:
    key, version_key = f"{lang}_{kind}", f"{lang}_{kind}_version"
    scope.note((key, version_key, "CONDA_BUILD_SYSROOT"))
    name = scope.read_variant(key)
    if name is None and kind == "compiler":
        defaults = _COMPILERS.get(
            platform_family(scope.target_platform), ("gcc", "gxx", "gfortran")
        )
        if scope.target_platform == "emscripten-wasm32":
            defaults = ("emscripten", "emscripten", "gfortran")
        name = dict(zip(("c", "cxx", "fortran"), defaults, strict=True)).get(lang, lang)
    if name is None:
        if key in scope.unset_names:
            return jinja2.ChainableUndefined(name=key)
        raise JinjaError(f"no {kind} for language '{lang}': the variant has no {key}")
    spec = f"{name}_{scope.target_platform}"
    version = scope.read_variant(version_key)
    if version:
        # rattler-build writes `=15`, which a match spec reads as `15.*`
        fuzzy = all(char.isalnum() or char == "." for char in version)
        spec += f" {version}.*" if fuzzy else f" {version}"
    return spec


def _pin(scope: Scope, name: str) -> str | None:
    scope.read((("pin", name),))
    return scope.pins.get(name)


def _cdt(scope: Scope, name: str) -> str:
    scope.note(("cdt_name", "cdt_arch"))
    arch = scope.target_platform.split("-", 1)[-1]
    arch = {"64": "x86_64", "32": "i686"}.get(arch, arch)
    cos = "cos7" if arch in ("aarch64", "ppc64le", "ppc64", "s390x") else "cos6"
    cdt_name, cdt_arch = scope.read_variant("cdt_name"), scope.read_variant("cdt_arch")
    cdt_name = cos if cdt_name is None else cdt_name
    cdt_arch = arch if cdt_arch is None else cdt_arch
    package, _, rest = name.partition(" ")
    return f"{package}-{cdt_name}-{cdt_arch} {rest}".strip()


def pin_spec(name: str, version: str | None, options: Mapping[str, Any]) -> str:
    """Render a ``pin_subpackage``/``pin_compatible`` as a match spec.

    With a known ``version`` the bounds are computed as rattler-build does (``lower_bound``
    default ``x.x.x.x.x.x``, ``upper_bound`` default ``x``, ``exact`` gives ``==version``);
    without one (``pin_compatible``, or a name that is no output) the spec is just the name.

    Raises:
        JinjaError: unknown or retired arguments (``min_pin``/``max_pin``), bad bounds.
    """
    for retired, new in (("min_pin", "lower_bound"), ("max_pin", "upper_bound")):
        if retired in options:
            raise JinjaError(f"'{retired}' is not supported anymore; use '{new}'")
    unknown = sorted(set(options) - {"lower_bound", "upper_bound", "exact", "build"})
    if unknown:
        raise JinjaError(f"unknown pin argument '{unknown[0]}'")
    build = options.get("build")
    if options.get("exact") and build:
        raise JinjaError("'exact' and 'build' cannot be given together")
    if version is None:
        return name
    if options.get("exact"):
        return f"{name} =={version}"
    lower = _bound(version, options.get("lower_bound", "x.x.x.x.x.x"), ">=")
    upper = _bound(version, options.get("upper_bound", "x"), "<")
    bounds = ",".join(part for part in (lower, upper) if part)
    return " ".join(part for part in (name, bounds or ("*" if build else ""), build) if part)


def _bound(version: str, bound: Any, op: str) -> str:
    if bound is None:
        return ""
    text = str(bound)
    if text.strip("x.") or not text:
        return f"{op}{text}"
    digits = text.count("x")
    if not digits:
        raise JinjaError(f"pin expression '{text}' needs at least one 'x'")
    parsed = Version(version)
    head = parsed.with_segments(0, min(digits, parsed.segment_count))
    if op == ">=":
        return f">={head}"
    return f"<{head.bump_segment(digits - 1).with_alpha().remove_local()}"


def _load_from_file(name: str) -> Any:
    # rattler-build allows it only with --experimental; a linter should not read files for it
    raise JinjaError(
        f"load_from_file('{name}') is experimental in rattler-build; smithy refuses it"
    )


def evaluate_condition(
    value: Any, scope: Scope, span: Span, *, missing: object = UNDEFINED
) -> bool:
    """Evaluate an ``if:`` or ``build.skip`` entry: a bool, or a condition expression.

    The selector evaluator decides first; what it refuses or cannot evaluate (jinja filters
    and tests such as ``cuda is defined``, valid in rattler-build's minijinja) goes to the
    sandboxed jinja. When jinja fails too, the selector's message is the clearer one.

    Args:
        value: the entry: a bool, or the condition text.
        scope: the variables and functions of this render.
        span: where the entry is, for errors.
        missing: what an unset name reads as; ``STRICT_UNDEFINED`` makes a test or comparison
            of it raise ``UndefinedUsed``.

    Raises:
        SelectorError: the condition is malformed, unknown or refused by both.
    """
    if not isinstance(value, str):
        return bool(value)
    reads = _Reads(scope.variables)
    try:
        selector = Selector.parse(value, span)
        result = selector.evaluate(
            reads,
            env=scope.env,
            span=span,
            missing=missing,
            functions=scope.functions,
            conversions=False,  # minijinja has no int()/float() functions: filters instead
            minijinja=True,
        )
    except SelectorError as refused:
        expression = value.strip()
        if not expression.startswith("${{"):
            expression = "${{ " + expression + " }}"
        try:
            return bool(evaluate_value(expression, scope, span))
        except JinjaError:
            raise refused from None
    except SmithyError as exc:
        raise SelectorError(exc.message, exc.span or span) from None
    finally:
        # rattler-build records the variables an expression reads as it runs, so a name behind
        # a short-circuit (`linux and x` off linux) is not a used key.
        scope.note(reads.names)
        scope.read(("var", name) for name in reads.names)
    return bool(result)


class _Reads(Mapping[str, Any]):
    """A read-only view of a namespace that records the names read through it, in order."""

    __slots__ = ("_inner", "names")

    def __init__(self, inner: Mapping[str, Any]) -> None:
        self._inner = inner
        self.names: dict[str, None] = {}

    def __getitem__(self, name: str) -> Any:
        self.names[name] = None
        return self._inner[name]

    def get(self, name: str, default: Any = None) -> Any:
        self.names[name] = None
        return self._inner.get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._inner

    def __iter__(self) -> Iterator[str]:
        return iter(self._inner)

    def __len__(self) -> int:
        return len(self._inner)


def platform_arch(platform: str) -> str | None:
    """Return rattler's architecture name of a subdir (``linux-64`` -> ``x86_64``)."""
    if "-" not in platform:
        return None
    suffix = platform.split("-", 1)[1]
    return {"64": "x86_64", "32": "x86"}.get(suffix, suffix)


@functools.lru_cache(maxsize=64)
def platform_names(target_platform: str, build_platform: str) -> Mapping[str, Any]:
    """The platform part of :func:`condition_names` (built once per platform pair)."""
    family = platform_family(target_platform)
    names: dict[str, Any] = dict.fromkeys(_ARCHES, False)
    arch = platform_arch(target_platform)
    if arch in names:
        names[arch] = True
    for subdir in _SUBDIRS:
        names[subdir.replace("-", "")] = subdir == target_platform
        names[platform_family(subdir)] = platform_family(subdir) == family
    names.update(
        ios=family in ("ios", "iossimulator"),
        unix=family in _UNIX,
        target_platform=target_platform,
        build_platform=build_platform,
        host_platform=target_platform,
        SHLIB_EXT=_SHLIB_EXT.get(family, ".not_implemented"),
    )
    return MappingProxyType(names)


def condition_names(
    target_platform: str, build_platform: str, variant: Mapping[str, str]
) -> dict[str, Any]:
    """Return the names rattler-build defines for ``if:``, ``skip`` and ``${{ }}``.

    Platform booleans follow the host (= target) platform as rattler-build does: families
    (``linux``, ``osx``, ``win``, ``unix``, ...), architectures (``x86_64``, ``arm64``; ``x86``
    is 32-bit only), aliases (``linux64``, ``osxarm64``), then ``target_platform``,
    ``build_platform``, ``host_platform``, ``SHLIB_EXT`` and the variant keys.
    """
    names = dict(platform_names(target_platform, build_platform))
    names.update(variant)
    # a variant holds every key of the pinning (~500): true/false values are few, if any
    if not _BOOLEANS.keys().isdisjoint(variant.values()):
        for key, value in variant.items():
            if value in _BOOLEANS:
                names[key] = _BOOLEANS[value]
    return names


def condition_names_like(
    first: Mapping[str, str], first_names: Mapping[str, Any], variant: Mapping[str, str]
) -> dict[str, Any]:
    """:func:`condition_names` of ``variant`` from those of ``first`` (``first_names``).

    ``first`` must be a variant of the same platforms with the same keys in the same order
    (what a session's ``KeySets`` is kept for): only the values that are not the very same
    objects are set again, and a matrix's variants share most of theirs (~500 keys).
    """
    names = dict(first_names)
    changed = map(operator.is_not, variant.values(), first.values())
    for key, value in itertools.compress(variant.items(), changed):
        names[key] = _BOOLEANS.get(value, value)
    return names


# Values stay strings (`polars_runtime == "32"`, `python == "3.12"`); only true/false (in any
# case) become booleans so that `if: is_abi3` reads a `false` variant as false.
_BOOLEANS = {
    "".join(letters): word == "true"
    for word in ("true", "false")
    for letters in itertools.product(*({char, char.upper()} for char in word))
}


def _variant_value(value: str) -> str | bool:
    return _BOOLEANS.get(value, value)


def initial_values(
    target_platform: str, build_platform: str, variant: Mapping[str, str]
) -> Callable[[Lookup], object]:
    """Each lookup's comparable value when a render starts: no context defined, nothing pinned.

    The same as ``Scope.current`` in a scope of :func:`condition_names` (see v1_memo), without
    building those names for a render that is then reused whole.
    """
    return functools.partial(_initial_value, target_platform, build_platform, variant)


def _initial_value(
    target_platform: str, build_platform: str, variant: Mapping[str, str], lookup: Lookup
) -> object:
    source, name = lookup
    if source == "var":
        if name in variant:
            return fingerprint(_variant_value(variant[name]))
        return fingerprint(platform_names(target_platform, build_platform).get(name, MISSING))
    if source == "variant":
        return fingerprint(variant.get(name, MISSING))
    return fingerprint(MISSING)  # an output's pin: none yet
