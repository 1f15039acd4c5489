#!/usr/bin/env bash
# Writes a run's versions record in nf-core's versions.yml format (process -> tool: version), from
# the tilmatch that ran: `tilmatch --version` is "tilmatch <version>+<commit> (<build>; htslib <version>)".
#   versions_yml.sh TILMATCH PROCESS SNAKEMAKE_VERSION PYTHON_VERSION OUT
set -euo pipefail
tilmatch="$1" process="$2" snakemake_version="$3" python_version="$4" out="$5"
line="$("$tilmatch" --version)"
version="$(sed -n 's/^tilmatch \([^ ]*\).*/\1/p' <<<"$line")"
htslib="$(sed -n 's/.*htslib \([^;) ]*\).*/\1/p' <<<"$line")"
if [ -z "$version" ] || [ -z "$htslib" ]; then
  echo "versions_yml.sh: cannot read the versions from '$tilmatch --version': $line" >&2
  exit 1
fi
tmp="$out.tmp.$$"
cat >"$tmp" <<END_VERSIONS
"$process":
    tilmatch: "$version"
    htslib: "$htslib"
"Workflow":
    snakemake: "$snakemake_version"
    python: "$python_version"
END_VERSIONS
mv -f "$tmp" "$out"
