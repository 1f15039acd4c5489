"""The public functions: tcrdist, search, neighbors, predict, run (docs/python.md)."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path
from typing import Any, Dict, NamedTuple, Optional, Sequence, Union

import numpy as np
import pandas as pd
import scipy.sparse

from . import _core
from ._frames import LABEL_COLUMNS, Source, input_error, read_reference, read_repertoire, read_tsv, staging

#: The CLI's --memory default (src/cli/byte_size.hpp: kDefaultMemory).
DEFAULT_MEMORY = "2G"
#: `tilmatch search`'s default TCRdist radius (src/cli/cmd_search.cpp: kDefaultMaxDistance).
DEFAULT_MAX_DISTANCE = 24

Chains = Union[str, Sequence[str]]


def _chains(chains: Chains) -> str:
    """The CLI's --chains name; tcrdist3's lists (['alpha', 'beta']) are accepted too."""
    if isinstance(chains, str):
        return chains
    names = set(chains)
    if names == {"alpha", "beta"}:
        return "alpha_beta"
    if len(names) == 1 and names <= {"alpha", "beta"}:
        return names.pop()
    raise _core.UsageError(f"chains: expected 'beta', 'alpha', 'alpha_beta' or a list of them, got {chains!r}")


def _log_level(quiet: bool, verbose: int) -> None:
    """The CLI's -q / -v: stage lines on stderr by default."""
    _core.set_log_level(0 if quiet else 2 + max(0, min(int(verbose), 2)))


def _require_all_rows(table: _core.Table, source: Source, label: str) -> None:
    """A matrix's rows are the DataFrame's rows: no row may be skipped."""
    if isinstance(source, pd.DataFrame) and len(table) != len(source):
        reasons = ", ".join(f"{why} {n}" for why, n in sorted(table.skipped.items()))
        raise input_error(
            label, "", f"{len(source) - len(table)} of {len(source)} rows have no usable beta chain ({reasons}); "
            "drop them first so that the matrix rows are the DataFrame's rows"
        )


def tcrdist(
    df: Source,
    df2: Optional[Source] = None,
    *,
    chains: Chains = "beta",
    radius: Optional[int] = None,
    v_genes: bool = True,
    v_gene_table: Optional[Union[str, os.PathLike]] = None,
    format: str = "auto",
    backend: str = "auto",
    threads: int = 0,
    memory: str = DEFAULT_MEMORY,
    quiet: bool = False,
    verbose: int = 0,
) -> Union[np.ndarray, scipy.sparse.csr_matrix]:
    """TCRdist (tcrdist3's defaults) between the rows of `df` and those of `df2` (default: `df`).

    `df`, `df2`: DataFrames with TCRrep columns, or repertoire paths in any format the CLI reads
    (rows: the usable rows, in file order). `chains`: 'beta', 'alpha', 'alpha_beta' (or tcrdist3's
    ['alpha', 'beta']). V loops (CDR1, CDR2, CDR2.5) count when the TCRs carry V genes and
    `v_genes` is true; `v_gene_table` is a tcrdist3-layout table instead of the built-in one.

    Returns a dense ``int32`` matrix (len(df) x len(df2)), the distances `tilmatch search
    --all-pairs` writes; with `radius`, a ``scipy.sparse.csr_matrix`` holding the pairs within
    it, those of `tilmatch search --max-distance` (a distance of 0 is stored as an explicit zero:
    do not call eliminate_zeros()). `backend` ('auto', 'cpu', 'cuda'), `threads` (0 = all) and
    `memory` are the CLI's --backend, --threads and --memory.
    """
    _log_level(quiet, verbose)
    chain_name = _chains(chains)
    table_path = os.fspath(v_gene_table) if v_gene_table is not None else ""
    with staging() as stage:
        left = read_repertoire(stage, df, "df", format)
        _require_all_rows(left, df, "df")
        if df2 is None:
            right = left
        else:
            right = read_repertoire(stage, df2, "df2", format)
            _require_all_rows(right, df2, "df2")
        compute = dict(backend=backend, threads=threads, memory=str(memory))
        if radius is None:
            return _core.tcrdist_matrix(
                left, right, chains=chain_name, v_genes=v_genes, v_gene_table=table_path, **compute
            )
        qi, ri, d = _core.tcrdist_search(
            left, right, max_distance=int(radius), chains=chain_name, v_genes=v_genes,
            v_gene_table=table_path, top_k=0, command="tcrdist", **compute,
        )
        return scipy.sparse.csr_matrix((d, (qi, ri)), shape=(len(left), len(right)))


def _annotated_frame(columns: Dict[str, Any], table: _core.Table, ri: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    if table.annotated:
        annotation = table.annotation()
        for name in ("epitope", "mhc", "antigen_gene", "antigen_species", "source"):
            frame[name] = np.asarray(annotation[name], dtype=object)[ri]
    return frame


def search(
    query: Source,
    reference: Source,
    *,
    metric: str = "tcrdist",
    chains: Chains = "beta",
    max_distance: Optional[int] = None,
    min_score: Optional[Union[float, str]] = None,
    top_k: int = 0,
    v_genes: bool = True,
    v_gene_table: Optional[Union[str, os.PathLike]] = None,
    query_format: str = "auto",
    reference_format: str = "auto",
    allow_empty: bool = False,
    backend: str = "auto",
    threads: int = 0,
    memory: str = DEFAULT_MEMORY,
    quiet: bool = False,
    verbose: int = 0,
) -> pd.DataFrame:
    """`tilmatch search`: query TCRs against a reference by TCRdist or TCRMatch score.

    `query`: a DataFrame (TCRrep columns) or a repertoire path. `reference`: a DataFrame, or a
    path read as `--reference` is (a tilmatch, VDJdb or IEDB database, else a repertoire).
    Options are the CLI's (`max_distance` for metric 'tcrdist', default 24; `min_score` for
    'tcrmatch', default 0.97, a hit scoring above it). Returns the CLI's columns: query_id,
    reference_id, query_cdr3b, reference_cdr3b, score (int distance or float TCRMatch score), and
    for a database also epitope, mhc, antigen_gene, antigen_species, source (missing: NaN).
    Rows are ordered by query, score (best first), reference. Ids are clone_id, the index, or the
    CLI's row ids for files.
    """
    _log_level(quiet, verbose)
    tcrdist_metric = metric == "tcrdist"
    if metric not in ("tcrdist", "tcrmatch"):
        raise _core.UsageError(f"metric: expected 'tcrdist' or 'tcrmatch', got {metric!r}")
    chain_name = _chains(chains)
    if tcrdist_metric and min_score is not None:
        raise _core.UsageError("min_score applies to metric 'tcrmatch'; use max_distance")
    if not tcrdist_metric and max_distance is not None:
        raise _core.UsageError("max_distance applies to metric 'tcrdist'; use min_score")
    if not tcrdist_metric and chain_name != "beta":
        raise _core.UsageError("metric 'tcrmatch' scores the beta chain only")
    if not tcrdist_metric and v_gene_table is not None:
        raise _core.UsageError("v_gene_table applies to metric 'tcrdist'")
    with staging() as stage:
        ref = read_reference(stage, reference, "reference", reference_format)
        _require_usable(ref, reference, "reference TCR", allow_empty)
        queries = read_repertoire(stage, query, "query", query_format)
        _require_usable(queries, query, "query TCR", allow_empty)
        compute = dict(backend=backend, threads=threads, memory=str(memory))
        if tcrdist_metric:
            qi, ri, score = _core.tcrdist_search(
                queries, ref, max_distance=DEFAULT_MAX_DISTANCE if max_distance is None else int(max_distance),
                chains=chain_name, v_genes=v_genes,
                v_gene_table=os.fspath(v_gene_table) if v_gene_table is not None else "",
                top_k=int(top_k), command="search", **compute,
            )
        else:
            qi, ri, score = _core.tcrmatch_search(
                queries, ref, min_score=None if min_score is None else str(min_score), top_k=int(top_k), **compute
            )
    qids, qcdr3 = np.asarray(queries.ids, dtype=object), np.asarray(queries.cdr3b, dtype=object)
    rids, rcdr3 = np.asarray(ref.ids, dtype=object), np.asarray(ref.cdr3b, dtype=object)
    return _annotated_frame(
        {
            "query_id": qids[qi],
            "reference_id": rids[ri],
            "query_cdr3b": qcdr3[qi],
            "reference_cdr3b": rcdr3[ri],
            "score": score,
        },
        ref,
        ri,
    )


def _require_usable(table: _core.Table, source: Source, role: str, allow_empty: bool) -> None:
    """As the CLI: a side with no usable TCR is an error (more often a wrong file than an answer)."""
    if len(table) or allow_empty:
        return
    name = "DataFrame" if isinstance(source, pd.DataFrame) else os.fspath(source)
    why = ", ".join(f"{reason} {n}" for reason, n in sorted(table.skipped.items()))
    raise input_error(
        name, "", f"no usable {role}" + (f" (rows skipped: {why})" if why else " (no data rows)")
        + "; pass allow_empty=True to get an empty result instead"
    )


def neighbors(
    df: Source,
    max_distance: int,
    *,
    chains: Chains = "beta",
    v_genes: bool = True,
    v_gene_table: Optional[Union[str, os.PathLike]] = None,
    format: str = "auto",
    allow_empty: bool = False,
    backend: str = "auto",
    threads: int = 0,
    memory: str = DEFAULT_MEMORY,
    quiet: bool = False,
    verbose: int = 0,
) -> pd.DataFrame:
    """`tilmatch neighbors`: every pair of rows within `max_distance` TCRdist (i < j).

    Returns the CLI's columns: i, j (1-based positions among the usable rows: the DataFrame's row
    position + 1), cdr3b_i, cdr3b_j, distance, id_i, id_j (the rows' ids, as `search` gives them:
    the frame's clone_id or index, a file's id column or line); ordered by i, distance, j.
    """
    _log_level(quiet, verbose)
    if max_distance < 0:
        raise _core.UsageError("max_distance must be >= 0")
    with staging() as stage:
        table = read_repertoire(stage, df, "df", format)
        _require_usable(table, df, "TCR", allow_empty)
        qi, ri, d = _core.tcrdist_search(
            table, table, max_distance=int(max_distance), chains=_chains(chains), v_genes=v_genes,
            v_gene_table=os.fspath(v_gene_table) if v_gene_table is not None else "", top_k=0,
            command="neighbors", backend=backend, threads=threads, memory=str(memory),
        )
    upper = qi < ri  # the symmetric search finds each pair twice, as the CLI's
    qi, ri, d = qi[upper], ri[upper], d[upper]
    cdr3, ids = np.asarray(table.cdr3b, dtype=object), np.asarray(table.ids, dtype=object)
    return pd.DataFrame(
        {
            "i": qi.astype(np.int64) + 1,
            "j": ri.astype(np.int64) + 1,
            "cdr3b_i": cdr3[qi],
            "cdr3b_j": cdr3[ri],
            "distance": d,
            "id_i": ids[qi],
            "id_j": ids[ri],
        }
    )


def _cli_args(options: Dict[str, Any]) -> list:
    """Keyword arguments as CLI options: foo_bar=1 -> --foo-bar 1; True -> the flag; False or None
    -> nothing; a list or tuple -> the option once per item."""
    args = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple)):
            for item in value:
                args += [flag, os.fspath(item) if isinstance(item, os.PathLike) else str(item)]
        else:
            args += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return args


def _run_cli(args: list, quiet: bool, verbose: int) -> None:
    _log_level(quiet, verbose)
    # run.json records the command as a shell would run it, so that it can be rerun.
    _core.run_command(args, shlex.join(["tilmatch", *args]))


def predict(
    reference: Union[Source, Sequence[Union[str, os.PathLike]]],
    query: Optional[Source] = None,
    *,
    leave_one_out: bool = False,
    quiet: bool = False,
    verbose: int = 0,
    **options: Any,
) -> pd.DataFrame:
    """`tilmatch predict`: a score per query TCR and epitope from labelled reference TCRs.

    `reference`: a DataFrame (TCRrep columns plus 'epitope' and 'label' 1/0) or paths (files or
    folders, as --reference); `query`: a DataFrame or a path, or None with `leave_one_out`.
    Other keyword arguments are the CLI's options (chains, kernel, scale, k, no_balance,
    v_gene_table, query_format, backend, threads, memory). Returns predictions.tsv's columns as
    a DataFrame.
    """
    refs = list(reference) if isinstance(reference, (list, tuple)) else [reference]
    with staging() as stage:
        args = ["predict"]
        for k, ref in enumerate(refs):
            args += ["--reference", stage.path_of(ref, f"reference[{k}]" if len(refs) > 1 else "reference",
                                                  extra=LABEL_COLUMNS)]
        if query is not None:
            args += ["--query", stage.path_of(query, "query")]
            if isinstance(query, pd.DataFrame):
                options.setdefault("query_format", "tcrdist")
        out = stage.scratch("predictions.tsv")
        args += _cli_args({"leave_one_out": leave_one_out, **options}) + ["--out", str(out)]
        _run_cli(args, quiet, verbose)
        return read_tsv(out)


class RunResult(NamedTuple):
    """What `run` wrote: the output folder, the files the run wrote there by name, the ranking of
    the cultures (fragments.tsv) and run.json."""

    out: Path
    files: Dict[str, Path]
    ranking: pd.DataFrame
    run_json: Dict[str, Any]


def run(*, out: Union[str, os.PathLike], quiet: bool = False, verbose: int = 0, **options: Any) -> RunResult:
    """`tilmatch run`: rank a patient's TIL cultures; writes the output folder `out` whole.

    Keyword arguments are the CLI's options with '_' for '-' (vcf, sample, normal_sample,
    fragments, reference, validated, hla, presentation, background or no_background (the chance
    model is on by default with the built-in background), radius, backend, threads, memory, force,
    ...): True passes a flag, a list repeats an option. Paths, not DataFrames.
    The options are parsed by the CLI's own table, so an unknown one raises UsageError naming the
    nearest known option. Returns RunResult(out, files, ranking, run_json).
    """
    out_dir = Path(out)
    _run_cli(["run", *_cli_args(options), "--out", os.fspath(out_dir)], quiet, verbose)
    # The run's files as its output set lists them (docs/reliability.md), not the folder's other entries.
    listed = (out_dir / ".tilmatch-set").read_text(encoding="utf-8").splitlines()
    files = {name: out_dir / name for name in listed if name and not name.startswith("#")}
    with open(out_dir / "run.json", encoding="utf-8") as f:
        run_json = json.load(f)
    return RunResult(out_dir, files, read_tsv(out_dir / "fragments.tsv"), run_json)
