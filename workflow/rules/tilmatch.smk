# One `tilmatch run` per patient into results/<patient>/, with its versions record.

# What every `tilmatch run` writes (with the screen's results it writes more beside them).
RUN_OUTPUTS = ["fragments.tsv", "affinity.tsv", "clonotypes.tsv", "candidates.tsv", "epitopes.tsv",
               "minigenes.fasta", "tmg_design.tsv", "tmg_design.fasta", "report.html", "run.json", "run.log"]
VERSIONS_SCRIPT = os.path.join(workflow.basedir, "scripts", "versions_yml.sh")


rule tilmatch_run:
    input:
        unpack(run_inputs),
    output:
        **{name.replace(".", "_"): f"{RESULTS}/{{patient}}/{name}" for name in RUN_OUTPUTS},
        versions=f"{RESULTS}/{{patient}}/versions.yml",
    log:
        f"{RESULTS}/logs/tilmatch_run/{{patient}}.log",
    params:
        tilmatch=shlex.quote(TILMATCH),
        args=run_args,
        out=lambda wildcards: shlex.quote(f"{RESULTS}/{wildcards.patient}"),
        memory=engine_memory,
        backend=backend,
        # Not used by the command: a change of tilmatch (its --version) reruns the patients. The
        # snakemake and Python versions are not params: a new snakemake need not rerun a cohort.
        tilmatch_version=TILMATCH_VERSION,
    threads: config["threads"]
    resources:
        mem_mb=config["mem_mb"],
        runtime=config["runtime"],
    # SNAKEMAKE_VERSION and PYTHON_VERSION are those of the snakemake that runs the job (globals, not
    # params: `snakemake --lint` says so, on purpose).
    shell:
        "{params.tilmatch} run {params.args} --backend {params.backend} --threads {threads}"
        " --memory {params.memory} --out {params.out} 2> {log:q}"
        " && bash {VERSIONS_SCRIPT:q} {params.tilmatch} TILMATCH_RUN {SNAKEMAKE_VERSION:q}"
        " {PYTHON_VERSION:q} {output.versions:q}"
