#!/usr/bin/env bash
# The mutation score of the scoring core: mutmut (configured in pyproject.toml, [tool.mutmut])
# mutates every module under autograder/core/ and runs the fast in-process tests that cover
# it; a mutant the tests do not notice "survives".  Run from a scratch copy of the checkout,
# so mutmut's mutants/ folder never lands in it.  CPU-heavy (minutes per module on 2 cores):
# not part of dev.sh test.  Figures and the survivors judged equivalent:
# benchmarks/results/mutation.md.
#
#   bash benchmarks/mutation.sh                 # every module, one after another
#   bash benchmarks/mutation.sh compare kinds.choice   # some modules (names under autograder/core)
#   KEEP=1 bash benchmarks/mutation.sh compare  # keep the scratch copy (to `mutmut show` a survivor)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
work=$(mktemp -d "${TMPDIR:-/tmp}/mutation.XXXXXX")
[[ -n "${KEEP:-}" ]] || trap 'rm -rf "$work"' EXIT
# the files git knows, as they are in the working tree
(cd "$here" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work" 2>/dev/null || true)
cd "$work"

modules=("$@")
if [[ ${#modules[@]} -eq 0 ]]; then
    modules=($(cd autograder/core && find . -name '*.py' ! -name '__init__.py' | sed 's|^\./||; s|\.py$||; s|/|.|g' | sort))
fi
printf '%-22s %8s %8s %8s %8s\n' module mutants killed survived score
for module in "${modules[@]}"; do
    "$python" -m mutmut run --max-children "${JOBS:-2}" "autograder.core.${module}.*" > "mutmut-$module.log" 2>&1 || true
    "$python" -m mutmut results --all true 2>/dev/null | grep "autograder\.core\.${module}\.x" > "results-$module.txt" || true
    total=$(wc -l < "results-$module.txt")
    killed=$(grep -c ': killed$\|: timeout$' "results-$module.txt" || true)
    survived=$(grep -c ': survived$\|: no tests$' "results-$module.txt" || true)
    score=$(awk -v k="$killed" -v t="$total" 'BEGIN { printf (t ? "%.1f%%" : "-"), 100 * k / t }')
    printf '%-22s %8s %8s %8s %8s\n' "$module" "$total" "$killed" "$survived" "$score"
    grep -v ': killed$\|: timeout$' "results-$module.txt" | sed 's/^ */    /' || true
done
[[ -z "${KEEP:-}" ]] || echo "scratch copy kept: $work"
