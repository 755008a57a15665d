#!/usr/bin/env bash
# Hostile inputs at several sizes: the time of `scrutiny check` on the shipped site with one
# file replaced by each hostile input of crates/bench-corpus/src/hostile.rs, at 1, 10 and 50 MB,
# so that how the cost grows is visible. See tests/bench/README.md.
#
#   bash tests/bench/hostile.sh
#
# Environment (all optional):
#   BENCH_HOSTILE_CASES="resolutions reference-line …"   the cases (default: every one)
#   BENCH_HOSTILE_SIZES="1 10 50"   sizes of the hostile file, in MB (decimals allowed: 0.3)
#   BENCH_HOSTILE_COMMAND=check     `check`, or `build` (into a folder next to the site)
#   BENCH_HOSTILE_BASELINE=PATH     another scrutiny binary (an older build) to time beside it
#   BENCH_HOSTILE_TIMEOUT=120       seconds after which a run is stopped and shown as `>120`
#   BENCH_DIR=target/bench          where the sites (hostile/CASE) and the summary CSV go
#
# It prints figures and never fails on them. Exit status 1 only when the tools cannot be built
# or a run ends other than with exit code 0 or 1 (a crash).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
WORK="${BENCH_DIR:-$ROOT/target/bench}"
mkdir -p "$WORK/hostile"
WORK="$(cd "$WORK" && pwd)"
read -r -a SIZES <<<"${BENCH_HOSTILE_SIZES:-1 10 50}"
COMMAND="${BENCH_HOSTILE_COMMAND:-check}"
TIMEOUT="${BENCH_HOSTILE_TIMEOUT:-120}"
BASELINE="${BENCH_HOSTILE_BASELINE:-}"

echo "building scrutiny and the corpus generator (release)…"
cargo build --release -q -p scrutiny -p scrutiny-bench-corpus
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SCRUTINY="$TARGET_DIR/release/scrutiny"
GENERATE="$TARGET_DIR/release/scrutiny-bench-corpus"
if [[ -n "${BENCH_HOSTILE_CASES:-}" ]]; then
    read -r -a CASES <<<"$BENCH_HOSTILE_CASES"
else
    mapfile -t CASES < <("$GENERATE" --hostile list | awk '{print $1}')
fi

# One timed run: prints "seconds cpu-seconds peak-MB exit-code report-bytes"; seconds is ">T"
# when stopped.
# The report is kept in LOG when one is given (a baseline's may run to gigabytes: only counted).
time_run() {
    local binary="$1" site="$2" log="${3:-}" args=(--root "$site" "$COMMAND")
    [[ "$COMMAND" == build ]] && args+=(--out "$site/../out")
    local status="$WORK/hostile/.status" started ended report
    started=$(date +%s.%N)
    report=$({
        code=0
        timeout "$TIMEOUT" /usr/bin/time -f '%M %U %S' -o "$status.rss" "$binary" "${args[@]}" 2>&1 >/dev/null || code=$?
        echo "$code" >"$status.code"
    } | if [[ -n "$log" ]]; then tee "$log" | wc -c; else wc -c; fi)
    ended=$(date +%s.%N)
    local seconds rss cpu code
    code=$(cat "$status.code")
    seconds=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.2f", b - a }')
    [[ "$code" -eq 124 ]] && seconds=">$TIMEOUT"
    rss=$(awk '/^[0-9]+ / { printf "%.0f", $1 / 1024 }' "$status.rss" 2>/dev/null || true)
    cpu=$(awk '/^[0-9]+ / { printf "%.2f", $2 + $3 }' "$status.rss" 2>/dev/null || true)
    [[ "$code" -eq 124 ]] && cpu="-"
    echo "$seconds ${cpu:--} ${rss:-?} $code $report"
}

[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is needed (Debian package: time)"; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; command: scrutiny $COMMAND"
CSV="$WORK/hostile.csv"
echo "case,mb,bytes,units,seconds,cpu_seconds,peak_mb,exit,report_bytes,baseline_seconds" >"$CSV"
header="case                    size   units       wall     cpu   cpu ms/MB   peak RSS  exit   report"
[[ -n "$BASELINE" ]] && header+="     baseline"
printf '\n%s\n' "$header"
crashed=0
for case in "${CASES[@]}"; do
    site="$WORK/hostile/$case/site"
    for mb in "${SIZES[@]}"; do
        bytes=$(awk -v mb="$mb" 'BEGIN { printf "%d", mb * 1000000 }')
        read -r _ written units _ < <("$GENERATE" --hostile "$case" --bytes "$bytes" --out "$site")
        read -r seconds cpu rss code report < <(time_run "$SCRUTINY" "$site" "$WORK/hostile/$case/report.txt")
        if [[ "$code" != 0 && "$code" != 1 && "$code" != 124 ]]; then
            crashed=1
            seconds="CRASH($code)"
        fi
        per_mb=$(awk -v s="$cpu" -v b="$written" 'BEGIN { if (s ~ /^[0-9.]+$/) printf "%.0f", s * 1000 / (b / 1e6); else print "-" }')
        line=$(printf '%-22s %5s MB %8s %8s s %6s s %8s %7s MB %5s %7s B' "$case" "$mb" "$units" "$seconds" "$cpu" "$per_mb" "$rss" "$code" "$report")
        baseline_seconds=""
        if [[ -n "$BASELINE" ]]; then
            read -r baseline_seconds _ _ _ _ < <(time_run "$BASELINE" "$site")
            line+=$(printf ' %10s s' "$baseline_seconds")
        fi
        echo "$line"
        echo "$case,$mb,$written,$units,$seconds,$cpu,$rss,$code,$report,$baseline_seconds" >>"$CSV"
    done
    rm -rf "$WORK/hostile/$case/out" "$site"
done
echo
echo "cpu ms/MB (user + system time per MB) stays about the same from size to size when the cost"
echo "grows linearly; wall time moves with whatever else the machine is doing."
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); figures in $CSV"
exit "$crashed"
