"""Shared by the tilmatch Python tests: the CLI to compare with, the example data and
../shared/data (tests that need what is absent skip, saying why)."""

import math
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "example"
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def cli():
    """The tilmatch executable: $TILMATCH_BIN, else build/src/cli/tilmatch."""
    path = Path(os.environ.get("TILMATCH_BIN") or ROOT / "build" / "src" / "cli" / "tilmatch")
    if not path.is_file():
        pytest.skip(f"no tilmatch CLI at {path} (build it, or set TILMATCH_BIN) to compare with")
    return path


@pytest.fixture(scope="session")
def run_cli(cli):
    """Runs the CLI; returns the completed process (stdout/stderr as text)."""

    def run(*args, check=True):
        done = subprocess.run([str(cli), "-q", *map(str, args)], capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"tilmatch {' '.join(map(str, args))} exited {done.returncode}: {done.stderr}")
        return done

    return run


def shared(name):
    """A file of ../shared/data, or a skip naming it."""
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent (public data under ../shared/data; see its README)")
    return path


def as_cli_text(frame, float_digits=6):
    """`frame` written as the CLI writes a TSV: NA for missing, fixed decimals for floats."""

    def cell(value):
        if isinstance(value, float):
            return "NA" if math.isnan(value) else f"{value:.{float_digits}f}"
        if value is None or value is pd.NA:
            return "NA"
        return str(value)

    lines = ["\t".join(frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append("\t".join(cell(v.item() if hasattr(v, "item") else v) for v in row))
    return "\n".join(lines) + "\n"


def tcrrep_frame(airr_path):
    """An example AIRR repertoire as a tcrdist3 TCRrep DataFrame (beta chain), ids as index."""
    airr = pd.read_csv(airr_path, sep="\t")
    return pd.DataFrame(
        {
            "cdr3_b_aa": airr["junction_aa"],
            "v_b_gene": airr["v_call"],
            "j_b_gene": airr["j_call"],
            "count": airr["duplicate_count"],
        }
    ).set_axis(airr["sequence_id"].astype(str).to_numpy())


def write_tcrrep(frame, path):
    """The DataFrame as a tcrdist3-layout TSV (clone_id = index) for the CLI."""
    out = frame.copy()
    out.insert(0, "clone_id", frame.index.astype(str))
    out.to_csv(path, sep="\t", index=False)
    return path
