"""tilmatch.search under a small memory budget: runs of queries split and grow as the CLI's do
(scoring/search_runs.hpp), with the same rows."""

import pytest

import tilmatch
from conftest import as_cli_text


def test_runs_that_pass_the_budget_are_split_without_changing_the_rows(tmp_path, run_cli):
    # 2,000 queries far from every reference, then 200 that hit all 300 references: 60,000 hits,
    # more than half of 1M holds, so the run that reaches them is scored again in smaller runs.
    (tmp_path / "q.txt").write_text("CAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAF\n" * 2000 + "CASSLGQGAYEQYF\n" * 200)
    (tmp_path / "r.txt").write_text("CASSLGQGAYEQYF\n" * 300)
    q, r = tmp_path / "q.txt", tmp_path / "r.txt"
    small = tilmatch.search(q, r, max_distance=60, memory="1M", threads=2, quiet=True)
    big = tilmatch.search(q, r, max_distance=60, memory="1G", threads=2, quiet=True)
    assert len(small) == 200 * 300
    assert small.equals(big)
    out = tmp_path / "hits.tsv"
    run_cli("search", "--query", q, "--reference", r, "--metric", "tcrdist", "--max-distance", 60,
            "--memory", "1M", "--out", out)
    assert as_cli_text(small) == out.read_text()


def test_a_query_whose_hits_alone_pass_the_budget_is_a_usage_error(tmp_path):
    (tmp_path / "q.txt").write_text("CASSLGQGAYEQYF\n" * 3)
    (tmp_path / "r.txt").write_text("CASSLGQGAYEQYF\n" * 50000)
    with pytest.raises(tilmatch.UsageError, match=r"^query 1 alone has more hits than a memory budget of \d+ bytes"):
        tilmatch.search(tmp_path / "q.txt", tmp_path / "r.txt", max_distance=0, memory="1M", quiet=True)
