"""``python -m smithy``, and the ``smithy`` console script (``main``).

Loading the command line's modules (most of a small command's CPU) makes no garbage, yet with
the default first threshold (700 allocations) the cycle collector would walk the growing heap
many times while they load: 1.2% of a small rerender's instructions. It is quieted first;
``smithy.cli.run`` then sets the command's own threshold.
"""

from __future__ import annotations

import gc

_LOADING_THRESHOLD = 1_000_000


def main() -> None:
    """Run the command line on ``sys.argv``, as the ``smithy`` console script."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(_LOADING_THRESHOLD, older, oldest)
    from smithy.cli import run  # loaded after the collector is quieted (see above)

    run()


if __name__ == "__main__":
    main()
