#!/usr/bin/env bash
# Side by side, in ONE run: our `spread` example (1 and 2 threads) against
# CyNetDiff, PyNetIM and NDlib on the same graph, weights, seeds and run count;
# prints markdown tables with the ratios (paste them into BENCHMARKS.md).
#
# Cases (Independent Cascade):
#   epinions  ../shared/data/soc-Epinions1.txt, weighted cascade, 50 highest
#             out-degree nodes, RUNS_EPINIONS runs (default 10,000)
#   ba-p0.01  Barabasi-Albert n=100,000 m=5 (networkx, seed 42, undirected),
#             p = 0.01, 10 highest-degree nodes, RUNS_BA_LOW runs (default 10,000)
#   ba-p0.1   the same graph, p = 0.1, RUNS_BA_HIGH runs (default 1,000: the
#             cascades reach a third of the graph, CyNetDiff takes ~20 ms a run)
# Our side picks the seeds (--top-degree, ties by first appearance in the file)
# and the peers get exactly those ids (--seeds). NDlib runs NDLIB_RUNS
# simulations (default 3) and is reported per simulation. Each of our
# measurements is repeated REPEAT times (default 3; 1 and 2 threads alternate)
# and the median is used; each peer is measured once (their runs are long).
#
# Usage: bash bench/peers/compare.sh            (from anywhere)
#        CASES="epinions" REPEAT=1 bash bench/peers/compare.sh
# Other jobs on the machine skew the figures (most of all the 2-thread ones):
# the load average before and after is printed with the tables.
# Output: the tables on stdout; raw JSON lines in target/peers/results.jsonl.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
here="bench/peers"
out="target/peers"
mkdir -p "$out"
python="$here/.venv/bin/python"
data="../shared/data"

RUNS_EPINIONS="${RUNS_EPINIONS:-10000}"
RUNS_BA_LOW="${RUNS_BA_LOW:-10000}"
RUNS_BA_HIGH="${RUNS_BA_HIGH:-1000}"
NDLIB_RUNS="${NDLIB_RUNS:-3}"
REPEAT="${REPEAT:-3}"
RNG_SEED="${RNG_SEED:-1}"
CASES="${CASES:-epinions ba-p0.01 ba-p0.1}"

[[ -x "$python" ]] || bash "$here/setup.sh" >&2
cargo build --release -p social_loop_cli >&2
social_loop="${CARGO_TARGET_DIR:-target}/release/social-loop"
ba="$out/ba-100k-m5.txt"
[[ -s "$ba" ]] || "$python" "$here/peers.py" gen-ba --nodes 100000 --m 5 --seed 42 --out "$ba"

results="$out/results.jsonl"
: > "$results"
log() { echo "[compare] $*" >&2; }

# run_case CASE LABEL RUNS -- graph-and-weight flags shared by both sides
run_case() {
    local case="$1" label="$2" runs="$3"
    shift 4
    local flags=("$@") seeds_json="" line
    echo "{\"case\":\"$case\",\"label\":\"$label\"}" >> "$results"
    # 1 and 2 threads alternate, so that a change of load hits both alike.
    for ((i = 1; i <= REPEAT; i++)); do
        for threads in 1 2; do
            log "$case: ours, $threads thread(s), repeat $i"
            line="$("$social_loop" spread "${flags[@]}" --model ic --runs "$runs" --rng-seed "$RNG_SEED" \
                --threads "$threads" "${SEED_FLAGS[@]}")"
            echo "{\"case\":\"$case\",\"tool\":\"social_loop\",\"threads\":$threads,\"spread\":$line}" >> "$results"
            seeds_json="$line"
        done
    done
    local seeds
    seeds="$("$python" -c 'import json,sys; print(",".join(json.loads(sys.argv[1])["seeds"]))' "$seeds_json")"
    log "$case: peers (cynetdiff, pynetim, ndlib x $NDLIB_RUNS)"
    "$python" "$here/peers.py" run "${flags[@]}" --seeds "$seeds" --runs "$runs" \
        --rng-seed "$RNG_SEED" --ndlib-runs "$NDLIB_RUNS" --case "$case" \
        --tools cynetdiff,pynetim,ndlib >> "$results"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -Iseconds)"
for case in $CASES; do
    case "$case" in
    epinions)
        SEED_FLAGS=(--top-degree 50)
        run_case epinions "Epinions, weighted cascade, 50 seeds" "$RUNS_EPINIONS" -- \
            --edges "$data/soc-Epinions1.txt" --format snap --weighted-cascade
        ;;
    ba-p0.01)
        SEED_FLAGS=(--top-degree 10)
        run_case ba-p0.01 "BA 100k m=5, p = 0.01, 10 seeds" "$RUNS_BA_LOW" -- \
            --edges "$ba" --format snap --undirected --p 0.01
        ;;
    ba-p0.1)
        SEED_FLAGS=(--top-degree 10)
        run_case ba-p0.1 "BA 100k m=5, p = 0.1, 10 seeds" "$RUNS_BA_HIGH" -- \
            --edges "$ba" --format snap --undirected --p 0.1
        ;;
    *) echo "unknown case $case" >&2; exit 2 ;;
    esac
done

echo "Measured $started to $(date -Iseconds) on $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores);"
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg);"
echo "$(rustc --version); social_loop $(git rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)"); $("$python" -c 'import importlib.metadata as m; print(", ".join(f"{n} {m.version(n)}" for n in ("cynetdiff","pynetim","ndlib","networkx")))')."
echo "Command: bash bench/peers/compare.sh (REPEAT=$REPEAT, RNG_SEED=$RNG_SEED, NDLIB_RUNS=$NDLIB_RUNS)."
echo
"$python" "$here/peers.py" table "$results"
