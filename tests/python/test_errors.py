"""Bad input raises a Python exception carrying the C++ message and place; nothing aborts."""

import pandas as pd
import pytest

import tilmatch
from conftest import EXAMPLE


def test_a_bad_count_names_the_dataframe_row_and_column():
    df = pd.DataFrame({"cdr3_b_aa": ["CASSLGQAYEQYF", "CASSPGTEAFF"], "count": [3, -1]}, index=["c7", "c9"])
    with pytest.raises(tilmatch.InputError) as caught:
        tilmatch.tcrdist(df, quiet=True)
    e = caught.value
    assert isinstance(e, ValueError)
    assert e.file == "df"
    assert e.where == "row 1 (index 'c9'), column 'count'"
    assert str(e) == "df, row 1 (index 'c9'), column 'count': count '-1' is not a finite non-negative number"


def test_a_tab_inside_a_cdr3_names_the_query_row():
    df = pd.DataFrame({"cdr3_b_aa": ["CASSLGQAYEQYF", "CASS\tPGTEAFF"]})
    with pytest.raises(tilmatch.InputError, match=r"^query, row 1 \(index 1\), column 'cdr3_b_aa': "):
        tilmatch.search(df, EXAMPLE / "reference.tsv", quiet=True)


def test_a_frame_without_the_beta_column_is_named():
    with pytest.raises(tilmatch.InputError, match="df2: no column 'cdr3_b_aa'"):
        tilmatch.tcrdist(pd.DataFrame({"cdr3_b_aa": ["CASSF"]}), pd.DataFrame({"cdr3": ["CASSF"]}), quiet=True)


def test_errors_in_files_keep_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("clone_id\tcdr3_b_aa\tcount\nx\tCASSF\tlots\n")
    with pytest.raises(tilmatch.InputError) as caught:
        tilmatch.neighbors(bad, 12, quiet=True)
    assert caught.value.file == str(bad)
    assert caught.value.where == "line 2, column 'count'"


def test_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(OSError, match="nothing-here.tsv"):
        tilmatch.tcrdist(tmp_path / "nothing-here.tsv", quiet=True)


def test_an_empty_side_is_refused_unless_allowed():
    empty = pd.DataFrame({"cdr3_b_aa": pd.Series([], dtype=str)})
    with pytest.raises(tilmatch.InputError, match="no usable query TCR"):
        tilmatch.search(empty, EXAMPLE / "reference.tsv", quiet=True)
    got = tilmatch.search(empty, EXAMPLE / "reference.tsv", allow_empty=True, quiet=True)
    assert len(got) == 0


def test_an_unknown_run_option_names_the_nearest_one(tmp_path):
    with pytest.raises(tilmatch.UsageError, match=r"unknown option --fragment; did you mean --fragments\?"):
        tilmatch.run(out=tmp_path / "out", vcf=EXAMPLE / "patient.vcf", fragment=EXAMPLE / "fragments.tsv")


def test_a_cuda_request_on_a_cpu_build_is_a_device_error():
    if tilmatch.cuda_built():
        pytest.skip("this build has the CUDA backend")
    with pytest.raises(tilmatch.DeviceError, match="cuda"):
        tilmatch.tcrdist(pd.DataFrame({"cdr3_b_aa": ["CASSLGQAYEQYF"]}), backend="cuda", quiet=True)


def test_bad_chains_and_memory_are_usage_errors():
    df = pd.DataFrame({"cdr3_b_aa": ["CASSLGQAYEQYF"]})
    with pytest.raises(tilmatch.UsageError, match="--chains: expected beta, alpha or alpha_beta"):
        tilmatch.tcrdist(df, chains="gamma", quiet=True)
    with pytest.raises(tilmatch.UsageError, match="expected a size of at least 1M"):
        tilmatch.tcrdist(df, memory="lots", quiet=True)
