"""Which variant keys a meta.yaml output uses, by conda-build's text rules.

conda-build decides what splits the build matrix by scanning the recipe *text*, not the
rendered recipe: a key counts when a line mentions it in ``{{ key }}``, in a ``pin_*('key')``
call, as a bare requirement ``- key``, in ``{% if/for/set %}`` or in a ``# [selector]``;
``compiler('c')``/``stdlib('c')`` count for ``c_compiler``/``c_stdlib`` and their ``_version``.
Outputs are scanned one block at a time, so a skipped output's keys do not count. conda-smithy's
matrix depends on exactly these rules, so smithy follows them (its renderer knows more, but
the job files must match).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from smithy.recipe.recipe_cuts import RecipeText, requirement_text
from smithy.records import record

_WORD = re.compile(r"[0-9A-Za-z_]+")
_LANGUAGE_KEY = re.compile(r"(.*?)_(compiler|stdlib)(_version)?$")
# Some keys are also used when their sysroot companion exists (conda-build's special case).
_SYSROOT_USERS = frozenset({"c_stdlib", "c_compiler", "cxx_compiler"})


# A key's rules in three groups, each with what a line needs for any rule of the group to hold.
# A line is searched only with the groups it can match, so a key named on a `- key` line
# compiles one short pattern, not all five rules (a new process compiles ~35 of them).
_EXPRESSION, _REQUIREMENT, _STATEMENT = 0, 1, 2


def _groups_for(line: str) -> tuple[int, ...]:
    """The rule groups that can hold on ``line`` (each needs text every one of its rules has)."""
    groups: list[int] = []
    if "{" in line and ("}}" in line or "(" in line):  # `{{ key }}`, `{ compiler('c') }`
        groups.append(_EXPRESSION)
    if "-" in line:  # `  - key`
        groups.append(_REQUIREMENT)
    if "{%" in line:  # `{% if/for/set ... %}`
        groups.append(_STATEMENT)
    return tuple(groups)


@lru_cache(maxsize=4096)
def _key_pattern(key: str, selectors_only: bool, group: int = _EXPRESSION) -> re.Pattern[str]:
    escaped = re.escape(key)
    if selectors_only:
        return re.compile(rf"^[^#\[]*?\#?\s\[[^\]]*?(?<![_\w\d]){escaped}[=\s<>!\]]")
    if group == _REQUIREMENT:
        as_requirement = "[-_]".join(map(re.escape, key.split("_")))
        return re.compile(rf"^\s+\-\s+{as_requirement}\s*(?:\s[\[#]|$)")
    if group == _STATEMENT:
        return re.compile(
            "|".join(
                [
                    r"(?:^|[^\{])\{%\s*(?:el)?if\s*.*" + escaped + r"\s*(?:[^%]*?)?%\}",
                    r"(?:^|[^\{])\{%\s*for\s*.*\s*in\s*"
                    + escaped
                    + r"(?![a-zA-Z_0-9])(?:[^%]*?)?%\}",
                    r"(?:^|[^\{])\{%\s*set\s*.*\s*=\s*.*(?<![a-zA-Z_0-9])"
                    + escaped
                    + r"(?![a-zA-Z_0-9])(?:[^%]*?)?%\}",
                ]
            )
        )
    parts: list[str] = []
    language = _LANGUAGE_KEY.match(key)
    if language:
        kind, lang = language.group(2), re.escape(language.group(1))
        parts.append(rf"\{{\s*{kind}\(['\"]{lang}[\"'][^\{{]*?\}}")
    elif key.startswith("cdt_"):
        parts.append(r"\{\s*cdt\(")
    parts.append(rf"\{{\s*(?:pin_[a-z]+\(\s*?['\"])?{escaped}(?:[^_0-9a-zA-Z].*?)?\}}\}}")
    return re.compile("|".join(parts))


def _line_test(key: str, selectors_only: bool) -> tuple[str | None, str | None]:
    """(call that also makes a line relevant, conda-build's extra per-line word) for ``key``.

    Every rule needs the key on the line (``-`` read as ``_``), except ``compiler('c')`` /
    ``stdlib('c')`` and ``cdt(...)`` calls, which name the key only through their arguments.
    conda-build also requires the language (or ``cdt(``) on such a line; both tests are kept
    so the result is exactly conda-build's.
    """
    if selectors_only:
        return None, None
    language = _LANGUAGE_KEY.match(key)
    if language:
        return f"{language.group(2)}(", language.group(1)
    if key.startswith("cdt_"):
        return "cdt(", "cdt("
    return None, None


@record
class _KeyTests:
    """A key set sorted by how a line can name each key.

    Attributes:
        words: keys only their own name can match, made of ASCII word characters.
        others: keys only their own name can match, with other characters.
        special: (key, call, word) of the keys a call names (see ``_line_test``).
    """

    words: frozenset[str]
    others: tuple[str, ...]
    special: tuple[tuple[str, str, str], ...]


@lru_cache(maxsize=256)
def _key_tests(keys: frozenset[str], selectors_only: bool) -> _KeyTests:
    words: set[str] = set()
    others: list[str] = []
    special: list[tuple[str, str, str]] = []
    for key in sorted(keys):
        call, word = _line_test(key, selectors_only)
        if call is not None and word is not None:
            special.append((key, call, word))
        elif _WORD.fullmatch(key):
            words.add(key)
        else:
            others.append(key)
    return _KeyTests(frozenset(words), tuple(others), tuple(special))


@lru_cache(maxsize=2048)
def keys_in_text(text: str, keys: frozenset[str], selectors_only: bool = False) -> frozenset[str]:
    """Return the keys of ``keys`` that ``text`` uses by conda-build's line rules.

    Every rule looks at one line at a time, so the answer is the union of each line's, and
    each distinct line is scanned once per key set (variants share nearly all their lines).
    """
    keys = shared_key_set(keys)
    answers = _line_answers(keys, selectors_only)
    used: set[str] = set()
    for line in text.split("\n"):
        found = answers.get(line)
        if found is None:
            found = answers[line] = _keys_on_line(line, keys, selectors_only)
        if found:
            used |= found
    if used & _SYSROOT_USERS and "CONDA_BUILD_SYSROOT" in keys:
        used.add("CONDA_BUILD_SYSROOT")
    return frozenset(used)


# Per (key set, selectors only): each line's keys of that set. Keyed by the shared key-set
# object (see shared_key_set), so finding a text's lines costs one dict lookup per line.
_answers: dict[tuple[frozenset[str], bool], dict[str, frozenset[str]]] = {}
# Per line and kind of scan: the first key set the line was scanned for and the keys of it the
# line uses. Whether a line uses a key depends on the line and the key alone, and platforms bring
# key sets that differ in a few keys only: another set's answer is the first answer's keys it
# has, plus a scan of the keys the first set lacked.
_first_scans: dict[tuple[str, bool], tuple[frozenset[str], frozenset[str]]] = {}
# Per (key set, first key set): the keys of the one the other lacks (a few; one per pair).
_differences: dict[tuple[frozenset[str], frozenset[str]], frozenset[str]] = {}
_LINE_CACHE_SIZE = 200_000
_KEY_SET_CACHE_SIZE = 256


def _line_answers(keys: frozenset[str], selectors_only: bool) -> dict[str, frozenset[str]]:
    answers = _answers.get((keys, selectors_only))
    if answers is None or len(answers) >= _LINE_CACHE_SIZE:
        if len(_answers) >= _KEY_SET_CACHE_SIZE:
            _answers.clear()
        answers = _answers[(keys, selectors_only)] = {}
    return answers


def clear_caches() -> None:
    """Forget every remembered scan (tests compare a fresh scan with a remembered one)."""
    keys_in_text.cache_clear()
    _answers.clear()
    _first_scans.clear()
    _differences.clear()
    _matched.clear()
    _key_sets.clear()
    _text_uses.cache_clear()
    output_text_uses.cache_clear()
    _bare_names.cache_clear()


def _keys_on_line(line: str, keys: frozenset[str], selectors_only: bool) -> frozenset[str]:
    if not _may_use_keys(line, selectors_only):
        return _NONE
    first = _first_scans.get((line, selectors_only))
    if first is None:
        found = _scan(line, keys, selectors_only)
        if len(_first_scans) >= _LINE_CACHE_SIZE:
            _first_scans.clear()
        _first_scans[(line, selectors_only)] = (keys, found)
        return found
    scanned, found = first
    extra = _difference(keys, scanned)
    hits = found & keys
    return hits | _scan(line, extra, selectors_only) if extra else hits


def _difference(keys: frozenset[str], scanned: frozenset[str]) -> frozenset[str]:
    extra = _differences.get((keys, scanned))
    if extra is None:
        if len(_differences) >= _KEY_SET_CACHE_SIZE:
            _differences.clear()
        extra = _differences[(keys, scanned)] = keys - scanned
    return extra


_NONE: frozenset[str] = frozenset()


def _may_use_keys(line: str, selectors_only: bool) -> bool:
    """Whether any key's rule can hold on ``line``.

    A selector rule needs a ``[``; every other rule a ``{`` (jinja) or a ``-`` (a bare
    requirement): most recipe lines have neither.
    """
    if selectors_only:
        return "[" in line
    return "{" in line or "-" in line


def _scan(line: str, keys: frozenset[str], selectors_only: bool) -> frozenset[str]:
    """The keys of ``keys`` that ``line`` uses (each rule needs the key or its call named)."""
    flat = line.replace("-", "_")
    tests = _key_tests(keys, selectors_only)
    if not selectors_only and "{%" in line:
        # {% if/for %} rules accept the key inside a longer name: any substring counts.
        candidates: set[str] = {key for key in tests.words if key in flat}
    else:
        # Elsewhere every rule has the key as a whole ASCII word: after `{`, a space or a
        # quote and before a non-word character (`{{ key }}`, `- key`, `[key == 1]`), of the
        # line itself or of the line with `-` read as `_` (`- zlib-ng` for zlib_ng).
        candidates = set(tests.words & {*_WORD.findall(line), *_WORD.findall(flat)})
    candidates.update(key for key in tests.others if key in flat)
    used = {key for key in candidates if _matches(line, key, selectors_only)}
    for key, call, word in tests.special:  # compiler('c'), cdt(...) name the key by their call
        named = key in flat
        hit = (named and (key in line or word in line)) or (call in line and word in line)
        if hit and _matches(line, key, selectors_only):
            used.add(key)
    return frozenset(used)


# Key: the line, the key and the kind of scan: all a rule's pattern reads. Each key set (one
# per platform or so) tries a line's words again; the pattern is searched once.
_matched: dict[tuple[str, str, bool], bool] = {}


def _matches(line: str, key: str, selectors_only: bool) -> bool:
    found = _matched.get((line, key, selectors_only))
    if found is None:
        if len(_matched) >= _LINE_CACHE_SIZE:
            _matched.clear()
        if selectors_only:
            found = bool(_key_pattern(key, True).search(line))
        else:  # conda-build searches the rules' alternation: any group's match is a match
            found = any(_key_pattern(key, False, group).search(line) for group in _groups_for(line))
        _matched[(line, key, selectors_only)] = found
    return found


@record
class OutputRequirements:
    """An output's rendered requirement specs, as the build-only trimming reads them."""

    build: tuple[str, ...]
    host: tuple[str, ...]
    run: tuple[str, ...]


@record
class TextUses:
    """What conda-build's scan finds in one recipe text, before the requirements trim.

    Attributes:
        used: the keys the text uses (its selectors' keys included).
        in_requirements: the keys its ``requirements:`` part uses.
    """

    used: frozenset[str]
    in_requirements: frozenset[str]

    def trimmed(
        self, requirements: OutputRequirements, ignore_build_only: Iterable[str]
    ) -> frozenset[str]:
        """The keys used, less those only a rendered requirement list makes irrelevant.

        A key used only inside the requirements does not count when it is only a run
        requirement, nor when it is a build-only requirement named in
        ``ignore_build_only_deps`` (python, numpy): neither changes the package built.
        """
        if not self.in_requirements:
            return self.used
        build, host = _bare_names(requirements.build), _bare_names(requirements.host)
        run = _bare_names(requirements.run)  # `mkl >=2025` is a run requirement on mkl too
        ignored = frozenset(ignore_build_only)
        dropped = {
            key
            for key in self.in_requirements
            if (key in run and key not in build and key not in host)
            or (key in build and key not in host and key in ignored)
        }
        return self.used - dropped if dropped else self.used


def used_in_block(
    selected: str,
    unselected: str,
    keys: frozenset[str],
    requirements: OutputRequirements,
    ignore_build_only: Iterable[str],
) -> frozenset[str]:
    """Keys a recipe block uses: conda-build's scan of one text, requirements trimmed.

    Args:
        selected: the block with line selectors applied.
        unselected: the same block before selectors (for keys named in selectors).
        keys: the variant's keys.
        requirements: the rendered output's requirements.
        ignore_build_only: conda-build's ``ignore_build_only_deps``.
    """
    uses = _text_uses(selected, unselected, shared_key_set(keys))
    return uses.trimmed(requirements, ignore_build_only)


# Key: the cut selected and unselected recipe texts (split_recipe_text returns one object per
# text, so a lookup compares by identity), the output index and the shared key set: all the
# scan reads. Every variant of a platform asks about the same few texts.
@lru_cache(maxsize=4096)
def output_text_uses(
    selected: RecipeText, unselected: RecipeText, index: int, keys: frozenset[str]
) -> tuple[TextUses, TextUses]:
    """(uses of the top level with output ``index``'s block, uses of that block alone)."""
    block, raw_block = selected.output(index), unselected.output(index)
    alone = _text_uses(block, raw_block, keys)
    if not (_whole_lines(selected.top) and _whole_lines(unselected.top)):
        return _text_uses(selected.top + block, unselected.top + raw_block, keys), alone
    # Every rule reads one line, so a text of whole lines followed by a block uses what each
    # uses: the top level is scanned once per text, not once per output. The requirements
    # part is cut from the joined text (it may start in the top level and run into the block).
    top = _text_uses(selected.top, unselected.top, keys)
    in_requirements = keys_in_text(requirement_text(selected.top + block), keys)
    return TextUses(top.used | alone.used, in_requirements), alone


def _whole_lines(text: str) -> bool:
    """Whether ``text`` joined to another starts no line in the middle (so lines stay whole)."""
    return not text or text.endswith("\n")


_key_sets: dict[frozenset[str], frozenset[str]] = {}


def shared_key_set(keys: frozenset[str]) -> frozenset[str]:
    """One object per distinct key set.

    Each variant brings an equal but new set; the scan's caches are keyed by the set, and a
    lookup compares 400 keys element by element unless the sets are the same object (callers
    that scan many blocks with one set pass it through here once).
    """
    shared = _key_sets.get(keys)
    if shared is None:
        if len(_key_sets) >= _KEY_SET_CACHE_SIZE:
            _key_sets.clear()
        shared = _key_sets[keys] = keys
    return shared


# Key: the two texts and the (shared) key set, all the scan reads.
@lru_cache(maxsize=4096)
def _text_uses(selected: str, unselected: str, keys: frozenset[str]) -> TextUses:
    in_selectors = keys_in_text(unselected, keys, True)
    in_text = keys_in_text(selected, keys)
    in_requirements = keys_in_text(requirement_text(selected), keys)
    return TextUses(in_text | in_selectors, in_requirements)


@lru_cache(maxsize=4096)
def _bare_names(specs: tuple[str, ...]) -> frozenset[str]:
    return frozenset(spec.split()[0].replace("-", "_") for spec in specs if spec.strip())
