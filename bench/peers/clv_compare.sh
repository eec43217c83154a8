#!/usr/bin/env bash
# Side by side, in ONE run: our BG/NBD fit + per-customer predictions
# (`clv_speed`, 1 and 2 threads) against lifetimes' BetaGeoFitter on the same
# synthetic customers (drawn from CDNOW's published BG/NBD parameters, whole
# weeks, seed 1), then ours alone on 1,000,000 customers.
#
# Usage: bash bench/peers/clv_compare.sh        (REPEAT=3 by default)
# Each round runs ours (1 thread, 2 threads) and lifetimes once, interleaved,
# so a change of load hits all alike; medians are reported with the load
# average before and after. Raw JSON lines: target/peers/clv_results.jsonl.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
here="bench/peers"
out="target/peers"
mkdir -p "$out"
python="$here/.venv/bin/python"
REPEAT="${REPEAT:-3}"
CUSTOMERS="${CUSTOMERS:-100000}"

[[ -x "$python" ]] || bash "$here/setup.sh" >&2
cargo build --release -p social_loop_bench --bin clv_speed >&2
speed="${CARGO_TARGET_DIR:-target}/release/clv_speed"
csv="$out/clv_${CUSTOMERS}.csv"
results="$out/clv_results.jsonl"
: > "$results"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -Iseconds)"
"$speed" --customers "$CUSTOMERS" --threads 1 --csv "$csv" > /dev/null
for ((i = 1; i <= REPEAT; i++)); do
    echo "[clv] round $i" >&2
    "$speed" --customers "$CUSTOMERS" --threads 1 >> "$results"
    "$speed" --customers "$CUSTOMERS" --threads 2 >> "$results"
    "$python" "$here/clv_peer.py" "$csv" >> "$results"
done
for ((i = 1; i <= REPEAT; i++)); do
    "$speed" --customers 1000000 --threads 1 >> "$results"
done

echo "Measured $started to $(date -Iseconds) on $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores);"
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg);"
echo "$(rustc --version); social_loop $(git rev-parse --short HEAD 2>/dev/null || echo '?'); lifetimes $("$python" -c 'import importlib.metadata as m; print(m.version("lifetimes"), "scipy", m.version("scipy"), "pandas", m.version("pandas"))')."
echo "Command: bash bench/peers/clv_compare.sh (REPEAT=$REPEAT, CUSTOMERS=$CUSTOMERS)."
echo
"$python" - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def pick(tool, customers, threads=None):
    return [r for r in rows if r["tool"] == tool and r["customers"] == customers and (threads is None or r.get("threads") == threads)]
def med(rs, key):
    return statistics.median(r[key] for r in rs)
n = int(rows[0]["customers"])
ours1, ours2, peer = pick("social_loop", n, 1), pick("social_loop", n, 2), pick("lifetimes", n)
print(f"| {n:,} customers | fit ms | predict ms | total ms | vs lifetimes |")
print("|---|---:|---:|---:|---:|")
base = med(peer, "total_ms")
for label, rs in (("social_loop, 1 thread", ours1), ("social_loop, 2 threads", ours2), ("lifetimes", peer)):
    print(f"| {label} | {med(rs, 'fit_ms'):.1f} | {med(rs, 'predict_ms'):.1f} | {med(rs, 'total_ms'):.1f} | {base / med(rs, 'total_ms'):.1f}x |")
print()
print("| fitted on the same data | r | alpha | a | b | log-likelihood | Σ E[Y(39)] | Σ P(alive) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for label, r in (("social_loop", ours1[0]), ("lifetimes", peer[0])):
    p = r["params"]
    print(f"| {label} | {p['r']:.4f} | {p['alpha']:.4f} | {p['a']:.4f} | {p['b']:.4f} | {r['log_likelihood']:.1f} | {r['sum_expected_39']:.1f} | {r['sum_p_alive']:.1f} |")
big = pick("social_loop", 1_000_000, 1)
if big:
    print()
    print(f"1,000,000 customers ({big[0]['distinct']:,} distinct (x, t_x, T)), one thread: fit {med(big, 'fit_ms'):.0f} ms + predictions {med(big, 'predict_ms'):.0f} ms = {med(big, 'total_ms'):.0f} ms (median of {len(big)})")
PY
