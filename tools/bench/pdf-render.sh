#!/usr/bin/env bash
# One PDF page at 150 dpi: our render (Appliance.Documents: poppler-glib + cairo, tools/bench/PdfRenderBench) beside
# pdftoppm (poppler's Splash) on the same file in the same run; medians and the ratio. Issue 15's goal: within 1.1x.
#   tools/bench/pdf-render.sh FILE [PAGE (1-based, default 1)] [RUNS (default 11)]
# pdftoppm's time is its whole process (start, open, render, PPM to /dev/null); ours is reading + opening the file and
# rendering in a running process, and, separately, rendering alone from an open document.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 FILE [PAGE] [RUNS]" >&2; exit 2; }
file=$(readlink -f "$1")
page=${2:-1}
runs=${3:-11}
cd "$(dirname "$0")/../.."

dotnet build tools/bench/PdfRenderBench/PdfRenderBench.csproj -c Release -v:quiet -nologo >/dev/null \
  || { echo "pdf-render: could not build tools/bench/PdfRenderBench" >&2; exit 1; }
ours=$(dotnet tools/bench/PdfRenderBench/bin/Release/net10.0/PdfRenderBench.dll "$file" "$page" "$runs")
echo "$ours" | grep -v '_ms '
open_and_render=$(echo "$ours" | awk '$1 == "open_and_render_ms" { print $2 }')
render_only=$(echo "$ours" | awk '$1 == "render_only_ms" { print $2 }')

pdftoppm -r 150 -f "$page" -l "$page" "$file" >/dev/null # warm the file and font caches, as the bench's first runs do
times=()
for ((i = 0; i < runs; i++)); do
  t0=$(date +%s%N)
  pdftoppm -r 150 -f "$page" -l "$page" "$file" >/dev/null
  t1=$(date +%s%N)
  times+=("$(awk "BEGIN { printf \"%.2f\", ($t1 - $t0) / 1e6 }")")
done
pdftoppm_ms=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')

# pdftoppm's fixed cost (exec, loading poppler, opening the file) is about what a 1 dpi render of the page takes.
t0=$(date +%s%N); pdftoppm -r 1 -f "$page" -l "$page" "$file" >/dev/null; t1=$(date +%s%N)
pdftoppm_fixed_ms=$(awk "BEGIN { printf \"%.2f\", ($t1 - $t0) / 1e6 }")

echo "page $page at 150 dpi, median of $runs runs (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
echo "  pdftoppm -r 150 (whole process)    $pdftoppm_ms ms   (of which start + open, from one -r 1 run: about $pdftoppm_fixed_ms ms)"
echo "  ours, read + open + render         $open_and_render ms   ratio $(awk "BEGIN { printf \"%.2f\", $open_and_render / $pdftoppm_ms }")x"
echo "  ours, render alone (document open) $render_only ms   ratio $(awk "BEGIN { printf \"%.2f\", $render_only / $pdftoppm_ms }")x"
