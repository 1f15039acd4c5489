#!/usr/bin/env python3
"""Times tcrdist-rs on the chance model's pairs: every reference CDR3β against every background
CDR3β, CDR3β TCRdist up to RADIUS (tcrdist3's trims, as tilmatch's), the pairs within it returned.

Usage: anchor_chance.py DUMP RADIUS   (run by scripts/bench-chance inside its venv)

DUMP and DUMP.background hold one CDR3β per line (tilmatch_bench_chance ... DUMP). Prints one JSON
object: {"anchor", "references", "background", "pairs", "seconds", "hits"}, or {"anchor", "skipped"}.
Threads: RAYON_NUM_THREADS (parallel=True). One call, no warm-up (nothing compiles on the first).
"""

import importlib.metadata
import json
import sys
import time


def main():
    dump, radius = sys.argv[1], int(sys.argv[2])
    try:
        import tcrdist_rs
    except ImportError as e:
        print(json.dumps(dict(anchor="tcrdist-rs", skipped=f"not installed ({e})")))
        return
    refs = open(dump).read().split()
    background = open(dump + ".background").read().split()
    t0 = time.perf_counter()
    hits = tcrdist_rs.tcrdist_neighbor_many_to_many(refs, background, radius, parallel=True)
    seconds = time.perf_counter() - t0
    print(json.dumps(dict(anchor="tcrdist-rs " + importlib.metadata.version("tcrdist-rs"), references=len(refs),
                          background=len(background), pairs=len(refs) * len(background), seconds=seconds,
                          hits=len(hits))))


if __name__ == "__main__":
    main()
