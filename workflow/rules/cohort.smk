# The cohort: every patient's ranking in one table, and every run's versions in one record.


rule cohort_summary:
    input:
        expand(f"{RESULTS}/{{patient}}/fragments.tsv", patient=list(BY_PATIENT)),
    output:
        f"{RESULTS}/cohort_summary.tsv",
    params:
        patients=list(BY_PATIENT),
        columns=config["summary_columns"],
    log:
        f"{RESULTS}/logs/cohort_summary.log",
    localrule: True
    script:
        "../scripts/cohort_summary.py"


rule cohort_versions:
    input:
        expand(f"{RESULTS}/{{patient}}/versions.yml", patient=list(BY_PATIENT)),
    output:
        f"{RESULTS}/cohort_versions.yml",
    params:
        patients=list(BY_PATIENT),
    log:
        f"{RESULTS}/logs/cohort_versions.log",
    localrule: True
    script:
        "../scripts/cohort_versions.py"
