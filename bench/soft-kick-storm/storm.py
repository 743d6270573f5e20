#!/usr/bin/env python3
"""Soft-kick storm benchmark: N Matrix users on one bridged channel, then the IRC server restarts. How fast the
bridge soft-kicks every user (MSC3217) and invites them back, against Synapse's own rate for the same state PUTs
and invites made directly with the appservice's token. Python 3 standard library only.

    storm.py measure --hs URL --as-token T --bot BOT_LOCALPART --network ID --channel '#storm' --n N
                     --shared-secret S --irc-port P --inspircd-dir DIR --inspircd-script scripts/inspircd.sh
                     --cps 20 --reconnect-delay 2 --out results.json
                     [--concurrency 8] [--again] [--synapse-pid PID] [--bridge-pid PID] [--bridge-log bridge.log]
        Setup (N users registered and joined to the portal alias, until all N nicks are on the channel), the raw
        variants (untimed preparation, then timed PUTs and invites), the storm (InspIRCd stopped and started again,
        until every user is soft-kicked and invited back), optionally the sequential raw variant again; JSON to
        --out, a Markdown report to stdout.

    storm.py table results.json
        prints the Markdown report of a results file
"""
import argparse, hashlib, hmac, json, os, re, socket, statistics, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
from bench import Matrix, Phase, create_bot_room, fmt, log, q, read_pid, run_all  # noqa: E402 (bench/bench.py)

SOFT_KICK_KEY = "org.matrix.msc3217.softkick"


# ---------------------------------------------------------------------------------------------------------------
# The IRC observer: an operator that is on no channel (so the bridge never sees it), told of every client connect
# by the server (snomask +c), and asking NAMES when the benchmark wants to count the channel. It reconnects every
# 20 ms when its connection drops, so its first 001 after a restart is when the server is back.

CONNECT_NOTICE = re.compile(r"CONNECT: Client connecting on port \d+ \(class [^)]*\): ([^!\s]+)!")


class Observer(threading.Thread):
    def __init__(self, port, nick="stormobs"):
        super().__init__(daemon=True)
        self.port, self.nick = port, nick
        self.lock = threading.Lock()
        self.sock = None
        self.accepted = []        # times a TCP connection to the server succeeded
        self.welcomes = []        # times of 001
        self.disconnects = []     # times the connection was lost
        self.connects = []        # (time, nick) of every client registration the server announced
        self.oper = threading.Event()
        self.names_reply = None
        self.names_done = threading.Event()
        self.names_acc = []
        self.stopping = False

    def send(self, line):
        with self.lock:
            if self.sock is None:
                raise ConnectionError("observer not connected")
            self.sock.sendall((line + "\r\n").encode())

    def run(self):
        while not self.stopping:
            try:
                s = socket.create_connection(("127.0.0.1", self.port), timeout=1)
            except OSError:
                time.sleep(0.02)
                continue
            self.accepted.append(time.time())
            try:
                self.session(s)
            except OSError:
                pass
            finally:
                s.close()
                with self.lock:
                    self.sock = None
                self.oper.clear()
                self.disconnects.append(time.time())
                self.names_done.set()

    def session(self, s):
        s.settimeout(None)
        with self.lock:
            self.sock = s
        self.send(f"NICK {self.nick}")
        self.send(f"USER {self.nick} 0 * :soft-kick storm observer")
        buf = b""
        while True:
            data = s.recv(65536)
            if not data:
                return
            now = time.time()
            buf += data
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                self.line(now, raw.decode(errors="replace").rstrip("\r"))

    def line(self, now, line):
        if line.startswith("PING"):
            self.send("PONG" + line[4:])
            return
        parts = line.split(" ")
        cmd = parts[1] if len(parts) > 1 else ""
        if cmd == "001":
            self.welcomes.append(now)
            self.send("OPER oper operpass")
        elif cmd == "433":
            self.nick += "_"
            self.send(f"NICK {self.nick}")
        elif cmd == "381":
            self.send(f"MODE {self.nick} +s +c")
        elif cmd == "MODE" and "+s" in line:
            self.oper.set()
        elif cmd == "NOTICE":
            m = CONNECT_NOTICE.search(line)
            if m:
                self.connects.append((now, m.group(1)))
        elif cmd == "353":
            self.names_acc += line.split(" :", 1)[1].split() if " :" in line else []
        elif cmd == "366":
            self.names_reply = [n.lstrip("~&@%+") for n in self.names_acc]
            self.names_acc = []
            self.names_done.set()

    def names(self, channel, timeout=10):
        """The channel's nicks (an operator sees them without being on it), or None if the observer is away."""
        if not self.oper.is_set():
            return None
        self.names_done.clear()
        self.names_reply = None
        try:
            self.send(f"NAMES {channel}")
        except OSError:
            return None
        self.names_done.wait(timeout)
        return self.names_reply


# ---------------------------------------------------------------------------------------------------------------
# CPU accounting


def phase(name, args, phases):
    """Wall time and CPU time of Synapse, the bridge, InspIRCd and this client (its threads: the Matrix users'
    HTTP calls and the IRC observer) over one phase. InspIRCd restarts in the storm: then its figure is the new
    server's whole life (the old one's last moments are lost)."""
    return Phase(name, lambda: {"synapse": args.synapse_pid, "bridge": args.bridge_pid,
                                "inspircd": read_pid(os.path.join(args.inspircd_dir, "ircd.pid"))}, phases)


# ---------------------------------------------------------------------------------------------------------------
# Users


def register_users(mx, args):
    """N users outside the bridge's namespace, through the shared-secret admin API; (user_id, token) each."""
    path = "/_synapse/admin/v1/register"
    users = [None] * args.n

    def one(i):
        localpart, password = f"stormuser{i + 1:04d}", "stormpass"
        nonce = mx.call("GET", path, auth=False)[1]["nonce"]
        mac = hmac.new(args.shared_secret.encode(), "\0".join([nonce, localpart, password, "notadmin"]).encode(),
                       hashlib.sha1).hexdigest()
        _, answer = mx.call("POST", path, {"nonce": nonce, "username": localpart, "password": password,
                                           "admin": False, "mac": mac}, auth=False)
        users[i] = (answer["user_id"], answer["access_token"])

    run_all(list(range(args.n)), one, 4)
    return users


class Timeline:
    """Membership events of a room, read forwards with /messages as the bot from a token taken before."""

    def __init__(self, mx, room):
        self.mx, self.room = mx, room
        filt = q(json.dumps({"types": ["m.room.member"]}))
        self.filt = filt
        _, page = mx.call("GET", f"/_matrix/client/v3/rooms/{q(room)}/messages?dir=b&limit=1&filter={filt}")
        self.token = page["start"]
        self.events = []

    def poll(self):
        new = []
        while True:
            _, page = self.mx.call("GET", f"/_matrix/client/v3/rooms/{q(self.room)}/messages?dir=f&limit=1000"
                                          f"&from={q(self.token)}&filter={self.filt}")
            chunk = page.get("chunk", [])
            new += chunk
            if not page.get("end") or not chunk:
                break
            self.token = page["end"]
        self.events += new
        return new


def soft_kicks(events, bot, users):
    """First soft kick per user: {user: origin_server_ts s}, and how many soft-kick events there were in all."""
    out, total = {}, 0
    for e in events:
        c = e.get("content", {})
        if (e.get("sender") == bot and e.get("state_key") in users and c.get("membership") == "leave"
                and c.get(SOFT_KICK_KEY) is True):
            total += 1
            out.setdefault(e["state_key"], e["origin_server_ts"] / 1000)
    return out, total


def invites(events, bot, users):
    out, total = {}, 0
    for e in events:
        c = e.get("content", {})
        if e.get("sender") == bot and e.get("state_key") in users and c.get("membership") == "invite":
            total += 1
            out.setdefault(e["state_key"], e["origin_server_ts"] / 1000)
    return out, total


def span(times, n):
    """first, last, and n / (last - first) (None when there is no span)."""
    if not times:
        return None, None, None
    first, last = min(times), max(times)
    return first, last, (n / (last - first) if last > first else None)


def rate_summary(times, n):
    """Connections per second: mean over first..last, and the busiest 1-second window."""
    if not times:
        return {"count": 0}
    times = sorted(times)
    first, last = times[0], times[-1]
    peak, j = 0, 0
    for i, t in enumerate(times):
        while times[j] < t - 1.0:
            j += 1
        peak = max(peak, i - j + 1)
    buckets = [0] * (int(last - first) + 1)
    for t in times:
        buckets[int(t - first)] += 1
    return {"count": len(times), "first": first, "last": last,
            "mean_per_second": (len(times) / (last - first)) if last > first else None,
            "peak_per_second": peak, "per_second": buckets}


# ---------------------------------------------------------------------------------------------------------------
# Phases


def setup(mx, args, obs, users, phases):
    """Every user joins the portal alias with their own token; the bridge connects each to the channel."""
    alias = f"#irc_{args.network}_{args.channel.lstrip('#')}:{args.domain}"
    nicks_on = lambda: [n for n in (obs.names(args.channel) or []) if n.endswith("[m]")]
    connects_before = len(obs.connects)
    with phase("setup: N users join the portal alias, until all N are on the channel", args, phases) as ph:
        uid, token = users[0]
        room = mx.call("POST", f"/_matrix/client/v3/join/{q(alias)}", {"reason": "soft-kick storm benchmark"},
                       token=token)[1]["room_id"]
        first_joined = time.time()
        run_all(users[1:], lambda u: mx.call("POST", f"/_matrix/client/v3/join/{q(alias)}",
                                             {"reason": "soft-kick storm benchmark"}, token=u[1]), args.join_concurrency)
        all_joined = time.time()
        # The bridge connects a room's joining users one after another (about 1 s each on this InspIRCd).
        deadline = time.time() + max(120.0, 3 * args.n / args.cps + 60, 3.0 * args.n + 60)
        while True:
            on = nicks_on()
            if len(on) >= args.n:
                break
            if time.time() > deadline:
                raise RuntimeError(f"setup: only {len(on)} of {args.n} Matrix users on {args.channel} "
                                   f"after {time.time() - ph.t0:.0f}s")
            time.sleep(0.25)
    on_channel = time.time()
    conn = rate_summary([t for t, nick in obs.connects[connects_before:] if nick.endswith("[m]")], args.n)
    log(f"  setup: {args.n} users joined {alias} in {all_joined - ph.t0:.1f}s, all on {args.channel} after "
        f"{on_channel - ph.t0:.1f}s; connects {fmt(conn.get('mean_per_second'))}/s mean, {conn.get('peak_per_second')} peak")
    return room, {"alias": alias, "room": room, "t0": ph.t0, "first_join_answered": first_joined - ph.t0,
                  "all_joins_answered": all_joined - ph.t0, "all_on_channel": on_channel - ph.t0,
                  "connects": conn, "cpu": ph.cpu}


def prepare_raw_room(mx, args, users):
    return create_bot_room(mx, f"@{args.bot}:{args.domain}", "raw soft-kick peer")


def raw_variant(mx, args, room, users, label, concurrency, phases):
    """The same N soft kicks (state PUTs as the bot), then the same N invites, directly with the as_token."""
    bot = f"@{args.bot}:{args.domain}"
    ids = [u for u, _ in users]
    # Untimed: every user joined (first time: a public room; later: accepting the previous variant's invite).
    run_all(users, lambda u: mx.call("POST", f"/_matrix/client/v3/join/{q(room)}", {}, token=u[1]), args.join_concurrency)
    tl = Timeline(mx, room)
    kick = {"membership": "leave", SOFT_KICK_KEY: True,
            "reason": f"Your IRC connection to Bench IRC was lost (Server shutdown). "
                      f"You will be invited back as soon as it is restored."}
    invite_reason = "Your IRC connection to Bench IRC is back."
    time.sleep(1)
    with phase(f"{label}: soft kicks", args, phases) as pk:
        kick_lat = run_all(ids, lambda u: mx.call(
            "PUT", f"/_matrix/client/v3/rooms/{q(room)}/state/m.room.member/{q(u)}", kick), concurrency)
    time.sleep(1)
    with phase(f"{label}: invites", args, phases) as pi:
        inv_lat = run_all(ids, lambda u: mx.call(
            "POST", f"/_matrix/client/v3/rooms/{q(room)}/invite", {"user_id": u, "reason": invite_reason}), concurrency)
    tl.poll()
    sk, sk_total = soft_kicks(tl.events, bot, set(ids))
    iv, iv_total = invites(tl.events, bot, set(ids))
    if len(sk) != args.n or len(iv) != args.n:
        raise RuntimeError(f"{label}: {len(sk)} soft kicks and {len(iv)} invites of {args.n} in the timeline")
    out = {"label": label, "concurrency": concurrency, "n": args.n}
    for name, ph, lat, ts in (("soft_kicks", pk, kick_lat, sk), ("invites", pi, inv_lat, iv)):
        first, last, ts_rate = span(ts.values(), args.n)
        out[name] = {"wall_s": ph.t1 - ph.t0, "wall_per_second": args.n / (ph.t1 - ph.t0),
                     "ts_span_s": last - first, "ts_per_second": ts_rate,
                     "latency_ms": {"mean": 1000 * statistics.mean(lat), "median": 1000 * statistics.median(lat)},
                     "cpu": ph.cpu}
    log(f"  {label}: soft kicks {out['soft_kicks']['wall_per_second']:.1f}/s ({fmt(out['soft_kicks']['ts_per_second'])}/s "
        f"by origin_server_ts), invites {out['invites']['wall_per_second']:.1f}/s "
        f"({fmt(out['invites']['ts_per_second'])}/s)")
    return out


def storm(mx, args, obs, room, users, phases):
    """InspIRCd stops and starts again on the same port; every user is soft-kicked and invited back."""
    bot = f"@{args.bot}:{args.domain}"
    ids = set(u for u, _ in users)
    tl = Timeline(mx, room)
    connects_before = len(obs.connects)
    channel_counts = []
    time.sleep(1)
    deadline_s = max(180.0, 3 * args.n / args.cps + 120)
    with phase("storm: InspIRCd stopped, until every user is invited back", args, phases) as ph:
        t_stop = time.time()
        subprocess.run([args.inspircd_script, "stop", args.inspircd_dir], check=True)
        t_stopped = time.time()
        subprocess.run([args.inspircd_script, "start", args.inspircd_dir, str(args.irc_port)], check=True,
                       stdout=subprocess.DEVNULL)
        t_started = time.time()
        all_kicked = all_invited = all_on = None
        last_names = last_poll = 0.0
        while True:
            # The room is read every 2 s only: each /messages costs Synapse time that the raw variants don't pay,
            # and the figures come from the events' origin_server_ts, not from when they were seen.
            if time.time() - last_poll >= 2.0:
                last_poll = time.time()
                tl.poll()
            sk, _ = soft_kicks(tl.events, bot, ids)
            iv, _ = invites(tl.events, bot, ids)
            now = time.time()
            if all_kicked is None and len(sk) >= args.n:
                all_kicked = now
            if all_invited is None and len(iv) >= args.n:
                all_invited = now
            if all_on is None and now - last_names >= 0.5:
                last_names = now
                names = obs.names(args.channel)
                if names is not None:
                    count = sum(1 for n in names if n.endswith("[m]"))
                    channel_counts.append((now - t_stop, count))
                    if count >= args.n:
                        all_on = now
            if all_kicked and all_invited and all_on:
                break
            if now - t_stop > deadline_s:
                log(f"  storm: gave up after {deadline_s:.0f}s: {len(sk)} soft-kicked, {len(iv)} invited, "
                    f"{channel_counts[-1][1] if channel_counts else '?'} on the channel")
                break
            time.sleep(0.5)
    time.sleep(2)
    tl.poll()
    sk, sk_total = soft_kicks(tl.events, bot, ids)
    iv, iv_total = invites(tl.events, bot, ids)
    welcomes = [t for t in obs.welcomes if t > t_stop]
    back = min(welcomes) if welcomes else t_started
    # The old server keeps its listener while it shuts down: the first accepted connection after it is gone.
    accepted = [t for t in obs.accepted if t > t_stopped]
    reasons = sorted({e["content"].get("reason", "") for e in tl.events
                      if e.get("content", {}).get(SOFT_KICK_KEY) is True})
    invite_reasons = sorted({e["content"].get("reason", "") for e in tl.events
                             if e.get("content", {}).get("membership") == "invite"})
    conns = [(t, nick) for t, nick in obs.connects[connects_before:]]
    # Clients that registered with the observer, before it was an operator again, are not in its notices: take
    # them from InspIRCd's log, at the observer's first 001 (they connected no later than it).
    seen = {nick for _, nick in conns}
    missed = sorted({nick for t, nick in ircd_log_connects(os.path.join(args.inspircd_dir, "ircd.log"), t_stop)
                     if nick not in seen and (nick.endswith("[m]") or nick == args.bot_nick)})
    conns += [(back, nick) for nick in missed]
    user_conns = [t for t, nick in conns if nick.endswith("[m]")]
    bot_conns = [t for t, nick in conns if nick == args.bot_nick]
    kf, kl, k_rate = span(sk.values(), args.n)
    vf, vl, v_rate = span(iv.values(), args.n)
    result = {
        "t_stop": t_stop, "stop_took_s": t_stopped - t_stop, "start_returned_s": t_started - t_stop,
        "server_back_s": back - t_stop,
        "server_accepting_s": min(accepted) - t_stop if accepted else None, "connects_from_ircd_log": missed, "server_back_from": "observer's 001" if welcomes else "inspircd.sh start",
        "soft_kicked": len(sk), "soft_kick_events": sk_total, "invited": len(iv), "invite_events": iv_total,
        "first_soft_kick_s": kf and kf - t_stop, "last_soft_kick_s": kl and kl - t_stop,
        "soft_kick_ts_per_second": k_rate if len(sk) == args.n else None,
        "soft_kick_e2e_per_second": args.n / (kl - t_stop) if len(sk) == args.n else None,
        "first_invite_after_back_s": vf and vf - back, "last_invite_after_back_s": vl and vl - back,
        "invite_ts_per_second": v_rate if len(iv) == args.n else None,
        "invite_e2e_per_second": args.n / (vl - back) if len(iv) == args.n else None,
        "all_on_channel_after_back_s": all_on and all_on - back,
        "detected_all_kicked_s": all_kicked and all_kicked - t_stop,
        "detected_all_invited_s": all_invited and all_invited - t_stop,
        "user_connects": rate_summary(user_conns, args.n),
        "first_user_connect_after_back_s": min(user_conns) - back if user_conns else None,
        "bot_connects_after_back_s": [t - back for t in bot_conns],
        "channel_counts": channel_counts, "soft_kick_reasons": reasons, "invite_reasons": invite_reasons,
        "cpu": ph.cpu, "wall_s": ph.t1 - ph.t0,
    }
    log(f"  storm: {len(sk)}/{args.n} soft-kicked (last {fmt(result['last_soft_kick_s'])}s after the stop), server "
        f"back after {result['server_back_s']:.2f}s, {len(iv)}/{args.n} invited (last "
        f"{fmt(result['last_invite_after_back_s'])}s after it); reconnects "
        f"{fmt(result['user_connects'].get('mean_per_second'))}/s mean, "
        f"{result['user_connects'].get('peak_per_second')} peak")
    return result


def ircd_log_connects(path, since):
    """(time, nick) of the CONNECT lines InspIRCd logged since a time (whole seconds: its log has no more)."""
    out = []
    if not os.path.exists(path):
        return out
    pat = re.compile(r"^(\w{3} \w{3} \d\d \d{4} \d\d:\d\d:\d\d) CONNECT: Client connecting on port \d+ "
                     r"\(class [^)]*\): ([^!\s]+)!")
    with open(path, encoding="utf8", errors="replace") as f:
        for line in f:
            m = pat.match(line)
            if m:
                t = time.mktime(time.strptime(m.group(1), "%a %b %d %Y %H:%M:%S"))
                if t >= int(since):
                    out.append((t, m.group(2)))
    return out


def bridge_log_summary(path, since):
    """Counts of the bridge's log lines that matter here, and the first few warnings and errors."""
    out = {"soft_kicked_lines": 0, "reconnect_failed_lines": 0, "connection_ended_lines": 0, "warn_error_lines": 0,
           "excerpts": []}
    if not path or not os.path.exists(path):
        return out
    with open(path, encoding="utf8", errors="replace") as f:
        for line in f:
            if "was lost" in line and "soft-kicked" in line:
                out["soft_kicked_lines"] += 1
            if "Reconnecting" in line and "failed" in line:
                out["reconnect_failed_lines"] += 1
            if "IRC connection to" in line and " ended: " in line:
                out["connection_ended_lines"] += 1
            if re.search(r"\b(WARN|ERROR)\b", line):
                out["warn_error_lines"] += 1
                if len(out["excerpts"]) < 12:
                    out["excerpts"].append(line.rstrip()[:400])
    return out


def measure(args):
    mx = Matrix(args.hs, args.as_token)
    phases = []
    obs = Observer(args.irc_port)
    obs.start()
    if not obs.oper.wait(30):
        raise RuntimeError("the IRC observer did not become an operator")
    with phase(f"register {args.n} users (shared-secret admin API)", args, phases) as ph:
        users = register_users(mx, args)
    log(f"  registered {args.n} users in {ph.t1 - ph.t0:.1f}s")
    room, setup_result = setup(mx, args, obs, users, phases)

    raw_room = prepare_raw_room(mx, args, users)
    raws = [raw_variant(mx, args, raw_room, users, "raw, one at a time", 1, phases),
            raw_variant(mx, args, raw_room, users, f"raw, {args.concurrency} at a time", args.concurrency, phases)]
    time.sleep(1)
    storm_result = storm(mx, args, obs, room, users, phases)
    if args.again:
        time.sleep(1)
        raws.append(raw_variant(mx, args, raw_room, users, "raw, one at a time, again after the storm", 1, phases))
    obs.stopping = True
    doc = {"n": args.n, "cps": args.cps, "reconnect_delay": args.reconnect_delay, "channel": args.channel,
           "when": time.strftime("%Y-%m-%d %H:%M:%S"), "cores": os.cpu_count(), "load_average": os.getloadavg(),
           "setup": setup_result, "raw": raws, "storm": storm_result, "phases": phases,
           "bridge_log": bridge_log_summary(args.bridge_log, storm_result["t_stop"])}
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=2)
    print(report(doc))


# ---------------------------------------------------------------------------------------------------------------
# Report


def ratio(a, b):
    return None if a is None or not b else a / b


def report(doc):
    n, st, su = doc["n"], doc["storm"], doc["setup"]
    raws = doc["raw"]
    seq = raws[0]
    again = next((r for r in raws if "again" in r["label"]), None)
    complete = st["soft_kicked"] == n and st["invited"] == n
    L = [f"N = {n} Matrix users on `{doc['channel']}` (one portal room), `limits.connections-per-second: "
         f"{doc['cps']:g}`, `reconnect-delay-seconds: {doc['reconnect_delay']}`; {doc['cores']} cores, "
         f"load average {doc['load_average'][0]:.2f} at the end; {doc['when']}.", ""]
    if not complete:
        L += [f"**The storm did not complete:** {st['soft_kicked']} of {n} users were soft-kicked and "
              f"{st['invited']} of {n} invited back. See the bridge's log below.", ""]

    L += ["### Setup", "",
          "| figure | value |", "|---|---|",
          f"| first alias join answered (bridge made the room) | {su['first_join_answered']:.2f} s |",
          f"| all {n} alias joins answered | {su['all_joins_answered']:.1f} s |",
          f"| all {n} nicks on the channel (observer's NAMES) | {su['all_on_channel']:.1f} s |",
          f"| new IRC connections per second, mean / peak 1-s window | {fmt(su['connects'].get('mean_per_second'))} / "
          f"{su['connects'].get('peak_per_second', '–')} |", ""]

    L += ["### Storm (InspIRCd stopped, started again on the same port)", "",
          "| figure | seconds |", "|---|---|",
          f"| stop issued → InspIRCd gone | {st['stop_took_s']:.2f} |",
          f"| stop → the new InspIRCd accepts connections (observer's first TCP connect) | "
          f"{fmt(st.get('server_accepting_s'), '.2f')} |",
          f"| stop → **server back** (observer's first 001 after the restart) | {st['server_back_s']:.2f} |",
          f"| stop → first soft kick (origin_server_ts) | {fmt(st['first_soft_kick_s'], '.2f')} |",
          f"| stop → last soft kick ({st['soft_kicked']} of {n} users soft-kicked, {st['soft_kick_events']} "
          f"soft-kick events) | {fmt(st['last_soft_kick_s'], '.2f')} |",
          f"| server back → the bridge bot reconnected (001) | "
          f"{fmt(min(st['bot_connects_after_back_s']) if st['bot_connects_after_back_s'] else None, '.2f')} |",
          f"| server back → first user reconnected (001) | {fmt(st['first_user_connect_after_back_s'], '.2f')} |",
          f"| server back → all {n} on the channel again (NAMES every 0.5 s) | "
          f"{fmt(st['all_on_channel_after_back_s'], '.2f')} |",
          f"| server back → first invite back | {fmt(st['first_invite_after_back_s'], '.2f')} |",
          f"| server back → last invite back ({st['invited']} of {n} users invited, {st['invite_events']} invite "
          f"events) | {fmt(st['last_invite_after_back_s'], '.2f')} |", ""]
    uc = st["user_connects"]
    if uc.get("count"):
        L += [f"Reconnections during recovery: {uc['count']} user connections, {fmt(uc.get('mean_per_second'))}/s "
              f"mean from the first to the last, peak {uc['peak_per_second']} in one 1-s window; per second from "
              f"the first: {', '.join(str(x) for x in uc['per_second'])}"
              + (f" ({len([x for x in st.get('connects_from_ircd_log', []) if x.endswith('[m]')])} registered "
                 f"with the observer, before it could see them, taken from InspIRCd's log)"
                 if st.get('connects_from_ircd_log') else "") + ".", ""]

    L += ["### Rates, and the bridge as a fraction of Synapse's raw rate", "",
          "| what | seconds | per second | bridge / this |", "|---|---|---|---|"]
    for key, label, bridge_ts, bridge_e2e, e2e_from, e2e_s in (
            ("soft_kicks", "Soft kicks", st["soft_kick_ts_per_second"], st["soft_kick_e2e_per_second"],
             "the stop", st["last_soft_kick_s"]),
            ("invites", "Invites back", st["invite_ts_per_second"], st["invite_e2e_per_second"],
             "the server's return", st["last_invite_after_back_s"])):
        first_last = (n / bridge_ts) if bridge_ts else None
        L.append(f"| **{label}: bridge, first → last event (origin_server_ts)** | {fmt(first_last, '.2f')} | "
                 f"**{fmt(bridge_ts)}** | – |")
        L.append(f"| **{label}: bridge, end to end from {e2e_from}** | {fmt(e2e_s, '.2f')} | **{fmt(bridge_e2e)}** | – |")
        for r in raws:
            x = r[key]
            L.append(f"| {label}: {r['label']}, first → last (origin_server_ts) | {x['ts_span_s']:.2f} | "
                     f"{fmt(x['ts_per_second'])} | first→last: **{fmt(ratio(bridge_ts, x['ts_per_second']), '.2f')}** |")
            L.append(f"| {label}: {r['label']}, client's wall clock | {x['wall_s']:.2f} | {x['wall_per_second']:.1f} | "
                     f"end to end: **{fmt(ratio(bridge_e2e, x['wall_per_second']), '.2f')}** |")
    L += ["", "Client-side latency of the raw calls, mean / median ms: " + "; ".join(
        f"{r['label']}: PUT {r['soft_kicks']['latency_ms']['mean']:.1f} / {r['soft_kicks']['latency_ms']['median']:.1f}, "
        f"invite {r['invites']['latency_ms']['mean']:.1f} / {r['invites']['latency_ms']['median']:.1f}" for r in raws), ""]

    L += ["### CPU seconds per phase", "",
          "| phase | wall s | Synapse | bridge | InspIRCd | client (users, observer) |", "|---|---|---|---|---|---|"]
    for p in doc["phases"]:
        c = p["cpu"]
        L.append(f"| {p['phase']} | {p['t1'] - p['t0']:.1f} | {fmt(c.get('synapse'))} | {fmt(c.get('bridge'))} | "
                 f"{fmt(c.get('inspircd'))} | {fmt(c.get('client'))} |")
    L.append("")
    bl = doc.get("bridge_log", {})
    L += ["### The bridge's log", "",
          f"{bl.get('connection_ended_lines', 0)} lines \"IRC connection … ended\", {bl.get('soft_kicked_lines', 0)} "
          f"\"… was lost …; soft-kicked\", {bl.get('reconnect_failed_lines', 0)} \"Reconnecting … failed\", "
          f"{bl.get('warn_error_lines', 0)} WARN/ERROR lines in all."]
    if st["soft_kick_reasons"]:
        L += ["", "Soft-kick reason(s) seen: " + "; ".join(f"\"{r}\"" for r in st["soft_kick_reasons"][:3]) + "."]
    if st["invite_reasons"]:
        L += ["Invite reason(s) seen: " + "; ".join(f"\"{r}\"" for r in st["invite_reasons"][:3]) + "."]
    if bl.get("excerpts"):
        L += ["", "First WARN/ERROR lines:", "", "```"] + bl["excerpts"] + ["```"]
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--hs", required=True)
    m.add_argument("--as-token", required=True)
    m.add_argument("--bot", required=True)
    m.add_argument("--domain", default="localhost")
    m.add_argument("--network", required=True)
    m.add_argument("--channel", required=True)
    m.add_argument("--n", type=int, required=True)
    m.add_argument("--shared-secret", required=True)
    m.add_argument("--irc-port", type=int, required=True)
    m.add_argument("--inspircd-dir", required=True)
    m.add_argument("--inspircd-script", required=True)
    m.add_argument("--bot-nick", required=True)
    m.add_argument("--cps", type=float, required=True)
    m.add_argument("--reconnect-delay", type=int, required=True)
    m.add_argument("--concurrency", type=int, default=8)
    m.add_argument("--join-concurrency", type=int, default=4)
    m.add_argument("--again", action="store_true")
    m.add_argument("--synapse-pid", type=int)
    m.add_argument("--bridge-pid", type=int)
    m.add_argument("--bridge-log")
    m.add_argument("--out", required=True)
    t = sub.add_parser("table")
    t.add_argument("file")
    a = ap.parse_args()
    if a.cmd == "measure":
        measure(a)
    else:
        with open(a.file) as f:
            print(report(json.load(f)))


if __name__ == "__main__":
    main()
