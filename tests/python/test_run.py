"""tilmatch.run and tilmatch.predict: the CLI's subcommands in this process, the CLI's bytes."""

import json
import shlex

import pandas as pd
import pytest

import tilmatch
from conftest import EXAMPLE, as_cli_text

HLA = "A*02:01,A*24:02,B*07:02,B*44:02,C*05:01,C*07:02"
INPUTS = dict(vcf=EXAMPLE / "patient.vcf", sample="EXAMPLE_TUMOR", normal_sample="EXAMPLE_NORMAL",
              fragments=EXAMPLE / "fragments.tsv", reference=[EXAMPLE / "reference.tsv"],
              validated=EXAMPLE / "validated.tsv", hla=HLA)
DETERMINISTIC = ["fragments.tsv", "affinity.tsv", "clonotypes.tsv", "candidates.tsv", "epitopes.tsv",
                 "minigenes.fasta", "tmg_design.tsv", "tmg_design.fasta"]


def test_run_writes_the_cli_outputs_and_returns_the_ranking(tmp_path, run_cli):
    result = tilmatch.run(out=tmp_path / "py", threads=2, quiet=True, **INPUTS)
    run_cli("run", "--vcf", INPUTS["vcf"], "--sample", "EXAMPLE_TUMOR", "--normal-sample", "EXAMPLE_NORMAL",
            "--fragments", INPUTS["fragments"], "--reference", EXAMPLE / "reference.tsv",
            "--validated", INPUTS["validated"], "--hla", HLA, "--threads", 2, "--out", tmp_path / "cli")
    for name in DETERMINISTIC:
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    assert result.out == tmp_path / "py"
    assert set(DETERMINISTIC + ["run.json", "report.html", "run.log"]) <= set(result.files)
    assert result.files["fragments.tsv"] == tmp_path / "py" / "fragments.tsv"
    assert len(result.ranking) == 8
    assert as_cli_text(result.ranking, float_digits=0).splitlines()[0] == \
        (tmp_path / "cli" / "fragments.tsv").read_text().splitlines()[0]
    pd.testing.assert_frame_equal(
        result.ranking, pd.read_csv(tmp_path / "cli" / "fragments.tsv", sep="\t", keep_default_na=False,
                                    na_values=["NA"]))
    assert result.run_json == json.loads((tmp_path / "py" / "run.json").read_text())
    # run.json records a command that reruns this run from a shell.
    words = shlex.split(result.run_json["command_line"])
    assert words[:2] == ["tilmatch", "run"]
    assert words[words.index("--hla") + 1] == HLA


def test_run_refuses_a_folder_that_holds_no_result_unless_forced(tmp_path):
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "notes.txt").write_text("mine\n")
    with pytest.raises(tilmatch.Error, match="notes.txt"):
        tilmatch.run(out=tmp_path / "o", quiet=True, **INPUTS)
    assert not (tmp_path / "o" / "fragments.tsv").exists()
    result = tilmatch.run(out=tmp_path / "o", force=True, quiet=True, **INPUTS)
    assert (tmp_path / "o" / "notes.txt").read_text() == "mine\n"
    assert "notes.txt" not in result.files and "fragments.tsv" in result.files
    assert len(result.ranking) == 8


def _labelled():
    """Six labelled beta-chain TCRs of two epitopes."""
    return pd.DataFrame(
        {
            "cdr3_b_aa": ["CASSIRSSYEQYF", "CASSIRSAYEQYF", "CASSLRSSYEQYF", "CASSPGTEAFF", "CASRPGTEAFF",
                          "CASSPGQEAFF"],
            "v_b_gene": ["TRBV19*01"] * 3 + ["TRBV7-9*01"] * 3,
            "epitope": ["GILGFVFTL"] * 3 + ["NLVPMVATV"] * 3,
            "label": [1, 1, 0, 1, 1, 0],
        },
        index=[f"r{i}" for i in range(6)],
    )


def test_predict_leave_one_out_is_the_cli_output(tmp_path, run_cli):
    refs = _labelled()
    got = tilmatch.predict(refs, leave_one_out=True, chains="beta", quiet=True)
    path = tmp_path / "refs.tsv"
    refs.rename_axis("clone_id").reset_index().to_csv(path, sep="\t", index=False)
    out = tmp_path / "pred.tsv"
    run_cli("predict", "--reference", path, "--leave-one-out", "--chains", "beta", "--out", out)
    expected = pd.read_csv(out, sep="\t", keep_default_na=False, na_values=["NA"])
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, expected)


def test_predict_of_a_query_dataframe_is_the_cli_output(tmp_path, run_cli):
    refs = _labelled()
    query = pd.DataFrame({"cdr3_b_aa": ["CASSIRSSFEQYF", "CASSPGTDAFF"], "v_b_gene": ["TRBV19*01", "TRBV7-9*01"]},
                         index=["q1", "q2"])
    got = tilmatch.predict(refs, query, chains="beta", kernel="knn", k=2, quiet=True)
    ref_path, query_path = tmp_path / "refs.tsv", tmp_path / "query.tsv"
    refs.rename_axis("clone_id").reset_index().to_csv(ref_path, sep="\t", index=False)
    query.rename_axis("clone_id").reset_index().to_csv(query_path, sep="\t", index=False)
    out = tmp_path / "pred.tsv"
    run_cli("predict", "--reference", ref_path, "--query", query_path, "--chains", "beta", "--kernel", "knn",
            "--k", 2, "--out", out)
    expected = pd.read_csv(out, sep="\t", keep_default_na=False, na_values=["NA"])
    assert set(got["query_id"]) == {"q1", "q2"}
    pd.testing.assert_frame_equal(got, expected)
