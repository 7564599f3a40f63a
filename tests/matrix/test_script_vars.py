"""The keys a build script reads: the word shortcut gives the shell rule's own answer."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from smithy.matrix import script_vars

KEYS = ["c", "py", "thon", "python", "cuda_version", "foo-bar", "café", "x.y", "PKG_NAME"]
SEPARATORS = ["$", "${", "$$", "{", "}", " ", "\t", "\xa0", "\n", "\r", "|", "#", "%"]
FRAGMENTS = st.sampled_from([*KEYS, *SEPARATORS, "echo ", "x", "_", "-", ".", "é", "3"])


@settings(max_examples=1000, deadline=None)
@example("${ \n python}x $py |", frozenset({"python", "py"}))  # whitespace across a line
@example("a $x\n$py\n b $thon ", frozenset({"py", "thon"}))  # only a line's first "$" counts
@example("${{python}} $python", frozenset({"python"}))
@example("$python|x\n${py}\n$c$", frozenset({"python", "py", "c"}))  # "|", "}"; not "$"
@example("echo ${python}\n", frozenset({"python", "py"}))
@example("echo $foo-bar |", frozenset({"foo-bar", "foo"}))
@example("$x.y }", frozenset({"x.y", "x"}))
@example("set X=%x.y%", frozenset({"x.y", "x"}))
@example("%py%thon%", frozenset({"py", "thon", "python"}))
@given(st.lists(FRAGMENTS, max_size=12).map("".join), st.frozensets(st.sampled_from(KEYS)))
def test_keys_in_a_script_are_those_the_shell_rule_finds(text: str, keys: frozenset[str]) -> None:
    expected = frozenset(key for key in keys if script_vars._shell_uses(text, key))
    assert script_vars._keys_in_script.__wrapped__(text, keys, False) == expected
    in_batch = frozenset(key for key in keys if f"%{key}%" in text)
    assert script_vars._keys_in_script.__wrapped__(text, keys, True) == in_batch
