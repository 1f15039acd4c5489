"""Checks what the Snakemake workflow (workflow/) left in its results folder against its inputs and
the tilmatch that ran; scripts/check-workflow calls it, also on damaged copies that must fail.

  check_workflow_outputs.py RESULTS SAMPLESHEET TILMATCH_VERSION_LINE SNAKEMAKE_VERSION

- cohort_summary.tsv has one row per patient x culture of the samplesheet's fragment manifests, in
  samplesheet order, and each of its values equals the one in that patient's fragments.tsv (found
  by column name; NA where the patient's file has no such column);
- each results/<patient>/versions.yml and cohort_versions.yml name the tilmatch and HTSlib of
  `tilmatch --version`, and the snakemake that ran.
Prints each problem and exits 1 when there is any.
"""
import csv
import os
import re
import sys

import yaml


def read_tsv(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    return rows[0], rows[1:]


def manifest_fragments(path):
    header, rows = read_tsv(path)
    col = header.index("fragment_id")
    return [r[col] for r in rows]


def check_summary(results, patients, problems):
    header, rows = read_tsv(os.path.join(results, "cohort_summary.tsv"))
    if header[:1] != ["patient"] or "rank" not in header or "fragment_id" not in header:
        problems.append(f"cohort_summary.tsv: header {header} lacks patient (first), rank or fragment_id")
        return
    by_patient = {}
    for r in rows:
        if len(r) != len(header):
            problems.append(f"cohort_summary.tsv: row {r} has {len(r)} fields, the header {len(header)}")
            continue
        by_patient.setdefault(r[0], []).append(dict(zip(header, r)))
    order = list(dict.fromkeys(r[0] for r in rows))
    if order != [p for p, _ in patients]:
        problems.append(f"cohort_summary.tsv: patients {order}, expected {[p for p, _ in patients]} (samplesheet order)")
    for patient, manifest in patients:
        got = by_patient.get(patient, [])
        expected_ids = manifest_fragments(manifest)
        if sorted(r["fragment_id"] for r in got) != sorted(expected_ids):
            problems.append(f"cohort_summary.tsv: patient {patient} has cultures "
                            f"{[r['fragment_id'] for r in got]}, its manifest lists {expected_ids}")
        ranking_header, ranking = read_tsv(os.path.join(results, patient, "fragments.tsv"))
        if len(ranking) != len(got):
            problems.append(f"cohort_summary.tsv: {len(got)} rows for {patient}, its fragments.tsv has {len(ranking)}")
        for i, (summary_row, ranking_row) in enumerate(zip(got, ranking)):
            source = dict(zip(ranking_header, ranking_row))
            for column in header[1:]:
                want = source.get(column, "NA")
                if summary_row[column] != want:
                    problems.append(f"cohort_summary.tsv: {patient} row {i + 1} {column} = "
                                    f"'{summary_row[column]}', its fragments.tsv says '{want}'")


def check_versions(results, patients, version_line, snakemake_version, problems):
    m = re.match(r"tilmatch (\S+) \(.*; htslib ([^;) ]+)\)$", version_line.strip())
    if not m:
        problems.append(f"tilmatch --version: cannot read '{version_line}'")
        return
    want = {"TILMATCH_RUN": {"tilmatch": m.group(1), "htslib": m.group(2)},
            "Workflow": {"snakemake": snakemake_version}}
    files = [os.path.join(results, p, "versions.yml") for p, _ in patients]
    for path in files + [os.path.join(results, "cohort_versions.yml")]:
        with open(path) as f:
            record = yaml.safe_load(f) or {}
        for process, tools in want.items():
            for tool, version in tools.items():
                got = str((record.get(process) or {}).get(tool))
                if got != version:
                    problems.append(f"{path}: {process}.{tool} = '{got}', expected '{version}'")


def main(results, samplesheet, version_line, snakemake_version):
    header, rows = read_tsv(samplesheet)
    base = os.path.dirname(os.path.abspath(samplesheet))
    patients = [(r[header.index("patient")], os.path.join(base, r[header.index("fragments")])) for r in rows]
    problems = []
    check_summary(results, patients, problems)
    check_versions(results, patients, version_line, snakemake_version, problems)
    for p in problems:
        print(f"check-workflow: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
