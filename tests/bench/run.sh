#!/usr/bin/env bash
# Whole-build benchmark: scrutiny against Hugo on the same synthetic minutes, at 1,000 and
# 10,000 meetings. See tests/bench/README.md.
#
#   bash tests/bench/run.sh
#
# Environment (all optional):
#   BENCH_SIZES="1000 10000"   corpus sizes, in meetings (the targets compare the smallest and largest)
#   BENCH_SEED=1               seed of the synthetic text
#   BENCH_DIR=target/bench     where corpora, logs and CSV files go
#   BENCH_OUT=DIR              where the built sites go (default: a folder in /dev/shm when it is
#                              a writable tmpfs, else $BENCH_DIR/out)
#   BENCH_ROUNDS, BENCH_RUNS   rounds, and timed runs of each tool per round (default: 5 rounds
#                              of 4 runs up to 2,000 meetings, 3 rounds of 1 above)
#   BENCH_WARMUP=1             untimed runs of each tool at the start of each round
#   BENCH_NO_HUGO=1            skip Hugo
#
# Exit status: 0 whatever the numbers (this is a benchmark, not a test); 1 when a build fails or
# the tools cannot be built.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
read -r -a SIZES <<<"${BENCH_SIZES:-1000 10000}"
SEED="${BENCH_SEED:-1}"
WORK="${BENCH_DIR:-$ROOT/target/bench}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
if [[ -n "${BENCH_OUT:-}" ]]; then
    OUT_BASE="$BENCH_OUT"
elif [[ -d /dev/shm && -w /dev/shm ]] && [[ "$(stat -f -c %T /dev/shm 2>/dev/null)" == tmpfs ]]; then
    OUT_BASE="/dev/shm/scrutiny-bench-$$"
else
    OUT_BASE="$WORK/out"
fi
mkdir -p "$OUT_BASE"
OUT_BASE="$(cd "$OUT_BASE" && pwd)"
cleanup() { if [[ "$OUT_BASE" == /dev/shm/scrutiny-bench-* ]]; then rm -rf "$OUT_BASE"; fi; }
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# Installs a Debian package if it is missing; `apt-get update` only when the first try fails.
install_package() {
    local package="$1" sudo=""
    have apt-get || return 0
    if [[ "$(id -u)" -ne 0 ]]; then
        have sudo || return 0
        sudo="sudo -n"
    fi
    echo "installing $package (apt-get)…"
    $sudo apt-get install -y -qq "$package" >/dev/null 2>&1 ||
        { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo apt-get install -y -qq "$package" >/dev/null 2>&1; } ||
        echo "warning: could not install $package"
}

have hyperfine || install_package hyperfine
[[ -x /usr/bin/time ]] || install_package time
if [[ -z "${BENCH_NO_HUGO:-}" ]] && ! have hugo; then install_package hugo; fi
HUGO=""
if [[ -z "${BENCH_NO_HUGO:-}" ]] && have hugo; then HUGO="$(command -v hugo)"; fi

say "building scrutiny and the corpus generator (release)"
cargo build --release --quiet -p scrutiny -p scrutiny-bench-corpus
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps 2>/dev/null | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
TARGET_DIR="${TARGET_DIR:-$ROOT/target}"
SCRUTINY="$TARGET_DIR/release/scrutiny"
GENERATE="$TARGET_DIR/release/scrutiny-bench-corpus"

# time_round NAME PREPARE COMMAND WARMUP RUNS SAMPLES CPU: times COMMAND RUNS times (PREPARE
# before each, WARMUP untimed runs first) and appends each wall time to SAMPLES and each run's
# user + system seconds to CPU, one per line.
time_round() {
    local name="$1" prepare="$2" command="$3" warmup="$4" runs="$5" samples="$6" cpu="$7"
    if have hyperfine; then
        local json="$samples.round.json"
        hyperfine --style none --warmup "$warmup" --runs "$runs" --prepare "$prepare" \
            --export-json "$json" --command-name "$name" "$command" >/dev/null
        # hyperfine's JSON: "times": [ … ] lists each run; "user" and "system" are means.
        awk '/"times": \[/ { inside = 1; next } inside && /\]/ { inside = 0 }
             inside { gsub(/[ ,]/, ""); print }' "$json" >>"$samples"
        awk -v runs="$runs" -F': ' '/"user":/ { gsub(/,/, "", $2); u = $2 } /"system":/ { gsub(/,/, "", $2); s = $2 }
             END { for (i = 0; i < runs; i++) print u + s }' "$json" >>"$cpu"
        rm -f "$json"
        return
    fi
    # Without hyperfine: a plain loop (no user/system times).
    local i start end
    for ((i = 0; i < warmup; i++)); do bash -c "$prepare"; bash -c "$command" >/dev/null 2>&1; done
    for ((i = 0; i < runs; i++)); do
        bash -c "$prepare"
        start=$(date +%s.%N)
        bash -c "$command" >/dev/null 2>&1
        end=$(date +%s.%N)
        awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f\n", b - a }' >>"$samples"
    done
}

# summarize NAME SAMPLES CPU CSV: the statistics of the wall times in SAMPLES (and the mean of
# CPU) as a CSV like hyperfine's (command,mean,stddev,median,cpu,,min,max), in seconds.
summarize() {
    local name="$1" samples="$2" cpu="$3" csv="$4" cpu_mean
    cpu_mean="$(awk '{ sum += $1 } END { if (NR) printf "%f", sum / NR }' "$cpu" 2>/dev/null || true)"
    sort -g "$samples" | awk -v name="$name" -v cpu="$cpu_mean" '
        { t[NR] = $1; sum += $1 }
        END {
            mean = sum / NR
            for (i = 1; i <= NR; i++) ss += (t[i] - mean) ^ 2
            sd = NR > 1 ? sqrt(ss / (NR - 1)) : 0
            median = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
            print "command,mean,stddev,median,user,system,min,max"
            printf "%s,%f,%f,%f,%s,0,%f,%f\n", name, mean, sd, median, cpu, t[1], t[NR]
        }' >"$csv"
    echo "$name: median $(sed -n '2p' "$csv" | cut -d, -f4) s, mean $(sed -n '2p' "$csv" | cut -d, -f2) s over $(wc -l <"$samples") runs"
}

# csv_field CSV COLUMN: a column of the result line of a CSV written by `times`.
csv_field() { sed -n '2p' "$1" | cut -d, -f"$2"; }
# peak_rss LOG: "Maximum resident set size" of a /usr/bin/time -v log, in MB.
peak_rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# read_times N PREFIX CSV: hyperfine's figures for size N into RESULT[N,PREFIX{mean,sd,median,min,cpu}].
read_times() {
    local n="$1" prefix="$2" csv="$3"
    RESULT[$n,${prefix}mean]="$(csv_field "$csv" 2)"
    RESULT[$n,${prefix}sd]="$(csv_field "$csv" 3)"
    RESULT[$n,${prefix}median]="$(csv_field "$csv" 4)"
    RESULT[$n,${prefix}min]="$(csv_field "$csv" 7)"
    RESULT[$n,${prefix}cpu]="$(calc '%.3f' "0$(csv_field "$csv" 5) + 0$(csv_field "$csv" 6)")"
}

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); outputs in $OUT_BASE ($(stat -f -c %T "$OUT_BASE"))"
echo "scrutiny: $("$SCRUTINY" --version) at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]] && echo ' (uncommitted changes)')"
if [[ -n "$HUGO" ]]; then echo "hugo: $("$HUGO" version | cut -d' ' -f1-2)"; else echo "hugo: not installed; Hugo columns and the speed target are skipped"; fi

declare -A RESULT
failed=0
for n in "${SIZES[@]}"; do
    site="$WORK/corpus-$n"
    out="$OUT_BASE/scrutiny-$n"
    hugo_out="$OUT_BASE/hugo-$n"
    if ((n <= 2000)); then rounds="${BENCH_ROUNDS:-5}" runs="${BENCH_RUNS:-4}"; else rounds="${BENCH_ROUNDS:-3}" runs="${BENCH_RUNS:-1}"; fi
    warmup="${BENCH_WARMUP:-1}"

    say "$n meetings: generating the corpus (seed $SEED)"
    "$GENERATE" --meetings "$n" --seed "$SEED" --out "$site"

    say "$n meetings: scrutiny build, checked once"
    rm -rf "$out"
    if ! /usr/bin/time -v "$SCRUTINY" build --root "$site" --out "$out" >"$WORK/scrutiny-$n.log" 2>&1; then
        cat "$WORK/scrutiny-$n.log"
        echo "FAIL: scrutiny could not build the $n-meeting corpus"
        failed=1
        break
    fi
    grep '^built' "$WORK/scrutiny-$n.log"
    RESULT[$n,pages]="$(sed -n 's/^built \([0-9]*\) pages.*/\1/p' "$WORK/scrutiny-$n.log")"
    RESULT[$n,rss]="$(peak_rss "$WORK/scrutiny-$n.log")"
    rm -rf "$out"

    if [[ -n "$HUGO" ]]; then
        say "$n meetings: hugo on the same Markdown, checked once"
        rm -rf "$hugo_out"
        if ! /usr/bin/time -v "$HUGO" --quiet -s "$site/hugo-site" -d "$hugo_out" >"$WORK/hugo-$n.log" 2>&1; then
            cat "$WORK/hugo-$n.log"
            echo "FAIL: hugo could not build the $n-meeting corpus"
            failed=1
            break
        fi
        RESULT[$n,hugo_pages]="$(find "$hugo_out" -name '*.html' | wc -l)"
        RESULT[$n,hugo_rss]="$(peak_rss "$WORK/hugo-$n.log")"
        echo "hugo wrote ${RESULT[$n,hugo_pages]} pages"
    fi

    # The two tools take turns, round after round, so a change in the machine's load (other
    # virtual machines, a build elsewhere) falls on both alike.
    say "$n meetings: timing, $rounds rounds of $warmup warm-up and $runs runs each$([[ -n "$HUGO" ]] && echo ', scrutiny then Hugo')"
    rm -f "$WORK/scrutiny-$n".{samples,cpu} "$WORK/hugo-$n".{samples,cpu}
    for ((round = 1; round <= rounds; round++)); do
        time_round "scrutiny-$n" "rm -rf '$out'" "'$SCRUTINY' build --root '$site' --out '$out'" \
            "$warmup" "$runs" "$WORK/scrutiny-$n.samples" "$WORK/scrutiny-$n.cpu"
        if [[ -n "$HUGO" ]]; then
            time_round "hugo-$n" "rm -rf '$hugo_out'" "'$HUGO' --quiet -s '$site/hugo-site' -d '$hugo_out'" \
                "$warmup" "$runs" "$WORK/hugo-$n.samples" "$WORK/hugo-$n.cpu"
        fi
        echo "round $round of $rounds done"
    done
    summarize "scrutiny-$n" "$WORK/scrutiny-$n.samples" "$WORK/scrutiny-$n.cpu" "$WORK/scrutiny-$n.csv"
    read_times "$n" "" "$WORK/scrutiny-$n.csv"
    rm -rf "$out"
    if [[ -n "$HUGO" ]]; then
        summarize "hugo-$n" "$WORK/hugo-$n.samples" "$WORK/hugo-$n.cpu" "$WORK/hugo-$n.csv"
        read_times "$n" "hugo_" "$WORK/hugo-$n.csv"
        rm -rf "$hugo_out"
    fi
done

if ((failed)); then exit 1; fi

say "summary (wall times in seconds; the targets use the median; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-9s | %-16s %7s %7s %6s %6s %8s %7s | %-16s %7s %7s %6s %6s %7s | %8s %8s\n' \
    meetings "scrutiny mean+-sd" median min cpu pages pages/s "RSS MB" "hugo mean+-sd" median min cpu pages "RSS MB" hugo/scr "cpu h/s"
printf '%s\n' "----------+-----------------------------------------------------------------------+---------------------------------------------------------------+------------------"
for n in "${SIZES[@]}"; do
    pps="$(calc '%.0f' "${RESULT[$n,pages]} / ${RESULT[$n,median]}")"
    if [[ -n "$HUGO" ]]; then
        hugo_cols="$(printf '%-16s %7.3f %7.3f %6.2f %6s %7s' "$(calc '%.3f+-%.3f' "${RESULT[$n,hugo_mean]}, ${RESULT[$n,hugo_sd]}")" \
            "${RESULT[$n,hugo_median]}" "${RESULT[$n,hugo_min]}" "${RESULT[$n,hugo_cpu]}" "${RESULT[$n,hugo_pages]}" "${RESULT[$n,hugo_rss]}")"
        ratio="$(calc '%.2fx' "${RESULT[$n,hugo_median]} / ${RESULT[$n,median]}")"
        cpu_ratio="$(calc '%.2fx' "${RESULT[$n,hugo_cpu]} / ${RESULT[$n,cpu]}")"
    else
        hugo_cols="$(printf '%-16s %7s %7s %6s %6s %7s' - - - - - -)"
        ratio="-" cpu_ratio="-"
    fi
    printf '%-9s | %-16s %7.3f %7.3f %6.2f %6s %8s %7s | %s | %8s %8s\n' "$n" \
        "$(calc '%.3f+-%.3f' "${RESULT[$n,mean]}, ${RESULT[$n,sd]}")" "${RESULT[$n,median]}" "${RESULT[$n,min]}" "${RESULT[$n,cpu]}" \
        "${RESULT[$n,pages]}" "$pps" "${RESULT[$n,rss]}" "$hugo_cols" "$ratio" "$cpu_ratio"
done
echo "(cpu: mean user + system seconds per build, all threads; cpu h/s: Hugo's cpu over scrutiny's)"

say "targets"
small="${SIZES[0]}"
large="${SIZES[${#SIZES[@]} - 1]}"
if [[ -n "$HUGO" ]]; then
    ratio="$(calc '%.2f' "${RESULT[$small,hugo_median]} / ${RESULT[$small,median]}")"
    if awk "BEGIN { exit !($ratio >= 5) }"; then verdict=PASS; else verdict=FAIL; fi
    echo "$verdict: scrutiny at least 5x faster than Hugo at $small meetings (measured ${ratio}x: $(calc '%.3f' "${RESULT[$small,median]}") s against $(calc '%.3f' "${RESULT[$small,hugo_median]}") s)"
else
    echo "SKIP: scrutiny at least 5x faster than Hugo at $small meetings (hugo not installed)"
fi
if [[ "$small" != "$large" ]]; then
    per_small="$(calc '%.3f' "1000 * ${RESULT[$small,median]} / $small")"
    per_large="$(calc '%.3f' "1000 * ${RESULT[$large,median]} / $large")"
    growth="$(calc '%.2f' "$per_large / $per_small")"
    if awk "BEGIN { exit !($growth <= 1.5) }"; then verdict=PASS; else verdict=FAIL; fi
    echo "$verdict: roughly linear from $small to $large meetings (time per meeting ${per_small} ms -> ${per_large} ms: ${growth}x, limit 1.5x)"
    if [[ -n "$HUGO" ]]; then
        hugo_growth="$(calc '%.2f' "(${RESULT[$large,hugo_median]} / $large) / (${RESULT[$small,hugo_median]} / $small)")"
        echo "info: Hugo's time per meeting grows ${hugo_growth}x over the same range"
    fi
else
    echo "SKIP: linear growth (needs two sizes)"
fi
echo "CSV files and logs: $WORK"
exit 0
