# The samplesheet, read and checked before any job runs, and the tilmatch binary the jobs call.
import csv
import os
import platform
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import jsonschema
import snakemake
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

validate(config, "../schemas/config.schema.yaml")

RESULTS = config["results"].rstrip("/")
SAMPLESHEET = config.get("samplesheet") or os.path.join(workflow.basedir, "config", "samplesheet.tsv")
# Columns holding one file, and those holding several separated by ';'.
FILE_COLUMNS = ["vcf", "fragments", "presentation", "reactive_repertoires"]
LIST_COLUMNS = ["reference", "validated", "screen", "design"]
with open(os.path.join(workflow.basedir, "schemas", "samplesheet.schema.yaml")) as _f:
    ROW_SCHEMA = jsonschema.Draft202012Validator(yaml.safe_load(_f))
# Flags of `tilmatch run` for the list columns (one flag per file).
LIST_FLAGS = {"reference": "--reference", "validated": "--validated", "screen": "--screen", "design": "--design"}


def _fail(where, message):
    raise WorkflowError(f"samplesheet {SAMPLESHEET}, {where}: {message}")


def _resolve(base, value):
    """A path from the samplesheet: relative ones are read from the samplesheet's folder."""
    p = Path(value)
    return os.path.abspath(p if p.is_absolute() else base / p)


def _manifest_repertoires(manifest):
    """The repertoire files a fragment manifest lists (so that editing one reruns its patient), or
    None when the manifest has no tab-separated `path` column: tilmatch then says what is wrong."""
    with open(manifest, newline="") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    if not lines:
        return None
    rows = list(csv.reader(lines, delimiter="\t"))
    if "path" not in rows[0]:
        return None
    col = rows[0].index("path")
    base = Path(manifest).parent
    return [(i + 2, _resolve(base, r[col])) for i, r in enumerate(rows[1:]) if len(r) > col and r[col]]


def read_samplesheet(path):
    """Rows of the samplesheet as dicts (paths made absolute, list columns as lists), in file order.
    Every problem names the line and the patient."""
    if not os.path.isfile(path):
        raise WorkflowError(f"samplesheet {path} does not exist (config samplesheet)")
    base = Path(path).resolve().parent
    with open(path, newline="") as f:
        lines = [(n, l) for n, l in enumerate(f, start=1) if l.strip() and not l.startswith("#")]
    if not lines:
        _fail("line 1", "no header")
    header = lines[0][1].rstrip("\r\n").split("\t")
    if len(header) == 1 and "," in header[0]:
        _fail(f"line {lines[0][0]}", "the header has no tab; the samplesheet is tab-separated, not comma-separated")
    schema_columns = ["patient", "vcf", "tumour_sample", "normal_sample", "fragments", "hla"]
    missing = [c for c in schema_columns if c not in header]
    if missing:
        _fail(f"line {lines[0][0]}", "missing column(s) " + ", ".join(missing) + "; the header is " + ", ".join(header))
    dup = sorted({c for c in header if header.count(c) > 1})
    if dup:
        _fail(f"line {lines[0][0]}", "column(s) " + ", ".join(dup) + " appear twice")
    rows, seen = [], {}
    for n, line in lines[1:]:
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) != len(header):
            _fail(f"line {n}", f"{len(fields)} fields where the header has {len(header)}")
        row = {k: v.strip() for k, v in zip(header, fields)}
        where = f"line {n} (patient '{row['patient']}')"
        for error in ROW_SCHEMA.iter_errors(row):
            column = f"column '{error.path[0]}': " if error.path else ""
            _fail(where, column + error.message)
        if row["patient"] in seen:
            _fail(where, f"patient '{row['patient']}' is also on line {seen[row['patient']]}")
        seen[row["patient"]] = n
        for c in FILE_COLUMNS:
            if row.get(c):
                row[c] = _resolve(base, row[c])
                if not os.path.isfile(row[c]):
                    _fail(where, f"{c}: {row[c]} does not exist")
        for c in LIST_COLUMNS:
            files = [_resolve(base, v.strip()) for v in row.get(c, "").split(";") if v.strip()]
            for p in files:
                if not os.path.isfile(p):
                    _fail(where, f"{c}: {p} does not exist")
            row[c] = files
        if row["screen"] and not row["design"]:
            _fail(where, "screen readouts need the design they refer to (a design column: the first run's tmg_design.tsv)")
        # An allele list has '*' (A*02:01); anything else is a file of alleles.
        if row["hla"] and "*" not in row["hla"]:
            row["hla"] = _resolve(base, row["hla"])
            if not os.path.isfile(row["hla"]):
                _fail(where, f"hla: {row['hla']} is neither an allele list (A*02:01,B*07:02,...) nor an existing file")
        repertoires = _manifest_repertoires(row["fragments"])
        for line_no, p in repertoires or []:
            if not os.path.isfile(p):
                _fail(where, f"fragments manifest {row['fragments']} line {line_no}: {p} does not exist")
        row["repertoires"] = [p for _, p in repertoires or []]
        row["line"] = n
        rows.append(row)
    if not rows:
        _fail(f"line {lines[0][0]}", "no patient rows below the header")
    return rows


def tilmatch_version(binary):
    """`tilmatch --version`, which also fails early when the binary is missing. It is a param of the
    run rule, so a new tilmatch reruns every patient."""
    found = shutil.which(binary)
    if not found:
        raise WorkflowError(f"config tilmatch: '{binary}' is neither an executable file nor a command on PATH; "
                            "set it with --config tilmatch=/path/to/tilmatch")
    try:
        out = subprocess.run([found, "--version"], check=True, capture_output=True, text=True, timeout=60)
    except (subprocess.SubprocessError, OSError) as e:
        raise WorkflowError(f"config tilmatch: '{found} --version' failed: {e}")
    return out.stdout.strip()


PATIENTS = read_samplesheet(SAMPLESHEET)
BY_PATIENT = {r["patient"]: r for r in PATIENTS}
TILMATCH = config["tilmatch"]
TILMATCH_VERSION = tilmatch_version(TILMATCH)
SNAKEMAKE_VERSION = snakemake.__version__
PYTHON_VERSION = platform.python_version()

wildcard_constraints:
    patient="|".join(re.escape(p) for p in BY_PATIENT),


def run_inputs(wildcards):
    r = BY_PATIENT[wildcards.patient]
    files = {"vcf": r["vcf"], "fragments": r["fragments"], "repertoires": r["repertoires"]}
    for c in ["presentation", "reactive_repertoires"]:
        if r.get(c):
            files[c] = r[c]
    if r["hla"] and "*" not in r["hla"]:
        files["hla"] = r["hla"]
    for c in LIST_COLUMNS:
        files[c] = config.get(c, []) + r[c] if c in ("reference", "validated") else r[c]
    if config.get("v_gene_table"):
        files["v_gene_table"] = config["v_gene_table"]
    return files


def run_args(wildcards):
    """The patient's inputs as `tilmatch run` arguments, shell-quoted."""
    r = BY_PATIENT[wildcards.patient]
    args = ["--vcf", r["vcf"], "--fragments", r["fragments"]]
    if r["tumour_sample"]:
        args += ["--sample", r["tumour_sample"]]
    if r["normal_sample"]:
        args += ["--normal-sample", r["normal_sample"]]
    if r["hla"]:
        args += ["--hla", r["hla"]]
    if r.get("presentation"):
        args += ["--presentation", r["presentation"]]
    if r.get("reactive_repertoires"):
        args += ["--reactive-repertoires", r["reactive_repertoires"]]
    for c, files in run_inputs(wildcards).items():
        if c in LIST_FLAGS:
            for p in files:
                args += [LIST_FLAGS[c], p]
    if config.get("v_gene_table"):
        args += ["--v-gene-table", config["v_gene_table"]]
    return " ".join(shlex.quote(a) for a in args) + (" " + config["extra_args"] if config.get("extra_args") else "")


def engine_memory(wildcards, resources):
    """tilmatch's --memory from the job's mem_mb (config engine_memory_share of it)."""
    return f"{int(resources.mem_mb * config['engine_memory_share'])}M"


def backend(wildcards, resources):
    """cuda when the job holds a GPU (a Slurm profile's gpu resource), else config backend."""
    return "cuda" if int(getattr(resources, "gpu", 0) or 0) > 0 else config["backend"]
