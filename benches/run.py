#!/usr/bin/env python3
"""End-to-end benchmark of `efs-preflight check --snapshot` (run it through scripts/bench.sh).

For each size it generates a synthetic snapshot (`efs-preflight-bench generate N`), then times,
end to end (process start to exit), and measures the peak RSS of:

- check: `efs-preflight check --snapshot FILE --format json -o /dev/null`
- floor: `efs-preflight-bench floor FILE` (read the file, parse it into a serde_json::Value)

Runs alternate check and floor, after one warm-up of each; medians are reported. Peak RSS is the
child's `ru_maxrss` from wait4(2). The table is compared with benches/baseline.json; the exit code
is 1 when a goal is missed or a ratio regressed beyond tolerance against the baseline.
"""

import argparse
import json
import os
import statistics
import sys
import time

# Goals, checked at the largest size (time and RSS) and between the smallest and largest size.
GOAL_TIME_RATIO = 2.0  # check / floor time
GOAL_RSS_RATIO = 1.5  # check / floor peak RSS
GOAL_SCALING = 12.0  # check time, largest / smallest size (10x the services)

# A ratio this much worse than the baseline's is reported as a regression.
TOLERANCE = 1.25


def measure(argv):
    """Runs argv with stdout to /dev/null; returns (seconds, peak RSS in MiB, exit code)."""
    actions = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def run_size(bin_dir, work_dir, services, runs, seed):
    tool = os.path.join(bin_dir, "efs-preflight-bench")
    cli = os.path.join(bin_dir, "efs-preflight")
    snapshot = os.path.join(work_dir, f"snapshot-{services}.json")
    code = measure([tool, "generate", str(services), "--seed", str(seed), "-o", snapshot])[2]
    if code != 0:
        sys.exit(f"generating {services} services failed (exit {code})")
    commands = {
        # Exit 1 means "findings at or above --fail-on": the generated estate has broken services.
        "check": ([cli, "check", "--snapshot", snapshot, "--format", "json", "-o", os.devnull], {1}),
        "floor": ([tool, "floor", snapshot], {0}),
    }
    samples = {name: [] for name in commands}
    for attempt in range(runs + 1):
        for name, (argv, ok) in commands.items():
            seconds, rss, code = measure(argv)
            if code not in ok:
                sys.exit(f"{name} on {services} services exited {code}: {' '.join(argv)}")
            if attempt > 0:  # the first round warms the page cache
                samples[name].append((seconds, rss))
    result = {"services": services, "snapshot_mb": round(os.path.getsize(snapshot) / 1e6, 1)}
    for name, values in samples.items():
        result[f"{name}_s"] = round(statistics.median(v[0] for v in values), 4)
        result[f"{name}_rss_mb"] = round(statistics.median(v[1] for v in values), 1)
    result["time_ratio"] = round(result["check_s"] / result["floor_s"], 2)
    result["rss_ratio"] = round(result["check_rss_mb"] / result["floor_rss_mb"], 2)
    return result


def table(results, scaling):
    header = ("services", "snapshot MB", "check s", "floor s", "check/floor",
              "check RSS MB", "floor RSS MB", "RSS check/floor")
    rows = [(str(r["services"]), f'{r["snapshot_mb"]:.1f}', f'{r["check_s"]:.3f}',
             f'{r["floor_s"]:.3f}', f'{r["time_ratio"]:.2f}x', f'{r["check_rss_mb"]:.0f}',
             f'{r["floor_rss_mb"]:.0f}', f'{r["rss_ratio"]:.2f}x') for r in results]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    if scaling is not None:
        first, last = results[0], results[-1]
        lines.append("")
        lines.append(f'check time {last["services"]} / {first["services"]} services: '
                     f'{scaling:.2f}x (floor: {last["floor_s"] / first["floor_s"]:.2f}x)')
    return "\n".join(lines)


def goals(results, scaling):
    last = results[-1]
    checks = [
        (f'check/floor time at {last["services"]} services', last["time_ratio"], GOAL_TIME_RATIO),
        (f'check/floor peak RSS at {last["services"]} services', last["rss_ratio"], GOAL_RSS_RATIO),
    ]
    if scaling is not None:
        checks.append((f'check time {last["services"]} / {results[0]["services"]} services',
                       scaling, GOAL_SCALING))
    missed = 0
    for what, value, limit in checks:
        ok = value <= limit
        missed += not ok
        print(f'  {"met   " if ok else "MISSED"} {what}: {value:.2f}x (goal <= {limit:.1f}x)')
    return missed


def compare(results, baseline):
    """Ratios against the baseline's (absolute times depend on the machine; ratios less so)."""
    by_size = {b["services"]: b for b in baseline.get("results", [])}
    regressions = 0
    for r in results:
        b = by_size.get(r["services"])
        if b is None:
            print(f'  {r["services"]} services: not in the baseline')
            continue
        for key, label in (("time_ratio", "check/floor time"), ("rss_ratio", "check/floor RSS"),
                           ("check_s", "check time"), ("check_rss_mb", "check RSS")):
            change = r[key] / b[key]
            worse = key.endswith("ratio") and change > TOLERANCE
            regressions += worse
            flag = "REGRESSION" if worse else ""
            print(f'  {r["services"]:>6} services, {label:<16} {b[key]:>9} -> {r[key]:>9} '
                  f'({change:.2f}x) {flag}')
    return regressions


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin-dir", required=True, help="where efs-preflight(-bench) are")
    parser.add_argument("--work-dir", required=True, help="where snapshots are generated")
    parser.add_argument("--sizes", default="500,5000", help="service counts, smallest first")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command and size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", default=os.path.join(os.path.dirname(__file__), "baseline.json"))
    parser.add_argument("--write-baseline", action="store_true",
                        help="store this run's figures as the new baseline")
    args = parser.parse_args()

    os.makedirs(args.work_dir, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for services in sizes:
        print(f"measuring {services} services ({args.runs} runs each) ...", file=sys.stderr)
        results.append(run_size(args.bin_dir, args.work_dir, services, args.runs, args.seed))
    scaling = None
    if len(results) > 1:
        scaling = round(results[-1]["check_s"] / results[0]["check_s"], 2)

    print(table(results, scaling))
    print("\ngoals:")
    missed = goals(results, scaling)
    regressions = 0
    if os.path.exists(args.baseline) and not args.write_baseline:
        with open(args.baseline) as f:
            baseline = json.load(f)
        print(f"\nagainst the baseline ({os.path.relpath(args.baseline)}):")
        regressions = compare(results, baseline)
    if args.write_baseline:
        with open(args.baseline, "w") as f:
            json.dump({"runs": args.runs, "seed": args.seed, "results": results,
                       "scaling": scaling}, f, indent=2)
            f.write("\n")
        print(f"\nwrote {os.path.relpath(args.baseline)}")
    return 1 if missed or regressions else 0


if __name__ == "__main__":
    sys.exit(main())
