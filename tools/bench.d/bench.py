"""tools/bench's Python side: seeding, request bodies, the distinct-request load generator,
reading h2load's and pgbench's outputs into one result row each, and the final table.

Result rows (one JSON object a line in the results file) carry: scenario, system (who was
measured: call-booking, nghttpd, pgbench, ...), tool, rps, p50_ms, p99_ms, done, failed,
rss (call-booking's peak RSS during the scenario, "-" for others), note.
"""

import argparse
import glob
import json
import os
import re
import statistics
import sys

import h2client
import scenarios


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(round(fraction * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def row(scenario, system, tool, rps, latencies_us, done, failed, rss="-", note=""):
    latencies_us = sorted(latencies_us)
    return {"scenario": scenario, "system": system, "tool": tool, "rps": rps,
            "p50_ms": percentile(latencies_us, 0.50) / 1000, "p99_ms": percentile(latencies_us, 0.99) / 1000,
            "done": done, "failed": failed, "rss": rss, "note": note}


def append(path, result):
    with open(path, "a") as out:
        out.write(json.dumps(result) + "\n")


# --- h2load ---------------------------------------------------------------------------------------

def h2load_row(args):
    """Reads h2load's report and --log-file. Failures: h2load's own (failed, errored, timeout),
    non-2xx statuses, and, with --expect-size, answers whose data bytes do not add up to that
    size each (a gRPC error is HTTP 200 with no message: each one missing counts as a failure)."""
    text = open(args.output).read()
    rps = float(re.search(r"finished in .*?, ([\d.]+) req/s", text).group(1))
    requests = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                         r"(\d+) errored, (\d+) timeout", text)
    done = int(requests.group(3))
    failed = int(requests.group(5)) + int(requests.group(6)) + int(requests.group(7))
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
    non_2xx = sum(int(codes.group(i)) for i in (2, 3, 4))
    data = int(re.search(r"traffic: .*? \((\d+)\) data", text).group(1))
    note = args.note or ""
    extra = non_2xx
    if args.expect_size:
        whole, rest = divmod(data, args.expect_size)
        extra = max(extra, done - whole)
        if rest:
            note = (note + "; " if note else "") + f"data {data} B is not a multiple of {args.expect_size} B"
            extra = max(extra, 1)
    latencies = []
    for path in glob.glob(args.log + "*"):
        with open(path) as log:
            for line in log:
                parts = line.split("\t")
                if len(parts) >= 3:
                    latencies.append(int(parts[2]))
    append(args.results, row(args.scenario, args.system, args.tool, rps, latencies, done, failed + extra,
                             args.rss, note))


# --- pgbench --------------------------------------------------------------------------------------

def pgbench_row(args):
    """Reads pgbench's report (tps without initial connection time, failed transactions) and its
    per-transaction logs (--log: the latency in µs is the third field)."""
    text = open(args.output).read()
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", text)
    done = re.search(r"number of transactions actually processed: (\d+)", text)
    failed = re.search(r"number of failed transactions: (\d+)", text)
    latencies = []
    for path in glob.glob(args.log + "*"):
        with open(path) as log:
            for line in log:
                parts = line.split()
                if len(parts) >= 3 and parts[2].isdigit():
                    latencies.append(int(parts[2]))
    errors = len(re.findall(r"(?m)^pgbench: error", text))
    append(args.results, row(args.scenario, "pgbench", args.tool, float(match.group(1)) if match else 0.0, latencies,
                             int(done.group(1)) if done else 0, (int(failed.group(1)) if failed else 0) + errors,
                             "-", args.note or ""))


# --- seeding and bodies ---------------------------------------------------------------------------

def seed(args):
    seeds = scenarios.seed(args.base)
    json.dump(seeds, open(args.out, "w"))
    directory = os.path.dirname(args.out)
    open(os.path.join(directory, "get-call.bin"), "wb").write(scenarios.get_call_body(seeds))
    open(os.path.join(directory, "call-token.bin"), "wb").write(scenarios.call_token_body(seeds))
    with open(os.path.join(directory, "booking-experts.csv"), "w") as out:
        for k, expert in enumerate(seeds["booking_experts"]):
            out.write(f"{k},{expert['id']},{expert['email']}\n")
    print(seeds["call_id"])


def tokens(args):
    print(scenarios.admin_token() if args.role == "admin" else scenarios.customer_token())


# --- the distinct-request load generator ----------------------------------------------------------

def load(args):
    seeds = json.load(open(args.seeds)) if args.seeds else None
    if args.kind == "create-call":
        requests = list(scenarios.create_call_requests(seeds, args.count))
    elif args.kind == "calendly":
        requests = list(scenarios.calendly_requests(seeds, args.count, os.environ["CALENDLY_WEBHOOK_SECRET"]))
    elif args.kind == "list-experts":
        pages = scenarios.list_experts_requests(seeds)
        requests = (pages[i % len(pages)] for i in range(10**9))
    elif args.kind == "static":  # the generator's own ceiling: nghttpd answering a static file
        body = b"x" * args.body_size
        requests = (h2client.Request("/static", [("content-type", "application/grpc"), ("te", "trailers")], body)
                    for _ in range(10**9))
    else:
        sys.exit(f"unknown kind {args.kind}")
    # A delivery Calendly sends that books nothing (no expert matched) is a 200 too.
    expect = b'"result":"applied"' if args.kind == "calendly" else None
    result = h2client.run(args.host, args.port, requests, args.connections, args.streams, args.seconds,
                          grpc=args.grpc, expect=expect)
    done = len(result.latencies_us) + result.failed
    note = args.note or ""
    if result.exhausted:
        note = (note + "; " if note else "") + f"all {done} prepared requests sent in {result.elapsed:.1f}s"
    if result.sample_failures:
        print(f"bench: {args.scenario}/{args.system}: {result.failed} failed, e.g. {result.sample_failures[:3]}",
              file=sys.stderr)
    append(args.results, row(args.scenario, args.system, "h2client.py", len(result.latencies_us) / result.elapsed,
                             result.latencies_us, done, result.failed, args.rss, note))


# --- the table ------------------------------------------------------------------------------------

def _ms(value):
    return "-" if value != value else f"{value:.2f}"


def table(args):
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    comparisons = [json.loads(line) for line in open(args.comparisons) if line.strip()] \
        if os.path.exists(args.comparisons) else []
    header = f"{'scenario':<13} {'system':<20} {'tool':<12} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} " \
             f"{'done':>9} {'failed':>7} {'peak RSS':>10}  note"
    print(header)
    print("-" * len(header))
    for r in rows:
        rps, p50, p99 = (f"{r['rps']:.0f}" if r["rps"] else "-"), _ms(r["p50_ms"]), _ms(r["p99_ms"])
        print(f"{r['scenario']:<13} {r['system']:<20} {r['tool']:<12} {rps:>10} {p50:>8} "
              f"{p99:>8} {r['done']:>9} {r['failed']:>7} {r['rss']:>10}  {r['note']}")
    print()
    print(f"{'scenario':<13} {'measure':<44} {'value':>10} {'target':>10}  verdict")
    status = 0
    find = {(r["scenario"], r["system"]): r for r in rows}
    for c in comparisons:
        if c.get("skipped"):
            print(f"{c['scenario']:<13} {c['measure']}")
            continue
        value = c.get("value")
        if value is None and "field" in c:
            ours = find.get((c["scenario"], c["ours"]))
            value = ours[c["field"]] if ours else None
        elif value is None:
            ours, ref = find.get((c["scenario"], c["ours"])), find.get((c["scenario"], c["reference"]))
            value = ours["rps"] / ref["rps"] if ours and ref and ref["rps"] else None
        target = f"{'≥' if c['higher_is_better'] else '≤'} {c['target']:g}"
        if value is None or value != value:
            print(f"{c['scenario']:<13} {c['measure']:<44} {'-':>10} {target:>10}  not measured")
            continue
        met = value >= c["target"] if c["higher_is_better"] else value <= c["target"]
        print(f"{c['scenario']:<13} {c['measure']:<44} {value:>10.3f} {target:>10}  {'met' if met else 'NOT met'}")
    if any(r["failed"] for r in rows):
        status = 1
    sys.exit(status)


def compare(args):
    entry = {"scenario": args.scenario, "measure": args.measure, "target": args.target,
             "higher_is_better": not args.lower_is_better}
    if args.skipped:
        entry["skipped"] = True
    elif args.value is not None:
        entry["value"] = args.value
    elif args.field:
        entry["ours"], entry["field"] = args.ours, args.field
    else:
        entry["ours"], entry["reference"] = args.ours, args.reference
    append(args.comparisons, entry)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seed"); p.add_argument("--base", required=True); p.add_argument("--out", required=True)
    p.set_defaults(func=seed)
    p = sub.add_parser("token"); p.add_argument("role", choices=["admin", "customer"]); p.set_defaults(func=tokens)
    for name, func in [("h2load", h2load_row), ("pgbench", pgbench_row), ("load", load)]:
        p = sub.add_parser(name)
        p.add_argument("--results", required=True); p.add_argument("--scenario", required=True)
        p.add_argument("--system", default="call-booking"); p.add_argument("--tool", default=name)
        p.add_argument("--rss", default="-"); p.add_argument("--note")
        p.set_defaults(func=func)
        if name in ("h2load", "pgbench"):
            p.add_argument("--output", required=True); p.add_argument("--log", required=True)
        if name == "h2load":
            p.add_argument("--expect-size", type=int)
        if name == "load":
            p.add_argument("--kind", required=True); p.add_argument("--seeds")
            p.add_argument("--host", default="127.0.0.1"); p.add_argument("--port", type=int, required=True)
            p.add_argument("--connections", type=int, default=16); p.add_argument("--streams", type=int, default=1)
            p.add_argument("--seconds", type=float, default=10); p.add_argument("--count", type=int, default=20000)
            p.add_argument("--body-size", type=int, default=300); p.add_argument("--grpc", action="store_true")
    p = sub.add_parser("compare")
    p.add_argument("--comparisons", required=True); p.add_argument("--scenario", required=True)
    p.add_argument("--measure", required=True); p.add_argument("--target", type=float, required=True)
    p.add_argument("--ours"); p.add_argument("--reference"); p.add_argument("--value", type=float)
    p.add_argument("--lower-is-better", action="store_true"); p.add_argument("--field")
    p.add_argument("--skipped", action="store_true")
    p.set_defaults(func=compare)
    p = sub.add_parser("table"); p.add_argument("--results", required=True); p.add_argument("--comparisons", required=True)
    p.set_defaults(func=table)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
