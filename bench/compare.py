"""Side-by-side figures of bench/compare.sh: each benchmark's headline figures for the baseline build and for this
one (the median over the rounds), and the ratio this / baseline. Python standard library only.

Usage: compare.py OUT_DIR BASELINE CURRENT ROUNDS BENCH...
"""
import json
import statistics
import sys
import time


def portal_sync(d):
    by_label = {r["label"]: r for r in d["results"]}
    bridge = by_label["bridge"]
    raw = by_label["raw register+join, sequential"]
    second = by_label.get("bridge, ghosts registered already (second channel)")
    rows = [
        ("ghosts joined per second (alias join until the last ghost)", bridge["per_second"], "higher is better"),
        ("same, relative to raw register+join in the same run", bridge["per_second"] / raw["per_second"], "higher is better"),
        ("alias join answered (s)", bridge["alias_join_seconds"], "lower is better"),
    ]
    if second:
        rows.append(("second channel, ghosts registered already: joins per second", second["per_second"], "higher is better"))
    return rows


def soft_kick_storm(d):
    s = d["storm"]
    rows = [
        ("last soft kick after the server stopped (s)", s["last_soft_kick_s"], "lower is better"),
        ("soft kicks per second (event timestamps)", s["soft_kick_ts_per_second"], "higher is better"),
        ("last invite back after the server was back (s)", s["last_invite_after_back_s"], "lower is better"),
        ("everyone on the channel again after the server was back (s)", s["all_on_channel_after_back_s"], "lower is better"),
        ("soft kicked / invited back", f"{s['soft_kicked']} / {s['invited']}", "all"),
    ]
    cpu = s.get("cpu") or {}
    if "bridge" in cpu:
        rows.append(("bridge CPU during the storm (s)", cpu["bridge"], "lower is better"))
    return rows


def message_relay(d):
    p = d["paths"]
    rows = []
    for path in ("irc-to-matrix", "matrix-to-irc"):
        paced = p[path + "/paced"]
        burst = p[path + "/burst"]
        rows.append((f"{path} paced p50 (ms)", paced["p50_ms"], "lower is better"))
        rows.append((f"{path} paced p99 (ms)", paced["p99_ms"], "lower is better"))
        rows.append((f"{path} burst throughput (/s)", burst["throughput_per_s"], "higher is better"))
        rows.append((f"{path} lost / duplicates / reordered", f"{paced['lost'] + burst['lost']} / "
                     f"{paced['duplicates'] + burst['duplicates']} / {paced['reordered'] + burst['reordered']}", "all 0"))
    added = d.get("bridge_added_p50_ms") or {}
    for path, ms in sorted(added.items()):
        rows.append((f"{path} p50 added by the bridge (ms)", ms, "lower is better"))
    return rows


FIGURES = {"portal-sync": portal_sync, "soft-kick-storm": soft_kick_storm, "message-relay": message_relay}


def median(values):
    numbers = [v for v in values if isinstance(v, (int, float))]
    if len(numbers) == len(values):
        return statistics.median(numbers)
    return values[-1]  # counts given as text: the last round's


def fmt(v):
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def main():
    out, baseline, current, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    benches = sys.argv[5:]
    print("# Benchmarks side by side\n")
    print(f"Baseline {baseline} against this build {current}, {rounds} round(s) each, alternating, "
          f"{time.strftime('%Y-%m-%d %H:%M')}. Command: `bench/compare.sh {baseline} {' '.join(benches)}`.\n")
    for bench in benches:
        figures = {}
        for build in ("baseline", "current"):
            per_round = []
            for r in range(1, rounds + 1):
                with open(f"{out}/{bench}-{build}-{r}.json") as f:
                    per_round.append(FIGURES[bench](json.load(f)))
            figures[build] = [(label, median([rr[i][1] for rr in per_round]), better)
                              for i, (label, _, better) in enumerate(per_round[0])]
        print(f"## {bench}\n")
        print(f"| figure | baseline {baseline} | this build | this / baseline | |")
        print("|---|---|---|---|---|")
        for (label, base, better), (_, cur, _) in zip(figures["baseline"], figures["current"]):
            ratio = fmt(cur / base) if isinstance(base, (int, float)) and isinstance(cur, (int, float)) and base else "–"
            print(f"| {label} | {fmt(base)} | {fmt(cur)} | {ratio} | {better} |")
        print()


if __name__ == "__main__":
    main()
