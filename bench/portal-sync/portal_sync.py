#!/usr/bin/env python3
"""Portal sync benchmark: how fast the bridge mirrors a big IRC channel into a new Matrix room, against
Synapse's own rate for the same joins made directly by an appservice. Python 3 standard library only.

    portal_sync.py irc PORT N CHANNEL READY_FILE
        N idle IRC clients (nicks u0000…) that JOIN CHANNEL and stay connected (answering PINGs) until
        killed; READY_FILE gets "N" once every client has its NAMES end (366).

    portal_sync.py measure --hs URL --as-token T --bot BOT_LOCALPART --network ID --n N --concurrency C
                           --user U --password P --channel '#big' --out results.json
                           [--synapse-pid PID] [--bridge-pid PID] [--synapse-log homeserver.log]
        The raw variants (directly against Synapse with the as_token), then the bridge (the user joins the
        portal alias and the ghosts are counted), each timed; JSON to --out, a table to stdout.

    portal_sync.py table results.json [--synapse-log homeserver.log]
        prints the Markdown tables of a results file (recomputing the access-log figures from the log)
"""
import argparse, asyncio, json, os, re, resource, signal, statistics, sys, threading, time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
from bench import Matrix, Phase, create_bot_room, fmt, q, run_all  # noqa: E402 (bench/bench.py)

# ---------------------------------------------------------------------------------------------------------------
# IRC clients


async def irc_client(i, port, channel, joined, sem, deadline):
    nick = f"u{i:04d}"
    async with sem:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
        writer.write(f"NICK {nick}\r\nUSER {nick} 0 * :portal sync bench\r\n".encode())
        await writer.drain()
        state = "registering"
        while state != "joined":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{nick}: not joined in time ({state})")
            line = (await asyncio.wait_for(reader.readline(), 60)).decode(errors="replace")
            if not line:
                raise ConnectionError(f"{nick}: closed ({state})")
            if line.startswith("PING"):
                writer.write(("PONG" + line[4:].rstrip("\r\n") + "\r\n").encode())
            elif line.startswith("ERROR"):
                raise ConnectionError(f"{nick}: {line.strip()}")
            elif state == "registering" and (" 376 " in line or " 422 " in line):
                writer.write(f"JOIN {channel}\r\n".encode())
                state = "joining"
                names_ends = 0
            elif state == "joining" and " 366 " in line:
                # One end of NAMES per channel ("#big,#big2" joins both).
                names_ends += 1
                if names_ends == len(channel.split(",")):
                    state = "joined"
    joined.append(nick)
    # Idle: answer PINGs until the server or the benchmark closes the connection.
    while True:
        line = (await reader.readline()).decode(errors="replace")
        if not line:
            raise ConnectionError(f"{nick}: disconnected while idle")
        if line.startswith("PING"):
            writer.write(("PONG" + line[4:].rstrip("\r\n") + "\r\n").encode())


async def irc_main(port, n, channel, ready_file):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n + 200)), hard))
    joined = []
    sem = asyncio.Semaphore(50)
    t0 = time.monotonic()
    tasks = [asyncio.ensure_future(irc_client(i, port, channel, joined, sem, t0 + 300)) for i in range(n)]
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    ready_written = False
    lost = 0
    while not stop.done():
        await asyncio.wait([stop] + [t for t in tasks if not t.done()], timeout=0.5,
                           return_when=asyncio.FIRST_COMPLETED)
        failed = [t for t in tasks if t.done() and not t.cancelled() and t.exception() is not None]
        if len(failed) != lost:
            for t in failed[lost:lost + 3]:
                print(f"irc client failed: {t.exception()!r}", file=sys.stderr, flush=True)
            lost = len(failed)
        if not ready_written and len(joined) == n:
            print(f"{n} IRC clients on {channel} after {time.monotonic() - t0:.1f}s", file=sys.stderr, flush=True)
            with open(ready_file + ".tmp", "w") as f:
                f.write(str(n))
            os.rename(ready_file + ".tmp", ready_file)
            ready_written = True
        if not ready_written and failed:
            with open(ready_file + ".failed", "w") as f:
                f.write(repr(failed[0].exception()))
    print(f"stopping; {n - lost} of {n} IRC clients were still connected", file=sys.stderr, flush=True)
    for t in tasks:
        t.cancel()


# ---------------------------------------------------------------------------------------------------------------
# Variants


def phase(label, args):
    """Wall time and CPU time of Synapse, the bridge and this client over one measured phase."""
    return Phase(label, lambda: {"synapse": args.synapse_pid, "bridge": args.bridge_pid})


def create_room(mx, args, label):
    return create_bot_room(mx, f"@{args.bot}:{args.domain}", f"raw {label}")


def register(mx, localpart):
    mx.call("POST", "/_matrix/client/v3/register",
            {"type": "m.login.application_service", "username": localpart, "inhibit_login": True}, ok=(200, 400))


def raw_variant(mx, args, label, tag, concurrency, full):
    """N users of the namespace join a new room made by the bot; `full`: register + join each, the join being a
    state PUT of the user's own member event with its display name in it (what the bridge does for a ghost)."""
    reason = {"reason": f"Joined {args.channel} on Bench IRC"}
    users = [f"irc_{args.network}_raw{tag}{i:04d}" for i in range(args.n)]
    uid = lambda lp: f"@{lp}:{args.domain}"
    room = create_room(mx, args, label)
    ops = {"register": [], "displayname": [], "join": []}
    lock = threading.Lock()

    def timed(op, f):
        t = time.perf_counter()
        f()
        with lock:
            ops[op].append(time.perf_counter() - t)

    def reg(lp):
        timed("register", lambda: register(mx, lp))

    def name(lp):
        timed("displayname", lambda: mx.call("PUT", f"/_matrix/client/v3/profile/{q(uid(lp))}/displayname",
                                             {"displayname": lp.rsplit("_", 1)[1]}, user_id=uid(lp)))

    def join(lp):
        timed("join", lambda: mx.call("POST", f"/_matrix/client/v3/join/{q(room)}", reason, user_id=uid(lp)))

    def named_join(lp):
        content = dict(reason, membership="join", displayname=lp.rsplit("_", 1)[1])
        timed("join", lambda: mx.call("PUT", f"/_matrix/client/v3/rooms/{q(room)}/state/m.room.member/{q(uid(lp))}",
                                      content, user_id=uid(lp)))

    if not full:
        # Registration (with the display name, as the bridge would have it) is not part of the timed joins.
        run_all(users, lambda lp: (reg(lp), name(lp)), 8)
        ops = {"join": []}
    # A pause, so that Synapse's access log tells the untimed preparation from the timed part.
    time.sleep(1)
    with phase(label, args) as ph:
        run_all(users, (lambda lp: (reg(lp), named_join(lp))) if full else join, concurrency)
    elapsed = ph.t1 - ph.t0
    _, members = mx.call("GET", f"/_matrix/client/v3/rooms/{q(room)}/joined_members")
    got = sum(1 for u in members["joined"] if u.startswith(f"@irc_{args.network}_raw{tag}"))
    if got != args.n:
        raise RuntimeError(f"{label}: {got} of {args.n} joined")
    result = {
        "label": label, "kind": "raw", "concurrency": concurrency, "timed": "register+join" if full else "join",
        "n": args.n, "seconds": elapsed, "per_second": args.n / elapsed, "t0": ph.t0, "t1": ph.t1, "cpu": ph.cpu,
        "room": room,
        "latency_ms": {op: {"mean": 1000 * statistics.mean(v), "median": 1000 * statistics.median(v)}
                       for op, v in ops.items() if v},
    }
    print(f"  {label}: {args.n} in {elapsed:.1f}s = {result['per_second']:.1f}/s", file=sys.stderr, flush=True)
    return result


def bridge_variant(mx, args, channel=None, label="bridge", kind="bridge"):
    """The Matrix user joins the portal alias; the bridge makes the room and joins one ghost per IRC user."""
    channel = channel or args.channel
    _, login = mx.call("POST", "/_matrix/client/v3/login", {
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": args.user}, "password": args.password})
    token = login["access_token"]
    alias = f"#irc_{args.network}_{channel.lstrip('#')}:{args.domain}"
    ghost_prefix = f"@irc_{args.network}_u"
    deadline_s = max(120.0, args.n * 1.0)
    polls = []
    time.sleep(1)
    with phase(label, args) as ph:
        _, joined = mx.call("POST", f"/_matrix/client/v3/join/{q(alias)}", {"reason": "portal sync benchmark"},
                            token=token)
        alias_joined = time.time()
        room = joined["room_id"]
        count = 0
        while True:
            _, members = mx.call("GET", f"/_matrix/client/v3/rooms/{q(room)}/joined_members", token=token)
            count = sum(1 for u in members["joined"] if u.startswith(ghost_prefix))
            polls.append((time.time() - ph.t0, count))
            if count >= args.n:
                break
            if time.time() - ph.t0 > deadline_s:
                raise RuntimeError(f"bridge: only {count} of {args.n} ghosts after {deadline_s:.0f}s")
            time.sleep(args.poll)
    # Exact times from the homeserver: origin_server_ts of each ghost's join.
    _, state = mx.call("GET", f"/_matrix/client/v3/rooms/{q(room)}/members?membership=join", token=token)
    ts = sorted(e["origin_server_ts"] / 1000 for e in state["chunk"] if e["state_key"].startswith(ghost_prefix))
    first, last = ts[0], ts[-1]
    result = {
        "label": label, "kind": kind, "n": args.n, "room": room, "user": args.user, "t0": ph.t0, "t1": ph.t1, "cpu": ph.cpu,
        "alias_join_seconds": alias_joined - ph.t0,
        "first_ghost_seconds": first - ph.t0, "last_ghost_seconds": last - ph.t0,
        # End to end: from the alias join request to the last ghost's join event.
        "seconds": last - ph.t0, "per_second": args.n / (last - ph.t0),
        # Steady state: between the first and the last ghost join.
        "steady_per_second": (args.n - 1) / (last - first) if last > first else None,
        "detected_seconds": ph.t1 - ph.t0, "polls": len(polls),
    }
    print(f"  {label}: {args.n} ghosts; alias join answered after {result['alias_join_seconds']:.2f}s, first ghost "
          f"{result['first_ghost_seconds']:.2f}s, last {result['last_ghost_seconds']:.1f}s = "
          f"{result['per_second']:.1f}/s end to end, {result['steady_per_second']:.1f}/s steady",
          file=sys.stderr, flush=True)
    return result


# Synapse's access log line (synapse/http/site.py).
ACCESS = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) - synapse\.access\.\S+ - \d+ - INFO - \S+ - \S+ - \S+ - "
                    r"\{(?P<who>[^}]*)\} Processed request: (?P<proc>[\d.]+)sec/[\d.]+sec "
                    r"ru=\((?P<ru_u>[\d.]+)sec, (?P<ru_s>[\d.]+)sec\) db=\((?P<db_sched>[\d.]+)sec/(?P<db_txn>[\d.]+)sec/\d+\)"
                    r" \S+ (?P<status>\d+) \"(?P<method>\S+) (?P<uri>\S+) ")


def endpoint(method, uri):
    path = urllib.parse.urlsplit(uri).path
    for name, pat in (("register", "/register"), ("displayname", "/displayname"), ("joined_members", "/joined_members"),
                      ("createRoom", "/createRoom"), ("members", "/members")):
        if path.endswith(pat):
            return name
    if "/join/" in path or "/state/m.room.member/" in path:
        return "join"
    if path.startswith("/_matrix/client/v3/rooms/") and path.split("/")[-1] in ("leave", "kick", "invite"):
        return path.split("/")[-1]
    return "other"


def access_log(path, phases):
    """Per phase and endpoint: requests, summed processing time and CPU time (Synapse's own accounting)."""
    out = {p["label"]: {} for p in phases}
    if not path or not os.path.exists(path):
        return out
    with open(path, encoding="utf8", errors="replace") as f:
        for line in f:
            m = ACCESS.match(line)
            if not m:
                continue
            # The log line is written when the request finishes; its timestamp is the finish time.
            t = time.mktime(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) + int(m.group(2)) / 1000
            for p in phases:
                if p["t0"] <= t <= p["t1"] + 0.2:
                    e = out[p["label"]].setdefault(endpoint(m.group("method"), m.group("uri")),
                                                     {"requests": 0, "processing_s": 0.0, "cpu_s": 0.0, "db_s": 0.0})
                    e["requests"] += 1
                    e["processing_s"] += float(m.group("proc"))
                    e["cpu_s"] += float(m.group("ru_u")) + float(m.group("ru_s"))
                    e["db_s"] += float(m.group("db_sched")) + float(m.group("db_txn"))
                    break
    return out


def chain_gaps(path, phases):
    """For the sequential register+join variants and the bridge: per user, Synapse's processing time of
    the calls and the time between them (Synapse had answered one and not yet started the next: the client's
    own time, the loopback, and Synapse's event loop busy with other work), in ms per user."""
    out = {}
    if not path or not os.path.exists(path):
        return out
    calls = []
    with open(path, encoding="utf8", errors="replace") as f:
        for line in f:
            m = ACCESS.match(line)
            if m and endpoint(m.group("method"), m.group("uri")) in ("register", "displayname", "join"):
                end = time.mktime(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) + int(m.group(2)) / 1000
                calls.append((end - float(m.group("proc")), end, float(m.group("proc")), m.group("who")))
    for p in phases:
        if not (p["kind"] == "bridge" or (p.get("concurrency") == 1 and p.get("timed", "").startswith("register"))):
            continue
        # Not the Matrix user's own join of the portal alias.
        me = "@" + p.get("user", "benchuser") + ":"
        seq = sorted(c for c in calls if p["t0"] <= c[1] <= p["t1"] + 0.2 and not c[3].startswith(me))
        if len(seq) < 2:
            continue
        users = p["n"]
        out[p["label"]] = {
            "synapse_ms": 1000 * sum(c[2] for c in seq) / users,
            "between_ms": 1000 * sum(max(0.0, b[0] - a[1]) for a, b in zip(seq, seq[1:])) / users,
            "wall_ms": 1000 * (p["t1"] - p["t0"] if p["kind"] == "raw" else p["seconds"]) / p["n"],
        }
    return out


def measure(args):
    mx = Matrix(args.hs, args.as_token)
    variants = [
        ("raw join, sequential", "s", 1, False),
        (f"raw join, {args.concurrency} at a time", "c", args.concurrency, False),
        ("raw register+join, sequential", "fs", 1, True),
        (f"raw register+join, {args.concurrency} at a time", "fc", args.concurrency, True),
    ]
    results = []
    for label, tag, conc, full in variants:
        results.append(raw_variant(mx, args, label, tag, conc, full))
        time.sleep(1)
    results.append(bridge_variant(mx, args))
    time.sleep(1)
    if args.channel2:
        # The same IRC users on a second channel: their ghosts exist now, so the bridge only joins them, like
        # the raw join variants (whose users were registered beforehand).
        results.append(bridge_variant(mx, args, args.channel2, "bridge, ghosts registered already (second channel)",
                                      "bridge-registered"))
        time.sleep(1)
    if args.again:
        # The same sequential variant after the bridge, to see how much the homeserver drifted during the run.
        results.append(raw_variant(mx, args, "raw register+join, sequential (again, after the bridge)",
                                   "fa", 1, True))
    log_stats = access_log(args.synapse_log, results)
    gaps = chain_gaps(args.synapse_log, results)
    for r in results:
        r["synapse_requests"] = log_stats.get(r["label"], {})
        if r["label"] in gaps:
            r["chain_ms"] = gaps[r["label"]]
    doc = {"n": args.n, "concurrency": args.concurrency, "when": time.strftime("%Y-%m-%d %H:%M:%S"),
           "cores": os.cpu_count(), "results": results}
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=2)
    print(table(doc))


def table(doc):
    rs = doc["results"]
    bridge = next(r for r in rs if r["kind"] == "bridge")
    lines = [
        f"N = {doc['n']} joins per variant, {doc['cores']} cores, {doc['when']}",
        "",
        "| variant | timed per user | seconds | per second | bridge end-to-end / this | bridge steady / this |",
        "|---|---|---|---|---|---|",
    ]
    for r in rs:
        if r["kind"] == "raw":
            lines.append(f"| {r['label']} | {r['timed']} | {r['seconds']:.1f} | {r['per_second']:.1f} | "
                         f"{bridge['per_second'] / r['per_second']:.2f} | "
                         f"{fmt(bridge['steady_per_second'] and bridge['steady_per_second'] / r['per_second'], '.2f')} |")
        elif r["kind"] == "bridge":
            lines.append(f"| **bridge: alias join until the last ghost's join** | register+join (the bridge) | "
                         f"{r['seconds']:.1f} | **{r['per_second']:.1f}** ({fmt(r['steady_per_second'])} steady) | "
                         f"1.00 | – |")
    again = next((r for r in rs if r["kind"] == "bridge-registered"), None)
    if again:
        lines += ["", "The same 1,000 IRC users on a second channel, mirrored into a new room: their ghosts exist "
                  "already, so the bridge only joins them, like the raw join variants, whose users were registered "
                  "beforehand:", "",
                  "| variant | seconds | per second | this / raw join, sequential | this / raw join, concurrent |",
                  "|---|---|---|---|---|"]
        raw_joins = [r for r in rs if r["kind"] == "raw" and r["timed"] == "join"]
        ratios = " | ".join(f"{again['per_second'] / r['per_second']:.2f} (steady "
                            f"{fmt(again['steady_per_second'] and again['steady_per_second'] / r['per_second'], '.2f')})"
                            for r in raw_joins[:2])
        lines.append(f"| **{again['label']}** | {again['seconds']:.1f} | **{again['per_second']:.1f}** "
                     f"({fmt(again['steady_per_second'])} steady) | {ratios} |")
    lines += [
        "",
        f"Bridge: alias join answered (room made, bot on the channel) after {bridge['alias_join_seconds']:.2f} s; "
        f"first ghost joined after {bridge['first_ghost_seconds']:.2f} s, the last after "
        f"{bridge['last_ghost_seconds']:.1f} s (origin_server_ts of the join events).",
        "",
        "CPU seconds used during each variant, and Synapse's own accounting of the requests it served then "
        "(access log: requests, summed processing time, summed CPU time):",
        "",
        "| variant | wall s | Synapse CPU s | bridge CPU s | client CPU s | Synapse requests (processing s / CPU s) |",
        "|---|---|---|---|---|---|",
    ]
    for r in rs:
        wall = r["t1"] - r["t0"]
        reqs = ", ".join(f"{k} {v['requests']} ({v['processing_s']:.1f}/{v['cpu_s']:.1f})"
                         for k, v in sorted(r.get("synapse_requests", {}).items(), key=lambda kv: -kv[1]["requests"]))
        lines.append(f"| {r['label']} | {wall:.1f} | {fmt(r['cpu']['synapse'])} | {fmt(r['cpu']['bridge'])} | "
                     f"{fmt(r['cpu']['client'])} | {reqs or '–'} |")
    chains = [r for r in rs if r.get("chain_ms")]
    if chains:
        lines += ["", "Per user, register + join one after the other (from Synapse's access log): "
                  "Synapse's processing time of the calls, and the time between them (Synapse had answered "
                  "one call and not yet started the next):", "",
                  "| variant | ms per user | Synapse processing ms | between calls ms |", "|---|---|---|---|"]
        for r in chains:
            c = r["chain_ms"]
            lines.append(f"| {r['label']} | {c['wall_ms']:.1f} | {c['synapse_ms']:.1f} | {c['between_ms']:.1f} |")
    lat = [r for r in rs if r["kind"] == "raw" and r.get("latency_ms")]
    if lat:
        lines += ["", "Client-side latency per call, mean / median ms:", "",
                  "| variant | register | displayname | join |", "|---|---|---|---|"]
        for r in lat:
            cell = lambda op: (f"{r['latency_ms'][op]['mean']:.1f} / {r['latency_ms'][op]['median']:.1f}"
                               if op in r["latency_ms"] else "–")
            lines.append(f"| {r['label']} | {cell('register')} | {cell('displayname')} | {cell('join')} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    irc = sub.add_parser("irc")
    irc.add_argument("port", type=int)
    irc.add_argument("n", type=int)
    irc.add_argument("channel")
    irc.add_argument("ready_file")
    m = sub.add_parser("measure")
    m.add_argument("--hs", required=True)
    m.add_argument("--as-token", required=True)
    m.add_argument("--bot", required=True)
    m.add_argument("--domain", default="localhost")
    m.add_argument("--network", required=True)
    m.add_argument("--channel", required=True)
    m.add_argument("--channel2", help="a second channel the IRC users are on, mirrored after the first")
    m.add_argument("--n", type=int, required=True)
    m.add_argument("--concurrency", type=int, default=8)
    m.add_argument("--user", required=True)
    m.add_argument("--password", required=True)
    m.add_argument("--poll", type=float, default=1.0)
    m.add_argument("--again", action="store_true")
    m.add_argument("--synapse-pid", type=int)
    m.add_argument("--bridge-pid", type=int)
    m.add_argument("--synapse-log")
    m.add_argument("--out", required=True)
    t = sub.add_parser("table")
    t.add_argument("file")
    t.add_argument("--synapse-log", help="recompute the access-log figures from this log (and update the file)")
    a = ap.parse_args()
    if a.cmd == "irc":
        asyncio.run(irc_main(a.port, a.n, a.channel, a.ready_file))
    elif a.cmd == "measure":
        measure(a)
    else:
        with open(a.file) as f:
            doc = json.load(f)
        if a.synapse_log:
            stats, gaps = access_log(a.synapse_log, doc["results"]), chain_gaps(a.synapse_log, doc["results"])
            for r in doc["results"]:
                r["synapse_requests"] = stats.get(r["label"], {})
                if r["label"] in gaps:
                    r["chain_ms"] = gaps[r["label"]]
            with open(a.file, "w") as f:
                json.dump(doc, f, indent=2)
        print(table(doc))


if __name__ == "__main__":
    main()
