#!/usr/bin/env bash
# Runs the release ladspa-validate over every plugin of the Debian LADSPA packages
# (/usr/lib/ladspa, or the directory given) with --json, confirms a sample of its findings with
# an independent C host (scripts/confirm/ladspa-confirm.c, compiled here with gcc), and writes
# docs/validation-report.md from that run with scripts/validation_report.py.
#
#   scripts/validation-report.sh [plugin directory]
#
# The run's JSON and the confirmations' output are kept in target/validation-report/.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/usr/lib/ladspa}
target=${CARGO_TARGET_DIR:-target}
work=target/validation-report
mkdir -p "$work"

cargo build --release -p ladspa-tools --bin ladspa-validate
validate="$target/release/ladspa-validate"

echo "validating every plugin in $dir ..." >&2
start=$(date +%s.%N)
status=0
"$validate" --json "$dir" >"$work/run.json" || status=$?
end=$(date +%s.%N)
# 0: no failure, 1: some plugin failed a check; anything else is the validator's own failure.
if [ "$status" -gt 1 ]; then
  echo "ladspa-validate failed with status $status" >&2
  exit "$status"
fi
seconds=$(python3 -c "print(round($end - $start, 1))")

gcc -O1 -Wall -o "$work/ladspa-confirm" scripts/confirm/ladspa-confirm.c -ldl -lm
# The sample to confirm: file, label, the C host's test, the validator's check.
: >"$work/confirmations.tsv"
while read -r file label test check; do
  [ -z "$file" ] || [ "${file:0:1}" = "#" ] && continue
  [ -e "$dir/$file" ] || continue
  output=$( { "$work/ladspa-confirm" "$dir/$file" "$label" "$test" 2>&1; echo "rc=$?"; } | tr '\n\t' '  ')
  printf '%s\t%s\t%s\t%s\t%s\n' "$file" "$label" "$check" "$output" "$test" >>"$work/confirmations.tsv"
done <scripts/confirm/sample.txt

python3 scripts/validation_report.py "$work/run.json" "$work/confirmations.tsv" "$seconds" \
  "$(nproc)" "$(uname -srm)" "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" \
  >docs/validation-report.md
echo "wrote docs/validation-report.md ($seconds s of validation)" >&2
