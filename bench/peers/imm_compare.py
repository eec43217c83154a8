#!/usr/bin/env python3
"""IMM side by side, in ONE run: our `target` example (1 and 2 threads) against
PyNetIM's IMM on the same graph, weights, k and epsilon; every seed set is then
evaluated the same way (10,000 independent runs of our `spread` example, and
CyNetDiff's compute_marginal_gains as a cross-check).

Ours runs in both node-selection modes: `independent` (the default: fresh RR sets
for the node selection, Chen 2018's fix, the guarantee holds) and `reused` (IMM
as published and as PyNetIM runs it: the sampling phase's sets topped up), the
like-for-like comparison.

Usage (from the crate root, after `bash bench/peers/setup.sh`):
    bench/peers/.venv/bin/python bench/peers/imm_compare.py
    REPEAT=5 EPSILONS=0.1,0.5 K=50 bench/peers/.venv/bin/python bench/peers/imm_compare.py

Timing: ours is `elapsed_ms` of `target` (the selection alone, not reading the
file nor the evaluation; one fresh process per run); PyNetIM's is
`IMMAlgorithm(...).run(k)` alone (the IMGraph is built once, outside the timing;
random_seed = RNG_SEED + repeat). The repeats are interleaved (every repeat runs
every configuration once) and the table shows the median and the minimum of
REPEAT runs (default 3), and the ratio of PyNetIM's to ours for both.
Output: a markdown table on stdout; raw records in target/peers/imm_compare.jsonl.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".." / "shared" / "data" / "nethept_imm_graph_ic.inf"
EDGES = Path(os.environ.get("EDGES", DATA))
K = int(os.environ.get("K", "50"))
EPSILONS = [float(e) for e in os.environ.get("EPSILONS", "0.1,0.5").split(",")]
REPEAT = int(os.environ.get("REPEAT", "3"))
RNG_SEED = int(os.environ.get("RNG_SEED", "1"))
EVAL_RUNS = int(os.environ.get("EVAL_RUNS", "10000"))
EVAL_SEED = int(os.environ.get("EVAL_SEED", "987654321"))
OUT = ROOT / "target" / "peers"
SAMPLINGS = ("independent", "reused")


def log(message: str) -> None:
    print(f"[imm_compare] {message}", file=sys.stderr, flush=True)


def cargo_build() -> None:
    subprocess.run(
        ["cargo", "build", "--release", "-p", "social_loop_cli"],
        cwd=ROOT,
        check=True,
    )


def run_ours(epsilon: float, threads: int, sampling: str) -> dict:
    cmd = [
        str(ROOT / "target/release/social-loop"), "target",
        "--edges", str(EDGES), "--format", "weighted", "--model", "ic",
        "--k", str(K), "--epsilon", str(epsilon), "--algorithm", "imm",
        "--rng-seed", str(RNG_SEED), "--threads", str(threads),
        "--imm-sampling", sampling,
    ]
    done = subprocess.run(
        cmd, capture_output=True, text=True, check=True,
        env=os.environ | {"TARGET_DETAILS": "1"},
    )
    line = json.loads(done.stdout.strip().splitlines()[-1])
    details = json.loads(done.stderr.strip().splitlines()[-1])
    rr = details["rr_sets"]
    return {
        "tool": f"social_loop ({sampling})",
        "epsilon": epsilon,
        "threads": threads,
        "seeds": [int(s) for s in line["seeds"]],
        "ms": line["elapsed_ms"],
        "rr_sets": rr["final_sets"] if sampling == "reused" else rr["sampling_sets"] + rr["final_sets"],
        "rr_memory_mb": rr["memory_bytes"] / 1e6,
        "sampling_ms": rr["sampling_ms"],
        "greedy_ms": rr["greedy_ms"],
    }


def read_weighted(path: Path):
    arcs, weights = [], []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                arcs.append((int(parts[0]), int(parts[1])))
                weights.append(float(parts[2]))
    return arcs, weights


def run_pynetim(graph, epsilon: float, seed: int) -> dict:
    from pynetim.algorithms import IMMAlgorithm

    algo = IMMAlgorithm(graph, "IC", epsilon=epsilon, l=1, random_seed=seed)
    t0 = time.perf_counter()
    seeds = algo.run(k=K)
    elapsed = time.perf_counter() - t0
    to_original = graph.internal_to_original
    return {
        "tool": "pynetim",
        "epsilon": epsilon,
        "threads": 1,
        "seeds": sorted(int(to_original[s]) for s in seeds),
        "ms": elapsed * 1e3,
    }


def evaluate_ours(seeds) -> dict:
    cmd = [
        str(ROOT / "target/release/social-loop"), "spread",
        "--edges", str(EDGES), "--format", "weighted", "--model", "ic",
        "--seeds", ",".join(str(s) for s in seeds),
        "--runs", str(EVAL_RUNS), "--rng-seed", str(EVAL_SEED),
    ]
    line = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    return {"mean": line["mean"], "ci95": line["ci95"]}


def cynetdiff_model(arcs, weights):
    try:
        import networkx as nx
        from cynetdiff.utils import networkx_to_ic_model
    except ImportError:
        return None
    g = nx.DiGraph()
    g.add_edges_from((u, v, {"activation_prob": w}) for (u, v), w in zip(arcs, weights))
    return networkx_to_ic_model(g, rng=EVAL_SEED)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    log("building the social-loop binary")
    cargo_build()
    from pynetim import IMGraph

    arcs, weights = read_weighted(EDGES)
    graph = IMGraph(arcs, weights=weights, directed=True, renumber=True)
    records = []
    # Interleaved: every repeat runs every configuration once, so a disturbance
    # from another process hits all of them alike.
    for i in range(REPEAT):
        for epsilon in EPSILONS:
            for sampling in SAMPLINGS:
                for threads in (1, 2):
                    log(f"repeat {i + 1}: ours ({sampling}) eps={epsilon} threads={threads}")
                    records.append(run_ours(epsilon, threads, sampling))
            log(f"repeat {i + 1}: pynetim eps={epsilon}")
            records.append(run_pynetim(graph, epsilon, RNG_SEED + i))

    log("evaluating every seed set")
    cy = cynetdiff_model(arcs, weights)
    evaluations = {}
    for r in records:
        key = tuple(sorted(r["seeds"]))
        if key not in evaluations:
            e = evaluate_ours(key)
            if cy is not None:
                model, mapping = cy
                e["cynetdiff"] = model.compute_marginal_gains([mapping[s] for s in key], [], EVAL_RUNS)[0]
            evaluations[key] = e
        r["evaluation"] = evaluations[key]
    with open(OUT / "imm_compare.jsonl", "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")

    print(f"IMM on {EDGES.name}, k = {K}, l = 1, IC with the file's weights; "
          f"spread = {EVAL_RUNS:,} runs of our `spread` (seed {EVAL_SEED}) | CyNetDiff")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; "
          f"pynetim {metadata.version('pynetim')}; date {time.strftime('%Y-%m-%d %H:%M')}")
    print()
    print("| epsilon | tool (RR sets for the node selection) | threads | time median (min) | spread ± 95% CI | CyNetDiff | RR sets drawn | RR memory | PyNetIM / ours: median (min) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for epsilon in EPSILONS:
        py = [r for r in records if r["tool"] == "pynetim" and r["epsilon"] == epsilon]
        py_ms = statistics.median(r["ms"] for r in py)
        py_min = min(r["ms"] for r in py)
        rows = []
        for sampling in SAMPLINGS:
            tool = f"social_loop ({sampling})"
            for threads in (1, 2):
                rows.append((tool, threads, [r for r in records if r["tool"] == tool
                                             and r["epsilon"] == epsilon and r["threads"] == threads]))
        rows.append(("PyNetIM", 1, py))
        for tool, threads, rs in rows:
            ms = [r["ms"] for r in rs]
            med = statistics.median(ms)
            spreads = [r["evaluation"]["mean"] for r in rs]
            half = max((r["evaluation"]["ci95"][1] - r["evaluation"]["ci95"][0]) / 2 for r in rs)
            cyn = [r["evaluation"].get("cynetdiff") for r in rs]
            cyn_text = "n/a" if None in cyn else f"{statistics.mean(cyn):.1f}"
            rr = f"{rs[0]['rr_sets']:,}" if "rr_sets" in rs[0] else "n/a"
            mem = f"{rs[0]['rr_memory_mb']:.1f} MB" if "rr_memory_mb" in rs[0] else "n/a"
            ratio = "1.0" if tool == "PyNetIM" else f"{py_ms / med:.1f}x ({py_min / min(ms):.1f}x)"
            spread_text = (f"{statistics.mean(spreads):.1f} ± {half:.1f}"
                           if len(set(spreads)) == 1 else
                           f"{min(spreads):.1f}–{max(spreads):.1f} (± {half:.1f})")
            print(f"| {epsilon} | {tool} | {threads} | {med:.0f} ms ({min(ms):.0f}) | {spread_text} | "
                  f"{cyn_text} | {rr} | {mem} | {ratio} |")


if __name__ == "__main__":
    main()
