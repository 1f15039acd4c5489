"""tilmatch.search and tilmatch.neighbors: the CLI's rows, value for value."""

import pandas as pd
import pytest

import tilmatch
from conftest import EXAMPLE, as_cli_text, shared, tcrrep_frame, write_tcrrep

F01 = EXAMPLE / "fragments" / "F01.airr.tsv"
REFERENCE = EXAMPLE / "reference.tsv"


def test_tcrdist_search_of_paths_is_the_cli_output(tmp_path, run_cli):
    got = tilmatch.search(F01, REFERENCE, max_distance=48, quiet=True)
    out = tmp_path / "hits.tsv"
    run_cli("search", "--query", F01, "--reference", REFERENCE, "--metric", "tcrdist", "--max-distance", 48,
            "--out", out)
    assert list(got.columns) == ["query_id", "reference_id", "query_cdr3b", "reference_cdr3b", "score",
                                 "epitope", "mhc", "antigen_gene", "antigen_species", "source"]
    assert len(got) > 0
    assert as_cli_text(got) == out.read_text()


def test_tcrmatch_search_of_a_dataframe_is_the_cli_output(tmp_path, run_cli):
    query = tcrrep_frame(F01)
    got = tilmatch.search(query, REFERENCE, metric="tcrmatch", min_score=0.8, top_k=2, quiet=True)
    out = tmp_path / "hits.tsv"
    run_cli("search", "--query", write_tcrrep(query, tmp_path / "q.tsv"), "--reference", REFERENCE,
            "--metric", "tcrmatch", "--min-score", "0.8", "--top-k", 2, "--out", out)
    assert len(got) > 0
    assert got["query_id"].isin(query.index).all()
    assert as_cli_text(got) == out.read_text()


def test_tcrmatch_reproduces_tcrmatch_1_3_hits_on_cedar(tmp_path, run_cli):
    queries = shared("tcr_oracles/tcrmatch_expected")
    cedar = shared("tcr_oracles/CEDAR_data.tsv.gz")
    first = sorted(queries.glob("*.txt"))[0]
    got = tilmatch.search(first, cedar, metric="tcrmatch", quiet=True)
    out = tmp_path / "hits.tsv"
    run_cli("search", "--query", first, "--reference", cedar, "--metric", "tcrmatch", "--out", out)
    assert as_cli_text(got) == out.read_text()
    assert len(got) > 0


def test_neighbors_is_the_cli_output(tmp_path, run_cli):
    df = tcrrep_frame(EXAMPLE / "fragments" / "F02.airr.tsv")
    got = tilmatch.neighbors(df, 60, quiet=True)
    out = tmp_path / "pairs.tsv"
    run_cli("neighbors", "--input", write_tcrrep(df, tmp_path / "in.tsv"), "--max-distance", 60, "--out", out)
    assert list(got.columns) == ["i", "j", "cdr3b_i", "cdr3b_j", "distance", "id_i", "id_j"]
    assert len(got) > 0 and (got["i"] < got["j"]).all()
    assert as_cli_text(got) == out.read_text()


def test_neighbors_on_the_paired_oracle_count_the_pairs_within_the_radius():
    csv = shared("tcr_oracles/tcrdistgpu_dash_human.csv")
    db = shared("tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv")
    df = pd.read_csv(csv)
    dense = tilmatch.tcrdist(df, chains="alpha_beta", v_gene_table=db, quiet=True)
    pairs = tilmatch.neighbors(df, 120, chains="alpha_beta", v_gene_table=db, quiet=True)
    assert len(pairs) == sum(int(dense[i, j] <= 120) for i in range(415) for j in range(i + 1, 415))
    assert (pairs["distance"].to_numpy() == dense[pairs["i"] - 1, pairs["j"] - 1]).all()


def test_a_dataframe_reference_is_a_repertoire_with_its_ids():
    ref = tcrrep_frame(F01)
    got = tilmatch.search(F01, ref, max_distance=0, quiet=True)
    assert list(got.columns) == ["query_id", "reference_id", "query_cdr3b", "reference_cdr3b", "score"]
    # Every clonotype is its own nearest at distance 0.
    assert set(ref.index) <= set(got["reference_id"])
    assert (got["score"] == 0).all()


def test_metric_options_are_checked_as_the_cli_checks_them():
    with pytest.raises(tilmatch.UsageError, match="min_score applies to metric 'tcrmatch'"):
        tilmatch.search(F01, REFERENCE, min_score=0.9, quiet=True)
    with pytest.raises(ValueError, match="expected a score threshold between 0 and 1"):
        tilmatch.search(F01, REFERENCE, metric="tcrmatch", min_score=1.5, quiet=True)
