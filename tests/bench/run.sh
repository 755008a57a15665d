#!/usr/bin/env bash
# Whole-build benchmark of issue 14: scrutiny against Hugo on the same synthetic minutes, cold
# builds on the real disk and on tmpfs, peak memory, a 100,000-meeting build under a watchdog,
# and rebuilds with nothing changed and after one minutes file changes. See tests/bench/README.md.
#
#   bash tests/bench/run.sh
#
# Environment (all optional):
#   BENCH_SIZES="1000 10000"   corpus sizes, in meetings: the speed targets use the first and the
#                              last, the memory and unchanged-rebuild targets the last, the
#                              one-change rebuild and the 100,000 comparison the first
#   BENCH_SEED=1               seed of the synthetic text
#   BENCH_DIR=target/bench     where corpora, logs, CSV files and summary.md go
#   BENCH_OUT=DIR              where the built sites go on disk (default $BENCH_DIR/out)
#   BENCH_TMPFS=DIR            a tmpfs for the second table (default /dev/shm if it is one; 0 skips)
#   BENCH_ROUNDS, BENCH_RUNS   rounds, and timed runs of each tool per round, of the cold builds
#                              (default: 5 rounds of 4 runs up to 2,000 meetings, 3 rounds of 1 above)
#   BENCH_WARMUP=1             untimed runs of each tool at the start of each round
#   BENCH_NO_HUGO=1            skip Hugo
#   BENCH_SEARCH=0             skip the builds with the search index (the targets' builds, like
#                              Hugo's, make none: the corpus's site.toml says `search = false`)
#   BENCH_SCRUTINY=PATH        time this scrutiny binary instead of the one built here
#   BENCH_REBUILD_RUNS=5       timed rebuilds with nothing changed
#   BENCH_CHANGE_RUNS=10       timed rebuilds after one minutes file changed
#   BENCH_HUGE=1               0 skips the 100,000-meeting build
#   BENCH_HUGE_SIZE=100000     its size, in meetings
#   BENCH_HUGE_STOP_MIB=2048   the watchdog stops that build once its resident memory passes this
#   BENCH_HUGE_TIMEOUT=1200    … or once it has run this many seconds
#
# Exit status: 0 whatever the numbers (this is a benchmark, not a test); 1 when a build fails or
# the tools cannot be built.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ -n "${BENCH_SCRUTINY:-}" ]]; then BENCH_SCRUTINY="$(realpath "$BENCH_SCRUTINY")"; fi
cd "$ROOT"
read -r -a SIZES <<<"${BENCH_SIZES:-1000 10000}"
SEED="${BENCH_SEED:-1}"
WARMUP="${BENCH_WARMUP:-1}"
REBUILD_RUNS="${BENCH_REBUILD_RUNS:-5}"
CHANGE_RUNS="${BENCH_CHANGE_RUNS:-10}"
HUGE="${BENCH_HUGE:-1}"
SEARCH="${BENCH_SEARCH:-1}"
HUGE_SIZE="${BENCH_HUGE_SIZE:-100000}"
HUGE_STOP_MIB="${BENCH_HUGE_STOP_MIB:-2048}"
HUGE_TIMEOUT="${BENCH_HUGE_TIMEOUT:-1200}"
if ((HUGE_STOP_MIB % 1024)); then HUGE_STOP="$HUGE_STOP_MIB MiB"; else HUGE_STOP="$((HUGE_STOP_MIB / 1024)) GiB"; fi
SMALL="${SIZES[0]}"
LARGE="${SIZES[${#SIZES[@]} - 1]}"
WORK="${BENCH_DIR:-$ROOT/target/bench}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
OUT_BASE="${BENCH_OUT:-$WORK/out}"
mkdir -p "$OUT_BASE"
OUT_BASE="$(cd "$OUT_BASE" && pwd)"
SUMMARY="$WORK/summary.md"

say() { printf '\n== %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
fs_type() { stat -f -c %T "$1" 2>/dev/null || echo unknown; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# The tmpfs of the second table, or "" (with the reason in TMPFS_NOTE) when there is none.
TMPFS="" TMPFS_NOTE=""
if [[ "${BENCH_TMPFS:-}" == 0 ]]; then
    TMPFS_NOTE="skipped (BENCH_TMPFS=0)"
else
    tmpfs_dir="${BENCH_TMPFS:-/dev/shm}"
    if [[ -d "$tmpfs_dir" && -w "$tmpfs_dir" && "$(fs_type "$tmpfs_dir")" == tmpfs ]]; then
        TMPFS="$tmpfs_dir/scrutiny-bench-$$"
        mkdir -p "$TMPFS"
    else
        TMPFS_NOTE="skipped: $tmpfs_dir is not a writable tmpfs"
    fi
fi

# The minutes file changed by the one-change rebuilds is put back, whatever happens, from the
# copy kept in $WORK/change/ (also at the start, after a run that was killed).
CHANGE_DIR="$WORK/change"
restore_changed_file() {
    if [[ -f "$CHANGE_DIR/path" && -f "$CHANGE_DIR/original.md" ]]; then
        cp "$CHANGE_DIR/original.md" "$(cat "$CHANGE_DIR/path")"
        rm -f "$CHANGE_DIR/path"
    fi
}
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    restore_changed_file
    if [[ -n "$TMPFS" ]]; then rm -rf "$TMPFS"; fi
}
trap cleanup EXIT
restore_changed_file

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
if [[ ! -x /usr/bin/time ]]; then echo "error: /usr/bin/time (GNU time) is needed"; exit 1; fi
if [[ -z "${BENCH_NO_HUGO:-}" ]] && ! have hugo; then install_package hugo; fi
HUGO=""
if [[ -z "${BENCH_NO_HUGO:-}" ]] && have hugo; then HUGO="$(command -v hugo)"; fi

say "building scrutiny and the corpus generator (release)"
cargo build --release --quiet -p scrutiny -p scrutiny-bench-corpus
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps 2>/dev/null | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
TARGET_DIR="${TARGET_DIR:-$ROOT/target}"
SCRUTINY="${BENCH_SCRUTINY:-$TARGET_DIR/release/scrutiny}"
GENERATE="$TARGET_DIR/release/scrutiny-bench-corpus"

# ---------------------------------------------------------------------------------------------
# Helpers: corpora, cleaning, timing, parsing.

# What a corpus depends on: the generator's sources, the random generator's and the theme it
# copies. A corpus whose stamp matches is reused (100,000 meetings are ~430 MB to write).
SOURCES_HASH="$(find crates/bench-corpus crates/mutate/src themes -type f -print0 | sort -z |
    xargs -0 sha256sum | sha256sum | cut -c1-16)"
corpus_stamp() { echo "meetings $1 seed $SEED sources $SOURCES_HASH"; }

# corpus N: makes sure $WORK/corpus-N holds the N-meeting corpus, writing it only if needed.
corpus() {
    local n="$1" site="$WORK/corpus-$1"
    if [[ -f "$site/.scrutiny-bench-corpus" && "$(cat "$site/.bench-stamp" 2>/dev/null)" == "$(corpus_stamp "$n")" ]]; then
        echo "reusing the $n-meeting corpus in $site"
    else
        "$GENERATE" --meetings "$n" --seed "$SEED" --out "$site"
        corpus_stamp "$n" >"$site/.bench-stamp"
    fi
    # Like for like: Hugo makes no search index, so the builds the targets time make none.
    sed -i '/^search = false$/d' "$site/site.toml"
    sed -i '1i search = false' "$site/site.toml"
}

# with_search N: the N-meeting corpus as scrutiny builds it by default, with the search index
# (a folder beside it whose content and theme are the corpus's): one cold build on disk, then
# one rebuild with nothing changed.
with_search() {
    local n="$1" site="$WORK/corpus-$1-search" out="$OUT_BASE/scrutiny-search-$1" key="search-$1"
    local log="$WORK/search-$1.log"
    say "$n meetings, on disk, with the search index: one cold build, one rebuild with nothing changed"
    rm -rf "$site"
    mkdir -p "$site"
    ln -s "$WORK/corpus-$n/content" "$site/content"
    ln -s "$WORK/corpus-$n/themes" "$site/themes"
    grep -v '^search = false$' "$WORK/corpus-$n/site.toml" >"$site/site.toml"
    clean "$out"
    for run in cold rebuild; do
        if ! SCRUTINY_TIMINGS=1 /usr/bin/time -v -o "$log.$run.time" "$SCRUTINY" build --root "$site" --out "$out" >"$log.$run" 2>&1; then
            cat "$log.$run"
            echo "FAIL: scrutiny could not build the $n-meeting corpus with the search index (log: $log.$run)"
            exit 1
        fi
        grep '^built' "$log.$run" || true
        RESULT[$key,$run,wall]="$(wall_seconds "$log.$run.time")"
        RESULT[$key,$run,rss]="$(peak_mib "$log.$run.time")"
        RESULT[$key,$run,written]="$(count_in "$log.$run" written)"
        RESULT[$key,$run,search]="$(timing_in "$log.$run" "search index")"
    done
    clean "$out"
    rm -rf "$site"
}

# The cache scrutiny keeps beside an output folder: <parent of --out>/.scrutiny-cache/.
cache_of() { echo "$(dirname "$1")/.scrutiny-cache"; }
# clean_command OUT: the shell command that removes an output folder, its cache and any staging
# folder a stopped build left beside it, then writes back what is dirty (so that one run's
# writeback does not fall on the next).
clean_command() {
    printf "rm -rf '%s' '%s' '%s/.%s.'*; sync" "$1" "$(cache_of "$1")" "$(dirname "$1")" "$(basename "$1")"
}
clean() { bash -c "$(clean_command "$1")"; }

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

# csv_field CSV COLUMN: a column of the result line of a CSV written by `summarize`.
csv_field() { sed -n '2p' "$1" | cut -d, -f"$2"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# holds CONDITION: true when the awk condition holds.
holds() { awk "BEGIN { exit !($1) }"; }
verdict() { if holds "$1"; then echo PASS; else echo FAIL; fi; }
# peak_mib TIMELOG: "Maximum resident set size" (KiB) of a /usr/bin/time -v log, in MiB.
peak_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }
# wall_seconds TIMELOG: the elapsed time of a /usr/bin/time -v log ([h:]m:s), in seconds.
wall_seconds() {
    awk '/Elapsed \(wall clock\)/ { n = split($NF, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$1"
}
# count_in LOG KIND: the number of a `count: KIND N` line of a build's stderr, or NA.
count_in() { awk -v k="$2" '$1 == "count:" && $2 == k { v = $3 } END { print (v == "" ? "NA" : v) }' "$1"; }
# timing_in LOG NAME: the milliseconds of a `timing: NAME   N ms` line, or NA.
timing_in() {
    awk -v name="timing: $2" 'index($0, name) == 1 { for (i = NF; i > 2; i--) if ($i == "ms" || $i == "ms,") { v = $(i - 1); break } }
        END { print (v == "" ? "NA" : v) }' "$1"
}
shown() { if [[ "$1" == NA || -z "$1" ]]; then echo "not measured"; else echo "$1"; fi; }
COUNTS=(parsed rendered written unchanged removed)
# read_counts LOG KEY: the counts and the "until the last file written" time of one build.
read_counts() {
    local kind
    for kind in "${COUNTS[@]}"; do RESULT[$2,$kind]="$(count_in "$1" "$kind")"; done
    RESULT[$2,until]="$(timing_in "$1" "until the last file written")"
}
# read_times KEY CSV: the figures of a CSV written by `summarize` into RESULT[KEY,…].
read_times() {
    local key="$1" csv="$2"
    RESULT[$key,mean]="$(csv_field "$csv" 2)"
    RESULT[$key,sd]="$(csv_field "$csv" 3)"
    RESULT[$key,median]="$(csv_field "$csv" 4)"
    RESULT[$key,min]="$(csv_field "$csv" 7)"
    RESULT[$key,cpu]="$(calc '%.3f' "0$(csv_field "$csv" 5) + 0$(csv_field "$csv" 6)")"
}
# split_runs LOG SKIP: one CSV line per build logged in LOG (each after a `--- run` line),
# leaving out the first SKIP (the warm-up): parsed,rendered,written,unchanged,removed,until_ms.
split_runs() {
    awk -v skip="$2" '
        function emit() { if (run > skip) print c["parsed"] "," c["rendered"] "," c["written"] "," c["unchanged"] "," c["removed"] "," until }
        function reset() { split("", c); for (i = 1; i <= 5; i++) c[kinds[i]] = "NA"; until = "NA" }
        BEGIN { split("parsed rendered written unchanged removed", kinds, " "); reset() }
        /^--- run/ { if (run) emit(); run++; reset(); next }
        $1 == "count:" { c[$2] = $3 }
        index($0, "timing: until the last file written") == 1 { for (i = NF; i > 2; i--) if ($i == "ms" || $i == "ms,") { until = $(i - 1); break } }
        END { if (run) emit() }' "$1"
}
# column_stat CSV COLUMN STAT: median or max of a column of split_runs' lines, NA when unmeasured.
column_stat() {
    cut -d, -f"$2" "$1" | { grep -v '^NA$' || true; } | sort -g | awk -v stat="$3" '
        { t[NR] = $1 }
        END {
            if (!NR) { print "NA"; exit }
            if (stat == "max") print t[NR]
            else print (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2)
        }'
}
# store_last_run CSV KEY: the counts of the last build of a split_runs CSV into RESULT[KEY,…].
store_last_run() {
    local line i=1 kind
    line="$(tail -n 1 "$1")"
    for kind in "${COUNTS[@]}" until; do RESULT[$2,$kind]="$(cut -d, -f$i <<<"$line")"; i=$((i + 1)); done
}

# scrutiny_once N OUT KEY: one cold build (output and cache removed first) under /usr/bin/time -v,
# timings and counts on; stops the benchmark if it fails. Records pages, peak RSS and counts.
scrutiny_once() {
    local n="$1" out="$2" key="$3" log="$WORK/$3.log"
    clean "$out"
    if ! SCRUTINY_TIMINGS=1 /usr/bin/time -v -o "$log.time" "$SCRUTINY" build --root "$WORK/corpus-$n" --out "$out" >"$log" 2>&1; then
        cat "$log"
        echo "FAIL: scrutiny could not build the $n-meeting corpus (log: $log)"
        exit 1
    fi
    grep '^built' "$log" || true
    RESULT[$key,pages]="$(sed -n 's/^built \([0-9]*\) pages.*/\1/p' "$log")"
    RESULT[$key,rss]="$(peak_mib "$log.time")"
    RESULT[$key,wall]="$(wall_seconds "$log.time")"
    read_counts "$log" "$key"
}

# hugo_once N OUT KEY: the same for Hugo.
hugo_once() {
    local n="$1" out="$2" key="$3" log="$WORK/$3.log"
    clean "$out"
    if ! /usr/bin/time -v -o "$log.time" "$HUGO" --quiet -s "$WORK/corpus-$n/hugo-site" -d "$out" >"$log" 2>&1; then
        cat "$log"
        echo "FAIL: hugo could not build the $n-meeting corpus (log: $log)"
        exit 1
    fi
    RESULT[$key,pages]="$(find "$out" -name '*.html' | wc -l)"
    RESULT[$key,rss]="$(peak_mib "$log.time")"
    echo "hugo wrote ${RESULT[$key,pages]} pages"
}

# cold MEDIUM BASE N: target 1's cold builds of the N-meeting corpus with the outputs in BASE:
# each tool checked once, then timed in rounds, taking turns.
cold() {
    local medium="$1" base="$2" n="$3" rounds runs round
    local site="$WORK/corpus-$n" out="$2/scrutiny-$3" hugo_out="$2/hugo-$3"
    local key="$medium-$n"
    if ((n <= 2000)); then rounds="${BENCH_ROUNDS:-5}" runs="${BENCH_RUNS:-4}"; else rounds="${BENCH_ROUNDS:-3}" runs="${BENCH_RUNS:-1}"; fi

    say "$n meetings, outputs on $medium ($base): scrutiny build, checked once"
    scrutiny_once "$n" "$out" "scrutiny-$key"
    if [[ "$medium" == disk && "$n" == "$LARGE" ]]; then RESULT[disk-output-kib]="$(du -sk "$out" | cut -f1)"; fi
    clean "$out"
    if [[ -n "$HUGO" ]]; then
        say "$n meetings, outputs on $medium: hugo on the same Markdown, checked once"
        hugo_once "$n" "$hugo_out" "hugo-$key"
        clean "$hugo_out"
    fi

    # The two tools take turns, round after round, so a change in the machine's load (other
    # virtual machines, a build elsewhere) falls on both alike.
    say "$n meetings, outputs on $medium: timing, $rounds rounds of $WARMUP warm-up and $runs runs each$([[ -n "$HUGO" ]] && echo ', scrutiny then Hugo')"
    rm -f "$WORK/scrutiny-$key".{samples,cpu} "$WORK/hugo-$key".{samples,cpu}
    for ((round = 1; round <= rounds; round++)); do
        time_round "scrutiny-$key" "$(clean_command "$out")" "'$SCRUTINY' build --root '$site' --out '$out'" \
            "$WARMUP" "$runs" "$WORK/scrutiny-$key.samples" "$WORK/scrutiny-$key.cpu"
        if [[ -n "$HUGO" ]]; then
            time_round "hugo-$key" "$(clean_command "$hugo_out")" "'$HUGO' --quiet -s '$site/hugo-site' -d '$hugo_out'" \
                "$WARMUP" "$runs" "$WORK/hugo-$key.samples" "$WORK/hugo-$key.cpu"
        fi
        echo "round $round of $rounds done"
    done
    summarize "scrutiny-$key" "$WORK/scrutiny-$key.samples" "$WORK/scrutiny-$key.cpu" "$WORK/scrutiny-$key.csv"
    read_times "scrutiny-$key" "$WORK/scrutiny-$key.csv"
    clean "$out"
    if [[ -n "$HUGO" ]]; then
        summarize "hugo-$key" "$WORK/hugo-$key.samples" "$WORK/hugo-$key.cpu" "$WORK/hugo-$key.csv"
        read_times "hugo-$key" "$WORK/hugo-$key.csv"
        clean "$hugo_out"
    fi
}

# rebuild_unchanged N: target 4. A cold build, then timed rebuilds of the unchanged corpus into
# the same output (nothing removed between them), each build's counts logged.
rebuild_unchanged() {
    local n="$1" key="rebuild-unchanged-$1" site="$WORK/corpus-$1" out="$OUT_BASE/scrutiny-$1"
    local log="$WORK/rebuild-unchanged-$1.builds.log"
    say "$n meetings, on disk: $REBUILD_RUNS rebuilds with nothing changed, after a cold build"
    scrutiny_once "$n" "$out" "cold-before-rebuild-$n"
    : >"$log"
    rm -f "$WORK/$key".{samples,cpu}
    time_round "$key" "echo '--- run' >>'$log'" "SCRUTINY_TIMINGS=1 '$SCRUTINY' build --root '$site' --out '$out' 2>>'$log'" \
        0 "$REBUILD_RUNS" "$WORK/$key.samples" "$WORK/$key.cpu"
    summarize "$key" "$WORK/$key.samples" "$WORK/$key.cpu" "$WORK/$key.csv"
    read_times "$key" "$WORK/$key.csv"
    split_runs "$log" 0 >"$WORK/$key.runs.csv"
    store_last_run "$WORK/$key.runs.csv" "$key"
    RESULT[$key,written_max]="$(column_stat "$WORK/$key.runs.csv" 3 max)"
    clean "$out"
}

# The paragraph the one-change rebuilds append to a meeting's last item, and take away again.
CHANGE_TEXT="Synthetic paragraph appended by the benchmark to time a rebuild after one change; not real minutes."

# rebuild_after_change N: target 5. A cold build, then timed rebuilds into the same output,
# one minutes file changed before each (it alternates between its own text and its text with
# one more paragraph, so each build sees a change); the file is restored at the end.
rebuild_after_change() {
    local n="$1" key="rebuild-change-$1" site="$WORK/corpus-$1" out="$OUT_BASE/scrutiny-$1"
    local log="$WORK/rebuild-change-$1.builds.log" file toggle
    local -a files
    mapfile -t files < <(find "$site/content/minutes" -name '*.md' | sort)
    file="${files[${#files[@]} / 2]}"
    say "$n meetings, on disk: $CHANGE_RUNS rebuilds after one minutes file changes (${file#"$site"/})"
    mkdir -p "$CHANGE_DIR"
    cp "$file" "$CHANGE_DIR/original.md"
    { cat "$file"; printf '\n%s\n' "$CHANGE_TEXT"; } >"$CHANGE_DIR/changed.md"
    echo "$file" >"$CHANGE_DIR/path"

    scrutiny_once "$n" "$out" "cold-before-change-$n"
    # The changed file must stay valid minutes: one rebuild with it, checked.
    cp "$CHANGE_DIR/changed.md" "$file"
    if ! SCRUTINY_TIMINGS=1 "$SCRUTINY" build --root "$site" --out "$out" >"$WORK/$key.check.log" 2>&1; then
        cat "$WORK/$key.check.log"
        echo "FAIL: scrutiny could not rebuild the $n-meeting corpus after the change to $file"
        exit 1
    fi
    toggle="if cmp -s '$file' '$CHANGE_DIR/original.md'; then cp '$CHANGE_DIR/changed.md' '$file'; else cp '$CHANGE_DIR/original.md' '$file'; fi; echo '--- run' >>'$log'"
    : >"$log"
    rm -f "$WORK/$key".{samples,cpu}
    time_round "$key" "$toggle" "SCRUTINY_TIMINGS=1 '$SCRUTINY' build --root '$site' --out '$out' 2>>'$log'" \
        "$WARMUP" "$CHANGE_RUNS" "$WORK/$key.samples" "$WORK/$key.cpu"
    restore_changed_file
    summarize "$key" "$WORK/$key.samples" "$WORK/$key.cpu" "$WORK/$key.csv"
    read_times "$key" "$WORK/$key.csv"
    split_runs "$log" "$WARMUP" >"$WORK/$key.runs.csv"
    store_last_run "$WORK/$key.runs.csv" "$key"
    RESULT[$key,until_median]="$(column_stat "$WORK/$key.runs.csv" 6 median)"
    RESULT[$key,until_runs]="$(cut -d, -f6 "$WORK/$key.runs.csv" | grep -vc '^NA$' || true)"
    clean "$out"
}

# watched STOP_KIB TIMEOUT TIMELOG LOG COMMAND…: runs COMMAND under /usr/bin/time -v (stderr
# to LOG) and polls its resident memory (VmRSS) every 50 ms: SIGKILL once it passes STOP_KIB or
# has run TIMEOUT seconds. Sets WATCH_STOPPED ("", memory, time), WATCH_STATUS, WATCH_SEEN_KIB.
watched() {
    local stop_kib="$1" timeout="$2" timelog="$3" log="$4" started="$SECONDS" timer child="" rss
    shift 4
    WATCH_STOPPED="" WATCH_STATUS=0 WATCH_SEEN_KIB=0
    /usr/bin/time -v -o "$timelog" "$@" >/dev/null 2>"$log" &
    timer=$!
    while kill -0 "$timer" 2>/dev/null; do
        if [[ -z "$child" ]]; then
            child="$(cat "/proc/$timer/task/$timer/children" 2>/dev/null || pgrep -P "$timer" || true)"
            child="${child%% *}"
        fi
        if [[ -n "$child" ]]; then
            rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$child/status" 2>/dev/null || true)"
            if [[ -n "$rss" ]] && ((rss > WATCH_SEEN_KIB)); then WATCH_SEEN_KIB="$rss"; fi
            if [[ -n "$rss" ]] && ((rss > stop_kib)); then
                WATCH_STOPPED="memory"
                kill -KILL "$child" 2>/dev/null || true
                break
            fi
            if ((SECONDS - started > timeout)); then
                WATCH_STOPPED="time"
                kill -KILL "$child" 2>/dev/null || true
                break
            fi
        fi
        sleep 0.05
    done
    wait "$timer" || WATCH_STATUS=$?
}

# huge N: target 3. One cold build of N meetings on disk (no Hugo) under the watchdog.
huge() {
    local n="$1" key="huge-$1" out="$OUT_BASE/scrutiny-$1" log="$WORK/huge-$1.log" need_kib free_kib avail_kib
    say "$n meetings (synthetic): one cold scrutiny build on disk, stopped at $HUGE_STOP of resident memory or after $HUGE_TIMEOUT s"
    # Room for the output, estimated from the largest size's, twice over.
    need_kib="$(calc '%.0f' "2 * ${RESULT[disk-output-kib]:-0} * $n / $LARGE + 1048576")"
    free_kib="$(df -Pk "$OUT_BASE" | awk 'NR == 2 { print $4 }')"
    avail_kib="$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)"
    if ((free_kib < need_kib)); then
        RESULT[$key,skip]="skipped: $((free_kib / 1024)) MiB free on disk, about $((need_kib / 1024)) MiB needed"
        echo "${RESULT[$key,skip]}"
        return
    fi
    if ((avail_kib < HUGE_STOP_MIB * 1024 + 524288)); then
        RESULT[$key,skip]="skipped: $((avail_kib / 1024)) MiB of memory available, the watchdog's limit is $HUGE_STOP_MIB MiB"
        echo "${RESULT[$key,skip]}"
        return
    fi
    corpus "$n"
    clean "$out"
    watched "$((HUGE_STOP_MIB * 1024))" "$HUGE_TIMEOUT" "$log.time" "$log" \
        env SCRUTINY_TIMINGS=1 "$SCRUTINY" build --root "$WORK/corpus-$n" --out "$out"
    RESULT[$key,stopped]="$WATCH_STOPPED"
    RESULT[$key,wall]="$(wall_seconds "$log.time")"
    RESULT[$key,rss]="$(peak_mib "$log.time")"
    RESULT[$key,pages]="$(sed -n 's/^built \([0-9]*\) pages.*/\1/p' "$log")"
    read_counts "$log" "$key"
    case "$WATCH_STOPPED" in
    memory) echo "stopped at $HUGE_STOP of resident memory, after ${RESULT[$key,wall]} s (peak ${RESULT[$key,rss]} MiB)" ;;
    time) echo "stopped after ${RESULT[$key,wall]} s, the watchdog's limit $HUGE_TIMEOUT s (peak ${RESULT[$key,rss]} MiB)" ;;
    *)
        if ((WATCH_STATUS != 0)); then
            tail -n 40 "$log"
            echo "FAIL: scrutiny could not build the $n-meeting corpus (exit $WATCH_STATUS; log: $log)"
            BUILD_FAILED=1
        else
            grep '^built' "$log" || true
            echo "built in ${RESULT[$key,wall]} s, peak ${RESULT[$key,rss]} MiB"
        fi
        ;;
    esac
    clean "$out"
}

# ---------------------------------------------------------------------------------------------
# The runs.

declare -A RESULT
BUILD_FAILED=0
LOAD_START="$(load_average)"
echo "machine: $(nproc) CPUs, load average $LOAD_START"
echo "outputs on disk: $OUT_BASE ($(fs_type "$OUT_BASE")); on tmpfs: ${TMPFS:-$TMPFS_NOTE}"
SCRUTINY_VERSION="$("$SCRUTINY" --version) at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]]; then SCRUTINY_VERSION+=" (uncommitted changes)"; fi
echo "scrutiny: $SCRUTINY_VERSION"
if [[ -n "$HUGO" ]]; then echo "hugo: $("$HUGO" version | cut -d' ' -f1-2)"; else echo "hugo: not installed or BENCH_NO_HUGO set; the Hugo columns and the speed targets are skipped"; fi

for n in "${SIZES[@]}"; do
    say "$n meetings: the corpus (seed $SEED)"
    corpus "$n"
done
for n in "${SIZES[@]}"; do cold disk "$OUT_BASE" "$n"; done
if [[ -n "$TMPFS" ]]; then
    for n in "${SIZES[@]}"; do cold tmpfs "$TMPFS" "$n"; done
fi
rebuild_unchanged "$LARGE"
rebuild_after_change "$SMALL"
if [[ "$SEARCH" != 0 ]]; then
    for n in "${SIZES[@]}"; do with_search "$n"; done
fi
if [[ "$HUGE" != 0 ]]; then huge "$HUGE_SIZE"; fi
LOAD_END="$(load_average)"

# ---------------------------------------------------------------------------------------------
# Tables (Markdown, also written to summary.md) and targets.

exec 3>"$SUMMARY"
emit() { printf '%s\n' "$*"; printf '%s\n' "$*" >&3; }
# cold_table MEDIUM: the table of the cold builds with outputs on MEDIUM.
cold_table() {
    local medium="$1" n key scr hugo ratio cpu_ratio hugo_cols
    emit "| meetings | scrutiny median | mean ± sd | min | cpu | pages | files written | peak RSS | Hugo median | mean ± sd | min | cpu | pages | peak RSS | Hugo ÷ scrutiny | cpu Hugo ÷ scrutiny |"
    emit "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for n in "${SIZES[@]}"; do
        key="$medium-$n" scr="scrutiny-$medium-$n" hugo="hugo-$medium-$n"
        if [[ -n "$HUGO" ]]; then
            hugo_cols="$(printf '%.3f | %s | %.3f | %.2f | %s | %s MiB' "${RESULT[$hugo,median]}" \
                "$(calc '%.3f ± %.3f' "${RESULT[$hugo,mean]}, ${RESULT[$hugo,sd]}")" "${RESULT[$hugo,min]}" \
                "${RESULT[$hugo,cpu]}" "${RESULT[$hugo,pages]}" "${RESULT[$hugo,rss]}")"
            ratio="$(calc '%.2f×' "${RESULT[$hugo,median]} / ${RESULT[$scr,median]}")"
            cpu_ratio="$(calc '%.2f×' "${RESULT[$hugo,cpu]} / ${RESULT[$scr,cpu]}")"
        else
            hugo_cols="- | - | - | - | - | -" ratio="-" cpu_ratio="-"
        fi
        emit "$(printf '| %s | %.3f | %s | %.3f | %.2f | %s | %s | %s MiB | %s | %s | %s |' "$n" "${RESULT[$scr,median]}" \
            "$(calc '%.3f ± %.3f' "${RESULT[$scr,mean]}, ${RESULT[$scr,sd]}")" "${RESULT[$scr,min]}" "${RESULT[$scr,cpu]}" \
            "${RESULT[$scr,pages]}" "$(shown "${RESULT[$scr,written]}")" "${RESULT[$scr,rss]}" "$hugo_cols" "$ratio" "$cpu_ratio")"
    done
}
# counts_row LABEL MEETINGS KEY WALL: a row of the counts table.
counts_row() {
    local label="$1" n="$2" key="$3" wall="$4" kind cells=""
    local csv="\"$label\",$n"
    for kind in "${COUNTS[@]}" until; do
        cells+=" $(shown "${RESULT[$key,$kind]:-NA}") |"
        csv+=",${RESULT[$key,$kind]:-NA}"
    done
    emit "| $label | $n |$cells $wall |"
    echo "$csv,${wall%% *}" >>"$WORK/counts.csv"
}

say "summary (wall times in seconds, medians unless said; load average at the start $LOAD_START, now $LOAD_END)"
emit "# Benchmark summary"
emit ""
emit "$SCRUTINY_VERSION; $(nproc) CPUs; load average $LOAD_START at the start, $LOAD_END at the end; seed $SEED."
emit ""
emit "## Cold builds, outputs on disk ($(fs_type "$OUT_BASE"), $OUT_BASE)"
emit ""
cold_table disk
emit ""
emit "## Cold builds, outputs on tmpfs: the program's own work (no target)"
emit ""
if [[ -n "$TMPFS" ]]; then cold_table tmpfs; else emit "$TMPFS_NOTE"; fi
emit ""
emit "(cpu: mean user + system seconds per build, all threads. Each cold build starts with no output and no cache.)"
emit ""
emit "## What each kind of build did (scrutiny's counts, \`SCRUTINY_TIMINGS=1\`)"
emit ""
echo "build,meetings,parsed,rendered,written,unchanged,removed,until_last_file_ms,wall_s" >"$WORK/counts.csv"
emit "| build | meetings | parsed | rendered | written | unchanged | removed | until the last file written (ms) | wall time (s) |"
emit "|---|---|---|---|---|---|---|---|---|"
for n in "${SIZES[@]}"; do counts_row "cold, disk" "$n" "scrutiny-disk-$n" "$(calc '%.3f' "${RESULT[scrutiny-disk-$n,median]}") (median)"; done
if [[ -n "$TMPFS" ]]; then
    for n in "${SIZES[@]}"; do counts_row "cold, tmpfs" "$n" "scrutiny-tmpfs-$n" "$(calc '%.3f' "${RESULT[scrutiny-tmpfs-$n,median]}") (median)"; done
fi
counts_row "rebuild, nothing changed (last run)" "$LARGE" "rebuild-unchanged-$LARGE" "$(calc '%.3f' "${RESULT[rebuild-unchanged-$LARGE,median]}") (median)"
counts_row "rebuild after one file changed (last run)" "$SMALL" "rebuild-change-$SMALL" "$(calc '%.3f' "${RESULT[rebuild-change-$SMALL,median]}") (median)"
if [[ "$HUGE" == 0 ]]; then
    emit "| cold, disk | $HUGE_SIZE | skipped (BENCH_HUGE=0) | | | | | | |"
elif [[ -n "${RESULT[huge-$HUGE_SIZE,skip]:-}" ]]; then
    emit "| cold, disk | $HUGE_SIZE | ${RESULT[huge-$HUGE_SIZE,skip]} | | | | | | |"
else
    huge_note=""
    case "${RESULT[huge-$HUGE_SIZE,stopped]}" in
    memory) huge_note=", stopped at $HUGE_STOP" ;;
    time) huge_note=", stopped after $HUGE_TIMEOUT s" ;;
    esac
    counts_row "cold, disk (synthetic)$huge_note" "$HUGE_SIZE" "huge-$HUGE_SIZE" "${RESULT[huge-$HUGE_SIZE,wall]} (one run)"
fi
emit ""

emit "## With the search index: scrutiny's default (no target; Hugo makes none)"
emit ""
if [[ "$SEARCH" == 0 ]]; then
    emit "skipped (BENCH_SEARCH=0)"
else
    emit "| meetings | cold build | of which the search index | peak RSS | Hugo ÷ scrutiny | rebuild, nothing changed | files it wrote | its peak RSS |"
    emit "|---|---|---|---|---|---|---|---|"
    for n in "${SIZES[@]}"; do
        key="search-$n"
        ratio="-"
        if [[ -n "$HUGO" ]]; then ratio="$(calc '%.2f×' "${RESULT[hugo-disk-$n,median]} / ${RESULT[$key,cold,wall]}")"; fi
        emit "| $n | ${RESULT[$key,cold,wall]} s | $(shown "${RESULT[$key,cold,search]}") ms | ${RESULT[$key,cold,rss]} MiB | $ratio | ${RESULT[$key,rebuild,wall]} s | $(shown "${RESULT[$key,rebuild,written]}") | ${RESULT[$key,rebuild,rss]} MiB |"
    done
fi
emit ""

TARGETS_CSV="$WORK/targets.csv"
echo "target,verdict,measured,limit" >"$TARGETS_CSV"
# target VERDICT NAME MEASURED LIMIT: prints and records one target's line.
target() {
    emit "- $1: $2: $3 (target: $4)"
    printf '"%s",%s,"%s","%s"\n' "$2" "$1" "$3" "$4" >>"$TARGETS_CSV"
}

say "targets"
emit "## Targets"
emit ""
# Target 1: speed against Hugo on disk.
for pair in "$SMALL 5" "$LARGE 3"; do
    read -r n times <<<"$pair"
    if [[ "$n" == "$LARGE" && "$SMALL" == "$LARGE" && "$times" == 3 ]]; then continue; fi
    scr="scrutiny-disk-$n" hugo="hugo-disk-$n"
    if [[ -n "$HUGO" ]]; then
        ratio="$(calc '%.2f' "${RESULT[$hugo,median]} / ${RESULT[$scr,median]}")"
        target "$(verdict "$ratio >= $times")" "cold build on disk at $n meetings, against Hugo" \
            "Hugo ÷ scrutiny ${ratio}× (scrutiny $(calc '%.3f' "${RESULT[$scr,median]}") s, Hugo $(calc '%.3f' "${RESULT[$hugo,median]}") s)" "at least ${times}×"
    else
        emit "- SKIP: cold build on disk at $n meetings, against Hugo (Hugo not run)"
    fi
done
# Target 2: memory at the largest size.
target "$(verdict "${RESULT[scrutiny-disk-$LARGE,rss]} <= 300")" "peak resident memory of a cold build at $LARGE meetings" \
    "${RESULT[scrutiny-disk-$LARGE,rss]} MiB" "at most 300 MiB"
# Target 3: the huge build.
huge_key="huge-$HUGE_SIZE"
if [[ "$HUGE" == 0 || -n "${RESULT[$huge_key,skip]:-}" ]]; then
    emit "- SKIP: cold build at $HUGE_SIZE meetings ($([[ "$HUGE" == 0 ]] && echo "BENCH_HUGE=0" || echo "${RESULT[$huge_key,skip]}"))"
elif [[ -n "${RESULT[$huge_key,stopped]}" ]]; then
    reason="stopped at $HUGE_STOP of resident memory after ${RESULT[$huge_key,wall]} s"
    if [[ "${RESULT[$huge_key,stopped]}" == time ]]; then reason="stopped after ${RESULT[$huge_key,wall]} s (the watchdog's limit, $HUGE_TIMEOUT s), peak ${RESULT[$huge_key,rss]} MiB"; fi
    target FAIL "peak resident memory of a cold build at $HUGE_SIZE meetings" "$reason" "under 1024 MiB"
    target FAIL "time per meeting of a cold build at $HUGE_SIZE meetings, against $SMALL" "$reason" "within 1.5×"
elif ((BUILD_FAILED)); then
    target FAIL "cold build at $HUGE_SIZE meetings" "the build failed" "a build"
else
    target "$(verdict "${RESULT[$huge_key,rss]} < 1024")" "peak resident memory of a cold build at $HUGE_SIZE meetings" \
        "${RESULT[$huge_key,rss]} MiB" "under 1024 MiB"
    per_small="$(calc '%.4f' "1000 * ${RESULT[scrutiny-disk-$SMALL,median]} / $SMALL")"
    per_huge="$(calc '%.4f' "1000 * ${RESULT[$huge_key,wall]} / $HUGE_SIZE")"
    growth="$(calc '%.2f' "$per_huge / $per_small")"
    target "$(verdict "$growth <= 1.5")" "time per meeting of a cold build at $HUGE_SIZE meetings, against $SMALL" \
        "${growth}×: $per_huge ms a meeting against $per_small ms (${RESULT[$huge_key,wall]} s in all)" "within 1.5×"
fi
# Target 4: the unchanged rebuild.
key="rebuild-unchanged-$LARGE"
written="${RESULT[$key,written_max]}"
if [[ "$written" == NA ]]; then
    target FAIL "files written by a rebuild with nothing changed at $LARGE meetings" "not measured (no \`count: written\` line)" "0"
else
    target "$(verdict "$written == 0")" "files written by a rebuild with nothing changed at $LARGE meetings" "$written (the most of any run)" "0"
fi
share="$(calc '%.1f' "100 * ${RESULT[$key,median]} / ${RESULT[scrutiny-disk-$LARGE,median]}")"
target "$(verdict "$share <= 10")" "time of a rebuild with nothing changed at $LARGE meetings, against a cold build" \
    "${share}% ($(calc '%.3f' "${RESULT[$key,median]}") s against $(calc '%.3f' "${RESULT[scrutiny-disk-$LARGE,median]}") s cold)" "at most 10%"
# Target 5: the rebuild after one change.
key="rebuild-change-$SMALL"
until_ms="${RESULT[$key,until_median]}"
if [[ "$until_ms" == NA ]]; then
    target FAIL "rebuild after one minutes file changed at $SMALL meetings, until the last file written" \
        "not measured (no \`timing: until the last file written\` line); wall time $(calc '%.1f' "1000 * ${RESULT[$key,median]}") ms" "at most 50 ms"
else
    target "$(verdict "$until_ms <= 50")" "rebuild after one minutes file changed at $SMALL meetings, until the last file written" \
        "$until_ms ms (median of ${RESULT[$key,until_runs]} runs; wall time $(calc '%.1f' "1000 * ${RESULT[$key,median]}") ms)" "at most 50 ms"
fi
if [[ -n "$TMPFS" && -n "$HUGO" ]]; then
    for n in "${SIZES[@]}"; do
        emit "- info (no target): cold build on tmpfs at $n meetings: Hugo ÷ scrutiny $(calc '%.2f' "${RESULT[hugo-tmpfs-$n,median]} / ${RESULT[scrutiny-tmpfs-$n,median]}")× (scrutiny $(calc '%.3f' "${RESULT[scrutiny-tmpfs-$n,median]}") s, Hugo $(calc '%.3f' "${RESULT[hugo-tmpfs-$n,median]}") s)"
    done
fi
exec 3>&-
echo "CSV files, logs and summary.md: $WORK"
exit "$BUILD_FAILED"
