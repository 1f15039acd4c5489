#!/usr/bin/env python3
"""Times the published TCRdist implementations on the pairs tilmatch's bench_scoring times.

Usage: anchors.py SAMPLE_DIR THREADS...   (run by scripts/bench-scoring inside its venv)

SAMPLE_DIR holds <job>_queries.csv / <job>_references.csv (tilmatch_bench_scoring --dump-sample);
tcrdist3 uses the V-gene table it ships (alphabeta_gammadelta_db.tsv). Prints one JSON object per line:
{"anchor", "job", "threads", "pairs", "seconds", "hits"}, or {"anchor", "skipped": why}.
Each timing is the best of REPEATS calls after one warm-up call (numba compiles on the first).
pairs counts the pairs the anchor computes (tcrdist3 collapses identical rows into clones first).
"""

import csv
import importlib.metadata
import json
import os
import sys
import time

REPEATS = 3


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def best_time(fn):
    fn()
    best, result = None, None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def emit(**fields):
    print(json.dumps(fields), flush=True)


def tcrdist_rs_jobs(sample, threads_list):
    try:
        import tcrdist_rs
    except ImportError as e:
        emit(anchor="tcrdist-rs", skipped=f"not installed ({e})")
        return
    version = importlib.metadata.version("tcrdist-rs")
    for job in ("tcrdist_beta", "tcrdist_beta_v", "tcrdist_alpha_beta"):
        q, r = sample[job]
        radius = int(q[0]["radius"])
        if job == "tcrdist_beta":
            a = [t["cdr3_b_aa"] for t in q]
            b = [t["cdr3_b_aa"] for t in r]
            fn = tcrdist_rs.tcrdist_neighbor_many_to_many
        elif job == "tcrdist_beta_v":
            a = [(t["cdr3_b_aa"], t["v_b_gene"]) for t in q]
            b = [(t["cdr3_b_aa"], t["v_b_gene"]) for t in r]
            fn = tcrdist_rs.tcrdist_gene_neighbor_many_to_many
        else:
            a = [(t["cdr3_a_aa"], t["v_a_gene"], t["cdr3_b_aa"], t["v_b_gene"]) for t in q]
            b = [(t["cdr3_a_aa"], t["v_a_gene"], t["cdr3_b_aa"], t["v_b_gene"]) for t in r]
            fn = tcrdist_rs.tcrdist_paired_gene_neighbor_many_to_many
        for threads in threads_list:
            # rayon's pool reads RAYON_NUM_THREADS once per process: scripts/bench-scoring runs one
            # process per thread count; parallel=False is one thread.
            parallel = threads > 1
            seconds, hits = best_time(lambda: fn(a, b, radius, parallel=parallel))
            emit(anchor="tcrdist-rs " + version, job=job, threads=threads, pairs=len(a) * len(b), seconds=seconds,
                 hits=len(hits))


def tcrdist3_jobs(sample, threads_list):
    try:
        import pandas as pd
        from tcrdist.repertoire import TCRrep
    except ImportError as e:
        emit(anchor="tcrdist3", skipped=f"not installed ({e})")
        return
    version = importlib.metadata.version("tcrdist3")

    def allele(gene):
        return gene if "*" in gene else gene + "*01"

    for job, chains in (("tcrdist_beta_v", ["beta"]), ("tcrdist_alpha_beta", ["alpha", "beta"])):
        q, r = sample[job]
        radius = int(q[0]["radius"])
        frames = []
        for side in (q, r):
            df = pd.DataFrame({"cdr3_b_aa": [t["cdr3_b_aa"] for t in side],
                               "v_b_gene": [allele(t["v_b_gene"]) for t in side]})
            if "alpha" in chains:
                df["cdr3_a_aa"] = [t["cdr3_a_aa"] for t in side]
                df["v_a_gene"] = [allele(t["v_a_gene"]) for t in side]
            df["count"] = 1
            frames.append(df)
        reps = [TCRrep(cell_df=df, organism="human", chains=chains, db_file="alphabeta_gammadelta_db.tsv",
                       compute_distances=False) for df in frames]
        for threads in threads_list:
            # Only the distance computation is timed (the clone tables and CDR1/2/2.5 lookups are made above).
            def run():
                reps[0].cpus = threads
                reps[0].compute_rect_distances(df=reps[0].clone_df, df2=reps[1].clone_df, store=False)
                m = reps[0].rw_beta if chains == ["beta"] else reps[0].rw_alpha + reps[0].rw_beta
                return m.shape[0] * m.shape[1], int((m <= radius).sum())
            seconds, (pairs, hits) = best_time(run)
            emit(anchor="tcrdist3 " + version, job=job, threads=threads, pairs=pairs, seconds=seconds, hits=hits)


def main():
    sample_dir, *threads = sys.argv[1:]
    threads = [int(t) for t in threads] or [1]
    sample = {}
    for job in ("tcrdist_beta", "tcrdist_beta_v", "tcrdist_alpha_beta"):
        sample[job] = (read(os.path.join(sample_dir, job + "_queries.csv")),
                       read(os.path.join(sample_dir, job + "_references.csv")))
    which = os.environ.get("ANCHORS", "tcrdist-rs,tcrdist3").split(",")
    if "tcrdist-rs" in which:
        tcrdist_rs_jobs(sample, threads)
    if "tcrdist3" in which:
        tcrdist3_jobs(sample, threads)


if __name__ == "__main__":
    main()
