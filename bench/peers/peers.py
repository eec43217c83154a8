#!/usr/bin/env python3
"""Peer diffusion libraries on the same graph, weights, seeds and run count as our
`social-loop spread` command, for bench/peers/compare.sh.

Subcommands
-----------
gen-ba   Write a Barabasi-Albert graph (networkx, fixed seed) as an undirected
         SNAP edge list `u v`, one line per edge; read it with --undirected on
         both sides.
run      Read an edge list the way social_loop's reader does, set the weights,
         pick the seeds, then time each peer's Independent Cascade and print one
         JSON line per tool:
         {"tool":..,"version":..,"nodes":N,"arcs":M,"runs":R,"mean":X,
          "ms_per_run":T,"total_ms":..,"setup_ms":..,"timed":"what was timed"}

Reading rules (mirroring social_loop::network::read_edge_list defaults):
`#`/`%` lines and blank lines are comments; ids are text; a node exists from the
first line that names it (first `u`, then `v`), which fixes the node order; a
self-loop is dropped (its node is kept); a repeated arc keeps its first weight;
--undirected adds `v -> u` after `u -> v`.

Weights: --p P (uniform), --weighted-cascade (1 / in-degree of the target) or,
without either, the file's third column (format `weighted`).

Seeds: --seeds ID,ID,... or --top-degree K = the K nodes of highest out-degree,
ties broken by node order (first appearance in the file) - the same rule as the
`social-loop spread` command.

What is timed (the simulation only; building each tool's graph is setup):
* cynetdiff: IndependentCascadeModel.compute_marginal_gains(seeds, [], R), its
  own C loop for R trials.
* ndlib: whole simulations (reset + iterations until no node is infected),
  --ndlib-runs of them; NDlib is slow, so it runs fewer and reports per run.
* pynetim: IndependentCascadeModel.run_monte_carlo_diffusion(R, seed,
  use_multithread=False), its own C++ loop.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import time


def read_graph(path: str, fmt: str, undirected: bool):
    """Returns (ids, arcs, file_weights): ids in node order, arcs as (u, v)
    index pairs in insertion order, file_weights per arc or None."""
    index: dict[str, int] = {}
    ids: list[str] = []
    arcs: list[tuple[int, int]] = []
    weights: list[float] = []
    seen: set[tuple[int, int]] = set()

    def node(name: str) -> int:
        ix = index.get(name)
        if ix is None:
            ix = len(ids)
            index[name] = ix
            ids.append(name)
        return ix

    def push(u: int, v: int, w: float) -> None:
        if (u, v) in seen:
            return
        seen.add((u, v))
        arcs.append((u, v))
        weights.append(w)

    with open(path, encoding="utf-8") as f:
        for line_no, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line[0] in "#%":
                continue
            cols = line.split(",") if fmt == "signed-csv" else line.split()
            if fmt == "auto":
                fmt = "signed-csv" if "," in line else ("weighted" if len(cols) == 3 else "snap")
                cols = line.split(",") if fmt == "signed-csv" else cols
            if fmt == "snap" and len(cols) != 2 or fmt == "weighted" and len(cols) != 3:
                sys.exit(f"{path}:{line_no}: expected {fmt} columns, got {len(cols)}")
            u, v = node(cols[0].strip()), node(cols[1].strip())
            if fmt == "snap":
                w = 1.0
            elif fmt == "weighted":
                w = float(cols[2])
            else:
                w = abs(float(cols[2])) / 10.0
            if u == v:
                continue
            push(u, v, w)
            if undirected:
                push(v, u, w)
    return ids, arcs, (weights if fmt != "snap" else None)


def arc_weights(n: int, arcs, file_weights, p, weighted_cascade):
    if p is not None:
        return [p] * len(arcs)
    if weighted_cascade:
        indeg = [0] * n
        for _, v in arcs:
            indeg[v] += 1
        return [1.0 / indeg[v] for _, v in arcs]
    if file_weights is None:
        sys.exit("no weights: the file has no third column; give --p or --weighted-cascade")
    return file_weights


def pick_seeds(ids, arcs, seeds_arg, top_degree):
    if seeds_arg is not None:
        index = {name: i for i, name in enumerate(ids)}
        try:
            return [index[s] for s in seeds_arg.split(",") if s]
        except KeyError as e:
            sys.exit(f"unknown seed id {e}")
    outdeg = [0] * len(ids)
    for u, _ in arcs:
        outdeg[u] += 1
    order = sorted(range(len(ids)), key=lambda i: (-outdeg[i], i))
    return order[:top_degree]


def version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def networkx_digraph(n, arcs, weights):
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((u, v, {"activation_prob": w}) for (u, v), w in zip(arcs, weights))
    return g


def run_cynetdiff(g, seeds, runs, rng_seed, base):
    from cynetdiff.utils import networkx_to_ic_model

    t0 = time.perf_counter()
    model, mapping = networkx_to_ic_model(g, rng=rng_seed)
    setup = time.perf_counter() - t0
    mapped = [mapping[s] for s in seeds]
    t0 = time.perf_counter()
    gains = model.compute_marginal_gains(mapped, [], runs)
    elapsed = time.perf_counter() - t0
    emit(
        base
        | {
            "tool": "cynetdiff",
            "version": version("cynetdiff"),
            "runs": runs,
            "mean": gains[0],
            "ms_per_run": elapsed * 1e3 / runs,
            "total_ms": elapsed * 1e3,
            "setup_ms": setup * 1e3,
            "timed": "compute_marginal_gains(seeds, [], runs)",
        }
    )


def run_ndlib(g, arcs, weights, seeds, runs, rng_seed, base):
    import ndlib.models.ModelConfig as mc
    import ndlib.models.epidemics as ep
    import numpy as np

    t0 = time.perf_counter()
    model = ep.IndependentCascadesModel(g, seed=rng_seed)
    config = mc.Configuration()
    config.add_model_initial_configuration("Infected", list(seeds))
    # NDlib only uses per-edge thresholds when every edge has one.
    for (u, v), w in zip(arcs, weights):
        config.add_edge_configuration("threshold", (u, v), w)
    model.set_initial_status(config)
    setup = time.perf_counter() - t0
    np.random.seed(rng_seed)
    total = 0
    t0 = time.perf_counter()
    for _ in range(runs):
        model.reset(infected_nodes=list(seeds))
        while True:
            it = model.iteration(node_status=False)
            if it["node_count"].get(1, 0) == 0:
                break
        total += it["node_count"].get(2, 0)
    elapsed = time.perf_counter() - t0
    emit(
        base
        | {
            "tool": "ndlib",
            "version": version("ndlib"),
            "runs": runs,
            "mean": total / runs,
            "ms_per_run": elapsed * 1e3 / runs,
            "total_ms": elapsed * 1e3,
            "setup_ms": setup * 1e3,
            "timed": "reset + iteration() until no node is infected, per simulation",
        }
    )


def run_pynetim(n, arcs, weights, seeds, runs, rng_seed, base):
    from pynetim import IMGraph, IndependentCascadeModel

    t0 = time.perf_counter()
    graph = IMGraph(list(arcs), weights=list(weights), directed=True, renumber=False)
    model = IndependentCascadeModel(graph, set(seeds))
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    mean = model.run_monte_carlo_diffusion(runs, random_seed=rng_seed, use_multithread=False)
    elapsed = time.perf_counter() - t0
    emit(
        base
        | {
            "tool": "pynetim",
            "version": version("pynetim"),
            "runs": runs,
            "mean": mean,
            "ms_per_run": elapsed * 1e3 / runs,
            "total_ms": elapsed * 1e3,
            "setup_ms": setup * 1e3,
            "timed": "run_monte_carlo_diffusion(runs, seed, use_multithread=False)",
            "graph_nodes": graph.num_nodes,
        }
    )


def cmd_gen_ba(args) -> None:
    import networkx as nx

    g = nx.barabasi_albert_graph(args.nodes, args.m, seed=args.seed)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(
            f"# Barabasi-Albert n={args.nodes} m={args.m} seed={args.seed} "
            f"(networkx {nx.__version__}); undirected, one line per edge\n"
        )
        for u, v in g.edges():
            f.write(f"{u} {v}\n")
    print(
        json.dumps({"graph": args.out, "nodes": g.number_of_nodes(), "edges": g.number_of_edges()}),
        file=sys.stderr,
    )


def cmd_run(args) -> None:
    ids, arcs, file_weights = read_graph(args.edges, args.format, args.undirected)
    weights = arc_weights(len(ids), arcs, file_weights, args.p, args.weighted_cascade)
    seeds = pick_seeds(ids, arcs, args.seeds, args.top_degree)
    base = {"nodes": len(ids), "arcs": len(arcs), "seeds": len(seeds), "rng_seed": args.rng_seed}
    if args.case:
        base = {"case": args.case} | base
    tools = [t for t in args.tools.split(",") if t]
    graph = None
    for tool in tools:
        if tool in ("cynetdiff", "ndlib") and graph is None:
            graph = networkx_digraph(len(ids), arcs, weights)
        try:
            if tool == "cynetdiff":
                run_cynetdiff(graph, seeds, args.runs, args.rng_seed, base)
            elif tool == "ndlib":
                run_ndlib(graph, arcs, weights, seeds, args.ndlib_runs, args.rng_seed, base)
            elif tool == "pynetim":
                run_pynetim(len(ids), arcs, weights, seeds, args.runs, args.rng_seed, base)
            else:
                sys.exit(f"unknown tool {tool}")
        except ImportError as e:
            emit(base | {"tool": tool, "error": f"not installed: {e}"})


def cmd_table(args) -> None:
    """Reads compare.sh's JSON lines: peers' lines from `run --case`, and ours as
    {"case":..,"tool":"social_loop","threads":T,"spread":<spread's JSON line>}
    (several per thread count when repeated; the median time is used)."""
    import statistics

    cases: dict[str, dict] = {}
    order: list[str] = []
    with open(args.results, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            case = rec["case"]
            if case not in cases:
                cases[case] = {"ours": {}, "peers": {}, "label": rec.get("label", case)}
                order.append(case)
            entry = cases[case]
            if "label" in rec:
                entry["label"] = rec["label"]
            if rec.get("tool") == "social_loop":
                spread = rec["spread"]
                entry["ours"].setdefault(rec["threads"], []).append(spread)
            elif "tool" in rec:
                entry["peers"][rec["tool"]] = rec

    def ours_ms(entry, threads):
        runs = entry["ours"].get(threads)
        if not runs:
            return None, None
        ms = statistics.median(r["elapsed_ms"] / r["runs"] for r in runs)
        return ms, runs[0]

    def peer_ms(entry, tool):
        rec = entry["peers"].get(tool)
        if not rec or "ms_per_run" not in rec:
            return None
        return rec["ms_per_run"]

    def fmt_ms(ms):
        if ms is None:
            return "n/a"
        # Four significant figures below 10 ms (0.00812, 0.397), one decimal above.
        return f"{ms:.4g}" if ms < 10 else f"{ms:,.1f}"

    def ratio(num, den):
        return "n/a" if num is None or den is None or den == 0 else f"{num / den:.2f}x"

    print("| case | nodes / arcs | runs (ours, CyNetDiff, PyNetIM / NDlib) | ours 1 thread | ours 2 threads | CyNetDiff | PyNetIM | NDlib |")
    print("|---|---|---|---|---|---|---|---|")
    for case in order:
        e = cases[case]
        o1, first = ours_ms(e, 1)
        o2, _ = ours_ms(e, 2)
        nd = e["peers"].get("ndlib", {})
        shape = f"{first['nodes']:,} / {first['arcs']:,}" if first else "?"
        runs = f"{first['runs']:,} / {nd.get('runs', 'n/a')}" if first else "?"
        cells = [fmt_ms(o1), fmt_ms(o2)] + [fmt_ms(peer_ms(e, t)) for t in ("cynetdiff", "pynetim", "ndlib")]
        print(f"| {e['label']} | {shape} | {runs} | " + " | ".join(cells) + " |")
    print()
    print("Milliseconds per run (ours: median over repeats of `elapsed_ms / runs`).")
    print()
    print("| case | 1 thread vs CyNetDiff | 2 threads vs CyNetDiff | 2 threads / 1 thread | 1 thread vs PyNetIM | 1 thread vs NDlib |")
    print("|---|---|---|---|---|---|")
    for case in order:
        e = cases[case]
        o1, _ = ours_ms(e, 1)
        o2, _ = ours_ms(e, 2)
        cy, py, nd = (peer_ms(e, t) for t in ("cynetdiff", "pynetim", "ndlib"))
        print(
            f"| {e['label']} | {ratio(cy, o1)} | {ratio(cy, o2)} | {ratio(o1, o2)} | "
            f"{ratio(py, o1)} | {ratio(nd, o1)} |"
        )
    print()
    print("Throughput ratios (a peer's time per run divided by ours; higher is better for us).")
    print()
    print("| case | ours mean ± 1.96 s.e. | CyNetDiff mean | PyNetIM mean | NDlib mean (few runs) |")
    print("|---|---|---|---|---|")
    for case in order:
        e = cases[case]
        _, first = ours_ms(e, 1)
        ours = f"{first['mean']:,.1f} ± {1.96 * first['std_err']:,.1f}" if first else "n/a"
        means = []
        for t in ("cynetdiff", "pynetim", "ndlib"):
            rec = e["peers"].get(t, {})
            means.append(f"{rec['mean']:,.1f}" if "mean" in rec else rec.get("error", "n/a"))
        print(f"| {e['label']} | {ours} | " + " | ".join(means) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)

    ba = sub.add_parser("gen-ba", help="write a Barabasi-Albert edge list")
    ba.add_argument("--nodes", type=int, default=100_000)
    ba.add_argument("--m", type=int, default=5)
    ba.add_argument("--seed", type=int, default=42)
    ba.add_argument("--out", required=True)
    ba.set_defaults(func=cmd_gen_ba)

    run = sub.add_parser("run", help="time the peers' Independent Cascade")
    run.add_argument("--edges", required=True)
    run.add_argument("--format", default="auto", choices=["auto", "snap", "weighted", "signed-csv"])
    run.add_argument("--undirected", action="store_true")
    w = run.add_mutually_exclusive_group()
    w.add_argument("--p", type=float)
    w.add_argument("--weighted-cascade", action="store_true")
    s = run.add_mutually_exclusive_group(required=True)
    s.add_argument("--seeds")
    s.add_argument("--top-degree", type=int)
    run.add_argument("--runs", type=int, required=True)
    run.add_argument("--rng-seed", type=int, default=1)
    run.add_argument("--ndlib-runs", type=int, default=3)
    run.add_argument("--tools", default="cynetdiff,ndlib,pynetim")
    run.add_argument("--case", help="a label copied into every JSON line")
    run.set_defaults(func=cmd_run)

    table = sub.add_parser("table", help="markdown tables from compare.sh's JSON lines")
    table.add_argument("results")
    table.set_defaults(func=cmd_table)

    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
