"""results/cohort_versions.yml: every run's versions.yml collated, as nf-core's software_versions.yml
(process -> tool: version). Runs of one process with different versions (a patient not rerun after
tilmatch changed) are an error naming the patients: a cohort compared across versions is not one."""
import os
import sys

import yaml


def collate(patients, paths):
    seen = {}  # (process, tool) -> {version: [patients]}
    for patient, path in zip(patients, paths):
        with open(path) as f:
            record = yaml.safe_load(f)
        if not isinstance(record, dict):
            raise ValueError(f"{path}: not a versions record (process: {{tool: version}})")
        for process, tools in record.items():
            for tool, version in (tools or {}).items():
                seen.setdefault((process, tool), {}).setdefault(str(version), []).append(patient)
    out, conflicts = {}, []
    for (process, tool), versions in seen.items():
        if len(versions) > 1:
            conflicts.append(f"{process} {tool}: " + "; ".join(f"{v} ({', '.join(p)})" for v, p in versions.items()))
        out.setdefault(process, {})[tool] = next(iter(versions))
    return out, conflicts


def main(sm):
    with open(sm.log[0], "w") as log:
        try:
            out, conflicts = collate(sm.params.patients, list(sm.input))
        except (OSError, ValueError, yaml.YAMLError) as e:
            print(f"cohort_versions: {e}", file=log)
            sys.exit(1)
        if conflicts:
            print("cohort_versions: the patients' runs used different versions; rerun the older ones "
                  "(snakemake --forcerun tilmatch_run):\n  " + "\n  ".join(conflicts), file=log)
            sys.exit(1)
        tmp = f"{sm.output[0]}.tmp.{os.getpid()}"
        with open(tmp, "w") as f:
            yaml.safe_dump(out, f, default_flow_style=False, sort_keys=False)
        os.replace(tmp, sm.output[0])


main(snakemake)  # noqa: F821 (set by Snakemake's script directive)
