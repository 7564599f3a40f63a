"""The names conda-build gives meta.yaml jinja: variant values, build variables and functions."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import MappingProxyType
from typing import Any

from smithy.errors import JinjaError
from smithy.platforms import DEFAULT_NUMPY, DEFAULT_PYTHON
from smithy.recipe.jinja import LenientUndefined
from smithy.recipe.jinja_clock import datetime_module
from smithy.recipe.jinja_pins import PinRecorder, pin_compatible_function, pin_function
from smithy.recipe.jinja_sandbox import trusted
from smithy.recipe.model import RenderContext
from smithy.recipe.regex_search import SEARCH_SECONDS, RegexTimeout, bounded_search
from smithy.records import record

MAX_FILE_BYTES = 2_000_000
MAX_DATA_NODES = 200_000
# conda-build defines these from the build environment; a render pass leaves them empty.
RUNTIME_NAMES = frozenset(
    {"PKG_NAME", "PKG_VERSION", "PKG_BUILDNUM", "PKG_BUILD_STRING", "PKG_HASH", "CPU_COUNT"}
    | {"GIT_DESCRIBE_TAG", "GIT_DESCRIBE_NUMBER", "GIT_DESCRIBE_HASH", "GIT_FULL_HASH"}
    | {"GIT_BUILD_STR", "HG_BRANCH", "HG_NUM_ID", "HG_SHORT_ID", "HG_LATEST_TAG"}
)
_NATIVE_COMPILERS = {
    "linux": {"c": "gcc", "cxx": "gxx", "fortran": "gfortran"},
    "osx": {"c": "clang", "cxx": "clangxx", "fortran": "gfortran"},
    "win": {"fortran": "gfortran"},
}
# conda-build picks the native Windows C/C++ compiler by the exact python variant value.
_WIN_COMPILER_BY_PYTHON = {"2.7": "vs2008", "3.3": "vs2010", "3.4": "vs2010", "3.5": "vs2017"}
_WIN_COMPILER_BY_PYTHON["3.6"] = "vs2022"
_CDT_ARCH = {"64": "x86_64", "32": "i686"}
_SHLIB_EXT = {"linux": ".so", "osx": ".dylib", "win": ".dll"}
_VERSION_NEEDING_STAR = re.compile(r"^[\w.\-]+$")


@record
class _OsSubset:
    """What ``os`` offers in conda-build jinja, reading the explicit environment."""

    environ: Mapping[str, str]
    sep: str
    pathsep: str

    def getenv(self, key: str, default: str | None = None) -> str | None:
        return self.environ.get(key, default)


def with_star(spec: str) -> str:
    """Add ``.*`` to a ``name version`` spec whose version is bare, as conda-build does."""
    name, _, version = spec.partition(" ")
    bare = version and " " not in version and "*" not in version
    return f"{name} {version}.*" if bare and _VERSION_NEEDING_STAR.match(version) else spec


def _os_name(platform: str) -> str:
    return platform.split("-", 1)[0]


def _target_component(language: object, kind: str, context: RenderContext) -> str:
    if not isinstance(language, str):
        raise JinjaError(f"{kind}() takes a language name such as 'c'")
    variant = context.variant
    if kind == "compiler":
        natives = _NATIVE_COMPILERS.get(_os_name(context.platform), {})
        prefix = natives.get(language, language)
        if _os_name(context.platform) == "win" and language in ("c", "cxx"):
            prefix = _WIN_COMPILER_BY_PYTHON.get(variant.get("python", ""), "vs2017")
    else:
        prefix = language
    prefix = variant.get(f"{language}_{kind}", prefix)
    target = variant.get("target_platform", context.platform)
    version = variant.get(f"{language}_{kind}_version")
    package = f"{prefix}_{target}"
    return with_star(f"{package} {version}") if version else package


def _cdt(package: object, context: RenderContext) -> str:
    if not isinstance(package, str) or not package.strip():
        raise JinjaError("cdt() takes a package name")
    arch = context.platform.rsplit("-", 1)[-1]
    cdt_name = context.variant.get("cdt_name", "conda")
    cdt_arch = context.variant.get("cdt_arch", _CDT_ARCH.get(arch, arch))
    name, _, rest = package.partition(" ")
    result = f"{name}-{cdt_name}-{cdt_arch}"
    return f"{result} {rest}" if rest else result


def _recipe_file(recipe_dir: Path, name: object) -> Path | None:
    """Return the file ``name`` inside the recipe folder, None when absent; refuse escapes."""
    if not isinstance(name, str) or not name or "\x00" in name:
        raise JinjaError("a file name must be a non-empty string")
    refused = f"refused to read {name!r}: only files inside the recipe folder can be read"
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or name.startswith("\\"):
        raise JinjaError(refused)
    if ".." in posix.parts or ".." in windows.parts:
        raise JinjaError(refused)
    root = recipe_dir.resolve()
    target = (root / name).resolve()  # follows symlinks, so a link out of the folder is seen
    if not target.is_relative_to(root):
        raise JinjaError(refused)
    if not target.is_file():
        return None
    if target.stat().st_size > MAX_FILE_BYTES:
        raise JinjaError(f"refused to read {name!r}: larger than {MAX_FILE_BYTES} bytes")
    return target


def _read_text(path: Path, name: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JinjaError(f"cannot read {name!r}: {exc}") from None


def _check_data_size(value: object) -> object:
    """``value`` unless it has more than ``MAX_DATA_NODES`` items or its strings are long.

    Shared items count each time they are reached, as printing them would: YAML aliases
    (``[*a, *a, ...]`` to a long string) would otherwise make a file of a few bytes per
    alias gigabytes of text. Without aliases the strings are never longer than the file.
    """
    stack, count, characters = [value], 0, 0
    while stack:
        item = stack.pop()
        count += 1
        if count > MAX_DATA_NODES:
            raise JinjaError(f"loaded data has more than {MAX_DATA_NODES} items")
        if isinstance(item, (str, bytes)):
            characters += len(item)
            if characters > MAX_FILE_BYTES:
                raise JinjaError(f"loaded data has more than {MAX_FILE_BYTES} characters")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return value


def parse_data(text: str, fmt: object) -> object:
    """Parse ``text`` as json, yaml/yml or toml, as conda-build's ``load_str_data`` does."""
    kind = str(fmt).lower()
    try:
        if kind == "json":
            return _check_data_size(json.loads(text))
        if kind == "toml":
            import tomllib  # rarely used, and its import compiles regexes: ~10 ms a process

            return _check_data_size(tomllib.loads(text))
        if kind in ("yaml", "yml"):
            from ruamel.yaml import YAML  # rarely used: a rerender should not pay its import

            return _check_data_size(YAML(typ="safe", pure=True).load(text))
    except JinjaError:
        raise
    except Exception as exc:  # every parser error of every format is bad input
        raise JinjaError(f"cannot parse {kind} data: {' '.join(str(exc).split())}") from None
    raise JinjaError(f"unknown data format {kind!r}; use json, yaml or toml")


def _file_functions(recipe_dir: Path) -> dict[str, Callable[..., Any]]:
    def load_file_regex(load_file: object, regex_pattern: object, *_: object, **__: object) -> Any:
        path = _recipe_file(recipe_dir, load_file)
        if not isinstance(regex_pattern, str):
            raise JinjaError("load_file_regex() needs a regex_pattern string")
        if path is None:  # a source-tree file smithy does not have: lenient, like a render pass
            return LenientUndefined(name="load_file_regex")
        try:
            return bounded_search(regex_pattern, _read_text(path, str(load_file)))
        except re.error as exc:
            raise JinjaError(f"bad regex_pattern in load_file_regex(): {exc}") from None
        except RegexTimeout:
            message = f"load_file_regex() pattern ran over {SEARCH_SECONDS:g} s; simplify it"
            raise JinjaError(message) from None

    def load_file_data(filename: object, fmt: object = None, *_: object, **__: object) -> Any:
        path = _recipe_file(recipe_dir, filename)
        if path is None:
            return {}
        kind = fmt or PurePosixPath(str(filename)).suffix.lstrip(".")
        return parse_data(_read_text(path, str(filename)), kind)

    def load_str_data(string: object, fmt: object, *_: object, **__: object) -> Any:
        return parse_data(str(string), fmt)

    def load_setup_py_data(*_: object, **__: object) -> dict[str, Any]:
        return {}  # never runs setup.py; lint reports recipes that rely on it

    def load_npm(*_: object, **__: object) -> dict[str, Any]:
        return {}

    return {
        "load_file_regex": trusted(load_file_regex),
        "load_file_data": trusted(load_file_data),
        "load_str_data": trusted(load_str_data),
        "load_setup_py_data": trusted(load_setup_py_data),
        "load_setuptools": load_setup_py_data,
        "load_npm": trusted(load_npm),
    }


def build_values(context: RenderContext) -> dict[str, Any]:
    """Return conda-build's build variables for a render pass (``PY_VER``, ``PYTHON``, ...)."""
    python = context.variant.get("python", DEFAULT_PYTHON).split(" ")[0]
    py_ver = ".".join(python.split(".")[:2])
    numpy = context.variant.get("numpy", DEFAULT_NUMPY).split(" ")[0]
    npy_ver = ".".join(numpy.split(".")[:2])
    values: dict[str, Any] = {
        "CONDA_BUILD": "1",
        "CONDA_BUILD_STATE": "RENDER",
        "PY_VER": py_ver,
        "CONDA_PY": py_ver.replace(".", ""),
        "PY3K": "1" if py_ver.startswith("3") else "0",
        "NPY_VER": npy_ver,
        "CONDA_NPY": npy_ver.replace(".", ""),
        "ARCH": context.platform.rsplit("-", 1)[-1],
        "SUBDIR": context.platform,
        "SHLIB_EXT": _SHLIB_EXT.get(_os_name(context.platform), ".so"),
        "target_platform": context.variant.get("target_platform", context.platform),
        "build_platform": context.build_platform,
    }
    # Paths of the build machine are unknown here; the build script sees the same variables.
    # "$NAME" on every platform: "%NAME%" cannot start a YAML plain scalar.
    paths = ["PREFIX", "BUILD_PREFIX", "SRC_DIR", "RECIPE_DIR", "PYTHON", "SP_DIR", "STDLIB_DIR"]
    if _os_name(context.platform) == "win":
        paths += ["LIBRARY_PREFIX", "LIBRARY_BIN", "LIBRARY_INC", "LIBRARY_LIB", "SCRIPTS"]
    for name in paths:
        values[name] = f"${name}"
    for key, name in (("r_base", "R_VER"), ("lua", "LUA_VER"), ("perl", "PERL_VER")):
        if key in context.variant:
            values[name] = context.variant[key]
    return values


# The variant keys conda-build keeps out of jinja's ``environ``: it sets their own variables.
_LANGUAGES = frozenset({"PERL", "LUA", "R", "NUMPY", "PYTHON"})


def variant_environ(variant: Mapping[str, str], values: Mapping[str, Any]) -> dict[str, str]:
    """The variant entries conda-build adds to jinja's ``environ`` (not to ``os.environ``).

    conda-build's ``environ`` is the process environment updated with its build variables
    and every variant key whose upper-case name is neither a build variable nor a language,
    so ``environ.get("cuda_compiler_version")`` reads the variant being rendered.
    """
    return {
        key: value
        for key, value in variant.items()
        if key.upper() not in values and key.upper() not in _LANGUAGES
    }


def recipe_variables(
    context: RenderContext,
    recipe_dir: Path,
    selector_names: Mapping[str, object],
    recorder: PinRecorder,
    template_names: frozenset[str],
    comment_names: frozenset[str] = frozenset(),
    set_elsewhere: frozenset[str] | Callable[[], frozenset[str]] = frozenset(),
    *,
    functions_context: RenderContext | None = None,
) -> dict[str, Any]:
    """Return every name a meta.yaml template may read for one platform and variant.

    Args:
        context: platform, variant, environment and the names known to any variant.
        recipe_dir: the only folder the ``load_file_*`` functions may read.
        selector_names: the selector namespace (``linux``, ``py``, ...).
        recorder: collects pin calls for resolution after the YAML is read.
        template_names: the names the template reads; known-but-unset ones render empty.
        comment_names: names read only on YAML comment lines; render empty when unset
            (conda-smithy renders them leniently and a comment cannot change the recipe).
        set_elsewhere: names a ``{% set %}`` assigns on lines this platform's selectors
            dropped; render empty when unset, as conda-build's lenient first pass does. A
            callable is called only when a name the template reads is otherwise unknown
            (working them out parses the whole recipe).
        functions_context: what ``compiler()``, ``stdlib()`` and ``cdt()`` read (``context``
            when None): the jinja memo passes one whose variant records the keys looked up.
    """
    values = build_values(context)
    process = MappingProxyType({**context.env, **values})
    environ = MappingProxyType({**process, **variant_environ(context.variant, values)})
    win = _os_name(context.platform) == "win"
    names: dict[str, Any] = dict(selector_names)
    names.update(context.variant)
    names.update(values)
    names.update(_file_functions(recipe_dir))
    calls = functions_context or context
    names.update(
        compiler=trusted(lambda language, *_, **__: _target_component(language, "compiler", calls)),
        stdlib=trusted(lambda language, *_, **__: _target_component(language, "stdlib", calls)),
        cdt=trusted(lambda package, *_, **__: _cdt(package, calls)),
        ccache=trusted(lambda *_, **__: "ccache"),
        pin_subpackage=pin_function("pin_subpackage", recorder),
        pin_compatible=pin_compatible_function(recorder),
        resolved_packages=trusted(lambda *_, **__: []),
        installed={},
        environ=environ,
        os=_OsSubset(process, "\\" if win else "/", ";" if win else ":"),
        datetime=datetime_module(context.env),
        nomkl=context.env.get("FEATURE_NOMKL", "0") not in ("", "0", "false", "False"),
    )
    for name in template_names:
        if name in names:
            continue
        lenient = (
            name in context.known_variables
            or name in RUNTIME_NAMES
            or name in comment_names
            or name in _names_set(set_elsewhere)
        )
        if lenient:
            names[name] = LenientUndefined(name=name)
    return names


def _names_set(set_elsewhere: frozenset[str] | Callable[[], frozenset[str]]) -> frozenset[str]:
    return set_elsewhere if isinstance(set_elsewhere, frozenset) else set_elsewhere()
