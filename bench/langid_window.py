"""Check that py3langid's byte automaton forgets where it started after transforms.lang.WINDOW bytes.

    python bench/langid_window.py       # about 40 seconds

transforms/lang.py finds the automaton's state after each byte by walking only the WINDOW bytes
up to it from the start state. That is exact when every state, fed the same WINDOW bytes, ends
in the same state. This script shows it for the installed model: it follows the set of all
states through every byte string, one byte at a time (sets that have become one state are
dropped), and prints how many sets of two or more states are left after each byte. WINDOW is
right when none are left after WINDOW bytes and some still are one byte earlier. It also prints
the automaton's depth (the most bytes the start state needs to reach a state), which the tests
check against WINDOW.
"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from transforms import lang  # noqa: E402


def images(model, states: np.ndarray) -> list[frozenset]:
    """For each byte, the set of states `states` go to, where it holds two or more."""
    after = model.successors(states)
    out = []
    for byte in range(256):
        found = np.unique(after[:, byte])
        if len(found) > 1:
            out.append(frozenset(found.tolist()))
    return out


def main() -> int:
    model = lang._model()
    started = time.monotonic()
    sets = {frozenset(range(len(model.row_base)))}
    left_after = []
    while sets:
        sets = {image for s in sets for image in images(model, np.fromiter(s, dtype=np.intp))}
        left_after.append(len(sets))
        print(f"after {len(left_after)} bytes: {len(sets):,} sets of states not yet one ({time.monotonic() - started:.0f} s)",
              flush=True)
    depth = lang.automaton_depth(model)
    print(f"every start state ends in the same state after {len(left_after)} bytes; the automaton's depth is {depth}; "
          f"transforms.lang.WINDOW = {lang.WINDOW}")
    return 0 if len(left_after) == lang.WINDOW == depth else 1


if __name__ == "__main__":
    sys.exit(main())
