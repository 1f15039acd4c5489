"""results/cohort_summary.tsv: one row per patient x culture, the patient first, then the configured
columns of each patient's fragments.tsv, found by name in its header (NA where a patient's file lacks
one; left out when no patient's has it). Values are copied as written; rows keep each file's order
(its ranking) and patients the samplesheet's."""
import csv
import os
import sys


def read_ranking(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    if not rows:
        raise ValueError(f"{path}: empty, no header")
    header = rows[0]
    for required in ("rank", "fragment_id"):
        if required not in header:
            raise ValueError(f"{path}: no '{required}' column in its header")
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise ValueError(f"{path} line {n}: {len(r)} fields where the header has {len(header)}")
    return header, rows[1:]


def summarise(patients, paths, wanted):
    tables = [read_ranking(p) for p in paths]
    columns = [c for c in wanted if any(c in header for header, _ in tables)]
    out = [["patient"] + columns]
    for patient, (header, rows) in zip(patients, tables):
        index = {c: header.index(c) for c in columns if c in header}
        for r in rows:
            out.append([patient] + [r[index[c]] if c in index else "NA" for c in columns])
    return out


def main(sm):
    with open(sm.log[0], "w") as log:
        try:
            table = summarise(sm.params.patients, list(sm.input), sm.params.columns)
        except ValueError as e:
            print(f"cohort_summary: {e}", file=log)
            sys.exit(1)
        tmp = f"{sm.output[0]}.tmp.{os.getpid()}"
        with open(tmp, "w", newline="") as f:
            csv.writer(f, delimiter="\t", lineterminator="\n").writerows(table)
        os.replace(tmp, sm.output[0])
        print(f"cohort_summary: {len(table) - 1} rows from {len(sm.input)} patients", file=log)


main(snakemake)  # noqa: F821 (set by Snakemake's script directive)
