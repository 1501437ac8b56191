#!/usr/bin/env python3
"""End-to-end benchmark of `efs-preflight check --snapshot` (run it through scripts/bench.sh).

For each estate shape it generates a synthetic snapshot (`efs-preflight-bench generate N --shape
S`), then times, end to end (process start to exit), and measures the peak RSS of:

- one `efs-preflight check --snapshot FILE --format F` per report format (table, json, sarif,
  junit, markdown), the report going to stdout, which is /dev/null;
- floor: `efs-preflight-bench floor FILE` (read the file, parse it into a serde_json::Value).

Each round runs every command once, in turn; the first round warms the page cache and is not
counted; medians of the other rounds are reported. Peak RSS is the child's `ru_maxrss` from
wait4(2). The linearity check runs the first shape again at a larger size. The ratios are
compared with benches/baseline.json; the exit code is 1 when a goal is missed or a ratio
regressed beyond tolerance against the baseline.
"""

import argparse
import json
import os
import statistics
import sys
import time

FORMATS = ("table", "json", "sarif", "junit", "markdown")

# Goals at the main size: each format's time / the floor's time, on every shape.
GOAL_TIME_RATIO = {"table": 1.5, "json": 2.0, "sarif": 1.5, "junit": 2.5, "markdown": 1.5}
GOAL_RSS_RATIO = 1.2  # table run's peak RSS / the floor's
GOAL_SCALING = 4.4  # time at the scaling size / at the main size (4x the services)

# A ratio this much worse than the baseline's is reported as a regression.
TOLERANCE = 1.25


def measure(argv):
    """Runs argv with stdout and stderr to /dev/null; returns (seconds, peak RSS in MiB, exit
    code)."""
    actions = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def generate(bin_dir, work_dir, shape, services, seed):
    tool = os.path.join(bin_dir, "efs-preflight-bench")
    snapshot = os.path.join(work_dir, f"snapshot-{shape}-{services}.json")
    argv = [tool, "generate", str(services), "--shape", shape, "--seed", str(seed), "-o", snapshot]
    code = measure(argv)[2]
    if code != 0:
        sys.exit(f"generating {services} services of shape {shape} failed (exit {code})")
    return snapshot


def run_estate(bin_dir, work_dir, shape, services, runs, seed, formats):
    """Times the floor and every format on one generated estate; returns its figures."""
    tool = os.path.join(bin_dir, "efs-preflight-bench")
    cli = os.path.join(bin_dir, "efs-preflight")
    snapshot = generate(bin_dir, work_dir, shape, services, seed)
    # Exit 1 means "findings at or above --fail-on": the generated estates have broken services.
    commands = {"floor": ([tool, "floor", snapshot], {0})}
    for fmt in formats:
        commands[fmt] = ([cli, "check", "--snapshot", snapshot, "--format", fmt], {1})
    samples = {name: [] for name in commands}
    for attempt in range(runs + 1):
        for name, (argv, ok) in commands.items():
            seconds, rss, code = measure(argv)
            if code not in ok:
                sys.exit(f"{name} on {shape} {services} exited {code}: {' '.join(argv)}")
            if attempt > 0:  # the first round warms the page cache
                samples[name].append((seconds, rss))
    result = {"shape": shape, "services": services,
              "snapshot_mb": round(os.path.getsize(snapshot) / 1e6, 1)}
    for name, values in samples.items():
        result[name] = {"s": round(statistics.median(v[0] for v in values), 4),
                        "rss_mb": round(statistics.median(v[1] for v in values), 1)}
    floor = result["floor"]
    for fmt in formats:
        result[fmt]["ratio"] = round(result[fmt]["s"] / floor["s"], 2)
        result[fmt]["rss_ratio"] = round(result[fmt]["rss_mb"] / floor["rss_mb"], 2)
    return result


def table(results, formats):
    header = ["shape", "services", "snapshot MB", "floor s"]
    header += [f"{f} s (x floor)" for f in formats]
    header += ["floor RSS MB", "table RSS MB (x floor)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in results:
        row = [r["shape"], str(r["services"]), f'{r["snapshot_mb"]:.1f}', f'{r["floor"]["s"]:.3f}']
        row += [f'{r[f]["s"]:.3f} ({r[f]["ratio"]:.2f}x)' for f in formats]
        row += [f'{r["floor"]["rss_mb"]:.0f}',
                f'{r["table"]["rss_mb"]:.0f} ({r["table"]["rss_ratio"]:.2f}x)']
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def scaling_of(main, large, formats):
    """Time at the large size / at the main size, per format and for the floor."""
    out = {"shape": main["shape"], "from": main["services"], "to": large["services"]}
    for name in ("floor",) + tuple(formats):
        out[name] = round(large[name]["s"] / main[name]["s"], 2)
    return out


def goals(results, scaling, formats):
    checks = []
    for r in results:
        for fmt in formats:
            checks.append((f'{r["shape"]:<8} {fmt:<8} time / floor', r[fmt]["ratio"],
                           GOAL_TIME_RATIO[fmt]))
        if "table" in formats:
            checks.append((f'{r["shape"]:<8} table    peak RSS / floor', r["table"]["rss_ratio"],
                           GOAL_RSS_RATIO))
    if scaling is not None:
        for fmt in formats:
            checks.append((f'{scaling["shape"]:<8} {fmt:<8} time {scaling["to"]} / '
                           f'{scaling["from"]} services', scaling[fmt], GOAL_SCALING))
    missed = 0
    for what, value, limit in checks:
        ok = value <= limit
        missed += not ok
        print(f'  {"met   " if ok else "MISSED"} {what}: {value:.2f}x (goal <= {limit:.1f}x)')
    return missed


def compare(results, baseline, formats):
    """Ratios against the baseline's (absolute times depend on the machine; ratios less so)."""
    stored = {(b["shape"], b["services"]): b for b in baseline.get("results", [])}
    regressions = 0
    for r in results:
        b = stored.get((r["shape"], r["services"]))
        if b is None:
            print(f'  {r["shape"]} {r["services"]}: not in the baseline')
            continue
        for fmt in formats:
            if fmt not in b:
                continue
            change = r[fmt]["ratio"] / b[fmt]["ratio"]
            worse = change > TOLERANCE
            regressions += worse
            print(f'  {r["shape"]:<8} {fmt:<8} x floor {b[fmt]["ratio"]:>6.2f} -> '
                  f'{r[fmt]["ratio"]:>6.2f} ({change:.2f}x) {"REGRESSION" if worse else ""}')
        change = r["table"]["rss_ratio"] / b["table"]["rss_ratio"]
        worse = change > TOLERANCE
        regressions += worse
        print(f'  {r["shape"]:<8} table    RSS x floor {b["table"]["rss_ratio"]:>6.2f} -> '
              f'{r["table"]["rss_ratio"]:>6.2f} ({change:.2f}x) {"REGRESSION" if worse else ""}')
    return regressions


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin-dir", required=True, help="where efs-preflight(-bench) are")
    parser.add_argument("--work-dir", required=True, help="where snapshots are generated")
    parser.add_argument("--shapes", default="standard,wide,iam",
                        help="estate shapes (the first is also measured at --scale-size)")
    parser.add_argument("--size", type=int, default=5000, help="services per estate")
    parser.add_argument("--scale-size", type=int, default=20000,
                        help="services for the linearity check (0: none)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command")
    parser.add_argument("--scale-runs", type=int, default=3,
                        help="measured runs per command at --scale-size")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", default=os.path.join(os.path.dirname(__file__), "baseline.json"))
    parser.add_argument("--json-out", help="also write this run's figures to this file")
    parser.add_argument("--write-baseline", action="store_true",
                        help="store this run's figures as the new baseline")
    args = parser.parse_args()

    os.makedirs(args.work_dir, exist_ok=True)
    shapes = args.shapes.split(",")
    formats = tuple(f for f in args.formats.split(",") if f)
    if "table" not in formats:
        sys.exit("--formats must include table (the RSS goal is the table run's)")
    results = []
    for shape in shapes:
        print(f"measuring {shape}, {args.size} services ({args.runs} runs each) ...",
              file=sys.stderr)
        results.append(run_estate(args.bin_dir, args.work_dir, shape, args.size, args.runs,
                                  args.seed, formats))
    scaling = None
    large = None
    if args.scale_size:
        print(f"measuring {shapes[0]}, {args.scale_size} services ({args.scale_runs} runs each)"
              " ...", file=sys.stderr)
        large = run_estate(args.bin_dir, args.work_dir, shapes[0], args.scale_size,
                           args.scale_runs, args.seed, formats)
        scaling = scaling_of(results[0], large, formats)

    print(table(results + ([large] if large else []), formats))
    if scaling is not None:
        print(f'\ntime {scaling["to"]} / {scaling["from"]} services ({scaling["shape"]}): '
              + ", ".join(f'{name} {scaling[name]:.2f}x' for name in ("floor",) + formats))
    print("\ngoals:")
    missed = goals(results, scaling, formats)
    print(f'\n{"all goals met" if not missed else f"{missed} goal(s) missed"}')
    regressions = 0
    figures = {"runs": args.runs, "scale_runs": args.scale_runs, "seed": args.seed,
               "results": results, "large": large, "scaling": scaling}
    if os.path.exists(args.baseline) and not args.write_baseline:
        with open(args.baseline) as f:
            baseline = json.load(f)
        print(f"\nagainst the baseline ({os.path.relpath(args.baseline)}):")
        regressions = compare(results, baseline, formats)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(figures, f, indent=2)
            f.write("\n")
    if args.write_baseline:
        with open(args.baseline, "w") as f:
            json.dump(figures, f, indent=2)
            f.write("\n")
        print(f"\nwrote {os.path.relpath(args.baseline)}")
    return 1 if missed or regressions else 0


if __name__ == "__main__":
    sys.exit(main())
