"""tilmatch.tcrdist: dense and sparse matrices, against the CLI and tcrdist3's own numbers."""

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse

import tilmatch
from conftest import EXAMPLE, shared, tcrrep_frame, write_tcrrep


def test_cdr3_only_distance_is_the_hand_computed_one():
    # ../shared/data/tcr_oracles/README.md: CDR3 only, weight 1, gap 4: 40; tcrdist3 weighs CDR3 x3.
    df = pd.DataFrame({"cdr3_b_aa": ["CASRTGTVYEQYF", "CASSTLDRVYNSPLHF"]})
    m = tilmatch.tcrdist(df, quiet=True)
    assert m.dtype == np.int32
    assert m.tolist() == [[0, 120], [120, 0]]


def test_paired_matrix_reproduces_tcrdist3_on_dash_415():
    csv = shared("tcr_oracles/tcrdistgpu_dash_human.csv")
    want_path = shared("tcr_oracles/tcrdistgpu_dash_human_tcrdist3_paired_415x415.csv.gz")
    db = shared("tcr_oracles/tcrdist3_alphabeta_gammadelta_db.tsv")
    df = pd.read_csv(csv)  # the DataFrame a tcrdist3 user hands to TCRrep
    with gzip.open(want_path, "rt") as f:
        want = pd.read_csv(f).to_numpy()
    got = tilmatch.tcrdist(df, chains=["alpha", "beta"], v_gene_table=db, threads=2, quiet=True)
    assert got.shape == (415, 415)
    np.testing.assert_array_equal(got, want)


def test_dense_matrix_equals_cli_all_pairs(tmp_path, run_cli):
    a = tcrrep_frame(EXAMPLE / "fragments" / "F01.airr.tsv")
    b = tcrrep_frame(EXAMPLE / "fragments" / "F02.airr.tsv")
    got = tilmatch.tcrdist(a, b, threads=2, quiet=True)
    assert got.shape == (len(a), len(b))
    out = tmp_path / "hits.tsv"
    run_cli("search", "--metric", "tcrdist", "--all-pairs", "--query", write_tcrrep(a, tmp_path / "a.tsv"),
            "--reference", write_tcrrep(b, tmp_path / "b.tsv"), "--out", out)
    hits = pd.read_csv(out, sep="\t", dtype={"query_id": str, "reference_id": str})
    assert len(hits) == got.size
    row = {k: i for i, k in enumerate(a.index)}
    col = {k: j for j, k in enumerate(b.index)}
    want = np.full(got.shape, -1, dtype=np.int64)
    want[hits["query_id"].map(row).to_numpy(), hits["reference_id"].map(col).to_numpy()] = hits["score"]
    np.testing.assert_array_equal(got, want)
    # V loops count: the same frames on CDR3 alone differ somewhere.
    assert (tilmatch.tcrdist(a, b, v_genes=False, quiet=True) != got).any()


def test_radius_gives_the_cli_search_pairs_as_csr(tmp_path, run_cli):
    a = tcrrep_frame(EXAMPLE / "fragments" / "F03.airr.tsv")
    got = tilmatch.tcrdist(a, radius=36, quiet=True)
    assert isinstance(got, scipy.sparse.csr_matrix)
    assert got.shape == (len(a), len(a))
    out = tmp_path / "hits.tsv"
    path = write_tcrrep(a, tmp_path / "a.tsv")
    run_cli("search", "--metric", "tcrdist", "--max-distance", 36, "--query", path, "--reference", path, "--out", out)
    hits = pd.read_csv(out, sep="\t", dtype={"query_id": str, "reference_id": str})
    pos = {k: i for i, k in enumerate(a.index)}
    want = set(zip(hits["query_id"].map(pos), hits["reference_id"].map(pos), hits["score"]))
    coo = got.tocoo()
    assert set(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist())) == want
    assert got.nnz == len(hits)
    # The sparse matrix is the dense one within the radius, its zeros (the diagonal) stored.
    dense = tilmatch.tcrdist(a, quiet=True)
    assert got.nnz == int((dense <= 36).sum())
    np.testing.assert_array_equal(got.toarray(), np.where(dense <= 36, dense, 0))


def test_path_input_equals_dataframe_input(tmp_path):
    a = tcrrep_frame(EXAMPLE / "fragments" / "F04.airr.tsv")
    from_frame = tilmatch.tcrdist(a, quiet=True)
    from_path = tilmatch.tcrdist(EXAMPLE / "fragments" / "F04.airr.tsv", quiet=True)
    np.testing.assert_array_equal(from_frame, from_path)


def test_rows_without_a_usable_beta_chain_are_refused():
    df = pd.DataFrame({"cdr3_b_aa": ["CASSLGQAYEQYF", "CASS*EQYF", None]})
    with pytest.raises(tilmatch.InputError, match=r"^df: 2 of 3 rows.*no_beta_chain 1, stop_codon 1") as caught:
        tilmatch.tcrdist(df, quiet=True)
    assert (caught.value.file, caught.value.where) == ("df", "")


def test_threads_and_memory_do_not_change_the_matrix():
    a = tcrrep_frame(EXAMPLE / "fragments" / "F05.airr.tsv")
    base = tilmatch.tcrdist(a, threads=1, quiet=True)
    np.testing.assert_array_equal(base, tilmatch.tcrdist(a, threads=2, memory="1M", quiet=True))


def test_a_memory_budget_below_one_row_is_a_usage_error():
    many = pd.DataFrame({"cdr3_b_aa": ["CASSLGQAYEQYF"] * 7000})
    one = pd.DataFrame({"cdr3_b_aa": ["CASSLGQAYEQYF"]})
    with pytest.raises(tilmatch.UsageError, match="memory 1M holds fewer than one row of 7000 distances"):
        tilmatch.tcrdist(one, many, memory="1M", threads=1, quiet=True)
    assert tilmatch.tcrdist(one, many, memory="4M", threads=1, quiet=True).shape == (1, 7000)


def test_swaps_in_for_tcrdist3_when_it_is_installed():
    # docs/python.md's example, run: tcrdist3 is not in requirements-test.txt (numba is heavy),
    # so CI skips this; `pip install tcrdist3` runs it.
    tcrdist = pytest.importorskip("tcrdist", reason="tcrdist3 is not installed (pip install tcrdist3)")
    from tcrdist.repertoire import TCRrep

    df = pd.read_csv(shared("tcr_oracles/tcrdistgpu_dash_human.csv"))
    tr = TCRrep(cell_df=df, organism="human", chains=["alpha", "beta"])
    db = Path(tcrdist.__file__).parent / "db" / "alphabeta_gammadelta_db.tsv"
    got = tilmatch.tcrdist(tr.clone_df, chains=["alpha", "beta"], v_gene_table=db, quiet=True)
    assert got.shape == tr.pw_alpha.shape
    np.testing.assert_array_equal(got, tr.pw_alpha + tr.pw_beta)
    np.testing.assert_array_equal(tilmatch.tcrdist(tr.clone_df, chains="alpha", v_gene_table=db, quiet=True),
                                  tr.pw_alpha)
