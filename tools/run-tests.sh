#!/usr/bin/env bash
# Runs every test project of the solution and ends with the plain summary line CI reads:
#   N passed, N failed[, N skipped]
# Exit status is non-zero when a test failed or no test ran.
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d /tmp/appliance-trx.XXXXXX)
trap 'rm -rf "$results"' EXIT

# Every answer the in-process terminals send is recorded (tests/Appliance.TestSupport/WireRecorder.cs); the
# "AfterSuite" tests run last and read them (no answer may carry a runtime resource key instead of our words).
export APPLIANCE_WIRE_LOG="$results/wire"
quiet() { grep -vE '^\s*$|Test run for|VSTest version|Starting test execution|A total of'; }
filter=()
[ "$#" = 0 ] && filter=(--filter "Category!=AfterSuite")
dotnet test Appliance.sln --no-build -c "${CONFIGURATION:-Debug}" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "${filter[@]}" "$@" | quiet
status=${PIPESTATUS[0]}
if [ "$#" = 0 ]; then
  echo "answers recorded for the AfterSuite scan: $(cat "$APPLIANCE_WIRE_LOG"/wire-*.log 2>/dev/null | wc -l)"
  dotnet test tests/Appliance.Protocols.Tests --no-build -c "${CONFIGURATION:-Debug}" --filter "Category=AfterSuite" \
    --logger "trx;LogFileName=after-suite.trx" --logger "console;verbosity=normal" --results-directory "$results" | quiet
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
fi

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get total); x=$(get executed)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
  skipped=$((skipped + ${t:-0} - ${x:-0}))
done

if [ "$files" = 0 ] && [ "$status" != 0 ]; then failed=$((failed + 1)); fi
# CI shows only the tail of the log: name each failed test (and the first line of its message) right above the summary.
if [ "$failed" != 0 ]; then
  echo
  echo "Failed tests:"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    python3 - "$trx" <<'PY' || grep -o 'testName="[^"]*"[^>]*outcome="Failed"' "$trx" | sed 's/^/  /'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") != "Failed":
        continue
    msg = r.find("t:Output/t:ErrorInfo/t:Message", ns)
    first = (msg.text or "").strip().splitlines()[0][:300] if msg is not None and msg.text else ""
    print(f"  {r.get('testName')} ({r.get('duration')}): {first}")
PY
  done
fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" != 0 ] || [ "$failed" != 0 ] || [ "$passed" = 0 ]; then exit 1; fi
