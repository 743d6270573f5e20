#!/usr/bin/env python3
"""Message relay benchmark: N messages each way through the bridge (IRC -> Matrix, Matrix -> IRC), beside the raw
paths measured in the same run (IRC client -> IRC client through InspIRCd; Matrix client -> Matrix client through
Synapse). Python 3 standard library only.

    message_relay.py --hs URL --irc-port P --domain D --network ID --n N --rate R
                     --alice USER:PASS --bob USER:PASS --out results.json

Each message carries its sequence number; the receiver notes when it arrives (one clock, one process). Per path:
p50 / p99 / mean latency, throughput (messages received / time from the first send to the last arrival), loss
(sent, never received), duplicates, and reordering (messages that arrived after one with a higher number).
Two phases: paced (each sender at R messages a second, below what Synapse takes from one sender, latency counted
from when each message was due) and burst (each sender as fast as it can, for throughput).
"""
import json, os, socket, statistics, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
import bench  # noqa: E402 (bench/bench.py)
from bench import q  # noqa: E402

# ---------------------------------------------------------------------------------------------------------------
# IRC


class Irc:
    """One IRC client on a socket; a reader thread answers PINGs and hands lines to a callback."""

    def __init__(self, port, nick):
        self.nick = nick
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile("rb")
        self.on_line = None
        self.lock = threading.Lock()
        self.send(f"NICK {nick}")
        self.send(f"USER {nick} 0 * :message relay bench")
        self.wait_for(lambda l: " 001 " in l, 30)
        self.sock.settimeout(None)
        threading.Thread(target=self._read, daemon=True).start()

    def send(self, line):
        with self.lock:
            self.sock.sendall((line + "\r\n").encode())

    def wait_for(self, match, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            line = self.file.readline().decode(errors="replace").rstrip("\r\n")
            if not line:
                raise ConnectionError(f"{self.nick}: closed")
            if line.startswith("PING"):
                self.send("PONG" + line[4:])
            elif match(line):
                return line
        raise TimeoutError(f"{self.nick}: nothing matched in {timeout}s")

    def _read(self):
        while True:
            raw = self.file.readline()
            if not raw:
                return
            t = time.perf_counter()
            line = raw.decode(errors="replace").rstrip("\r\n")
            if line.startswith("PING"):
                self.send("PONG" + line[4:])
            elif self.on_line:
                self.on_line(line, t)

    def join(self, channel):
        done = threading.Event()
        self.on_line = lambda line, t: done.set() if f" 366 {self.nick} {channel} " in line else None
        self.send(f"JOIN {channel}")
        if not done.wait(30):
            raise TimeoutError(f"{self.nick} could not join {channel}")
        self.on_line = None


# ---------------------------------------------------------------------------------------------------------------
# Matrix


class Matrix(bench.Matrix):
    """The Matrix client for one user, logged in with a password."""

    def __init__(self, base, user, password):
        super().__init__(base)
        self.login(user, password)
        self.txn = 0

    def send_text(self, room, body):
        self.txn += 1
        return self.call("PUT", f"/_matrix/client/v3/rooms/{q(room)}/send/m.room.message/b{time.time_ns()}.{self.txn}",
                         {"msgtype": "m.text", "body": body})[1]

    def join(self, room_or_alias):
        return self.call("POST", f"/_matrix/client/v3/join/{q(room_or_alias)}", {})[1]["room_id"]

    def sync_loop(self, on_event, stop):
        """Long-polls /sync from now on, calling on_event(room_id, event, arrival time) for timeline events."""
        flt = q(json.dumps({"room": {"timeline": {"limit": 1000}, "state": {"lazy_load_members": True}},
                            "presence": {"types": []}, "account_data": {"types": []}}))
        since = self.call("GET", f"/_matrix/client/v3/sync?timeout=0&filter={flt}")[1]["next_batch"]
        while not stop.is_set():
            _, answer = self.call("GET", f"/_matrix/client/v3/sync?timeout=5000&since={q(since)}&filter={flt}")
            t = time.perf_counter()
            since = answer["next_batch"]
            for room_id, room in answer.get("rooms", {}).get("join", {}).items():
                for event in room.get("timeline", {}).get("events", []):
                    on_event(room_id, event, t)


# ---------------------------------------------------------------------------------------------------------------
# One measured path


class Path:
    def __init__(self, name, n):
        self.name, self.n = name, n
        self.sent = {}
        self.received = {}
        self.order = []
        self.duplicates = 0
        self.lock = threading.Lock()
        self.all_in = threading.Event()

    def arrived(self, text, t):
        parts = text.split(" ")
        if len(parts) != 2 or parts[0] != self.name:
            return
        seq = int(parts[1])
        with self.lock:
            if seq in self.received:
                self.duplicates += 1
                return
            self.received[seq] = t
            self.order.append(seq)
            if len(self.received) == self.n:
                self.all_in.set()

    def run(self, send, rate, settle):
        interval = 1.0 / rate if rate else 0
        start = time.perf_counter()
        for seq in range(self.n):
            due = start + seq * interval
            now = time.perf_counter()
            if now < due:
                time.sleep(due - now)
            # Latency counts from when the message was due, not from when a slow sender got round to it: a
            # Matrix client waiting for its previous PUT would otherwise hide the queue that an IRC client's
            # messages meet inside the bridge ("coordinated omission"). In a burst every message is due at once
            # only in the IRC sender's case, so there the time of the call is used.
            self.sent[seq] = due if interval else time.perf_counter()
            send(f"{self.name} {seq}")
        self.all_in.wait(settle)

    def result(self):
        latencies = sorted((self.received[s] - self.sent[s]) * 1000 for s in self.received if s in self.sent)
        reordered, highest = 0, -1
        for s in self.order:
            if s < highest:
                reordered += 1
            highest = max(highest, s)
        first = min(self.sent.values())
        last = max(self.received.values()) if self.received else first
        pct = lambda p: latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))] if latencies else None
        return {
            "path": self.name, "sent": len(self.sent), "received": len(self.received),
            "lost": len(self.sent) - len(self.received), "duplicates": self.duplicates, "reordered": reordered,
            "p50_ms": pct(50), "p99_ms": pct(99), "mean_ms": statistics.fmean(latencies) if latencies else None,
            "max_ms": latencies[-1] if latencies else None,
            "throughput_per_s": len(self.received) / (last - first) if last > first else None,
            "send_seconds": max(self.sent.values()) - first,
        }


def main():
    ap = bench.relay_arguments(1000, rate_help="messages a second in the paced phase")
    ap.add_argument("--burst", type=int, default=1000, help="messages per path in the burst phase")
    ap.add_argument("--bob", required=True)
    args = ap.parse_args()
    stamp = str(int(time.time()))[-5:]
    relay_channel, raw_channel = f"#relay{stamp}", f"#raw{stamp}"

    alice = Matrix(args.hs, *args.alice.split(":", 1))
    bob = Matrix(args.hs, *args.bob.split(":", 1))
    irc_a = Irc(args.irc_port, f"ircA{stamp}")
    irc_b = Irc(args.irc_port, f"ircB{stamp}")
    irc_a.join(raw_channel)
    irc_b.join(raw_channel)
    irc_b.join(relay_channel)

    # Raw Matrix room: alice sends, bob reads.
    raw_room = alice.call("POST", "/_matrix/client/v3/createRoom", {"preset": "public_chat", "name": "raw"})[1]["room_id"]
    bob.join(raw_room)
    # The portal: alice joins the channel's room; IRC sees her own connection arrive.
    alice_nick = {}
    arrived = threading.Event()

    def watch_join(line, t):
        parts = line.split(" ")
        if len(parts) >= 3 and parts[1] == "JOIN" and parts[0].startswith(":") and "[m]" in parts[0]:
            alice_nick["nick"] = parts[0][1:].split("!", 1)[0]
            arrived.set()

    irc_b.on_line = watch_join
    portal = alice.join(f"#irc_{args.network}_{relay_channel[1:]}:{args.domain}")
    if not arrived.wait(60):
        raise TimeoutError("alice's connection did not join the channel")
    ghost = f"@irc_{args.network}_{irc_b.nick.lower()}:{args.domain}"
    # Wait until irc_b's ghost is in the room (the bridge's NAMES sync) and a first message gets through.
    bench.await_joined(alice, portal, ghost, time.monotonic() + 60, "the ghost did not join")

    stop = threading.Event()
    names = ("raw-irc", "raw-matrix", "irc-to-matrix", "matrix-to-irc")
    paths = {f"{name}/{phase}": Path(f"{name}/{phase}", args.n if phase == "paced" else args.burst)
             for phase in ("paced", "burst") for name in names}

    def arrived(prefix, text, t):
        tag = text.split(" ", 1)[0]
        if tag.startswith(prefix + "/") and tag in paths:
            paths[tag].arrived(text, t)

    def irc_b_line(line, t):
        # :nick!u@h PRIVMSG #chan :text
        if " PRIVMSG " not in line:
            return
        head, _, text = line[1:].partition(" :")
        words = head.split(" ")
        nick = words[0].split("!", 1)[0]
        if words[2].lower() == raw_channel.lower() and nick == irc_a.nick:
            arrived("raw-irc", text, t)
        elif words[2].lower() == relay_channel.lower() and nick == alice_nick["nick"]:
            arrived("matrix-to-irc", text, t)

    irc_b.on_line = irc_b_line

    def bob_event(room_id, event, t):
        if room_id == raw_room and event.get("sender") == alice.user_id:
            arrived("raw-matrix", event.get("content", {}).get("body", ""), t)

    def alice_event(room_id, event, t):
        if room_id == portal and event.get("sender") == ghost:
            arrived("irc-to-matrix", event.get("content", {}).get("body", ""), t)

    threading.Thread(target=bob.sync_loop, args=(bob_event, stop), daemon=True).start()
    threading.Thread(target=alice.sync_loop, args=(alice_event, stop), daemon=True).start()
    time.sleep(1)  # both sync loops are polling

    senders = {
        "raw-irc": lambda text: irc_a.send(f"PRIVMSG {raw_channel} :{text}"),
        "raw-matrix": lambda text: alice.send_text(raw_room, text),
        "irc-to-matrix": lambda text: irc_b.send(f"PRIVMSG {relay_channel} :{text}"),
        "matrix-to-irc": lambda text: alice.send_text(portal, text),
    }
    # Paced: below what Synapse takes from one sender, so latency is the paths' own, not a queue's.
    # Burst: each sender as fast as it can (an IRC client writes ahead; a Matrix client waits for each answer).
    for phase, rate in (("paced", args.rate), ("burst", None)):
        for name in names:
            path = paths[f"{name}/{phase}"]
            print(f"measuring {path.name}: {path.n} messages" + (f" at up to {rate:g}/s" if rate else ", as fast as the sender can"),
                  file=sys.stderr, flush=True)
            path.run(senders[name], rate, args.settle)
            time.sleep(2)
    stop.set()

    results = {p: paths[p].result() for p in paths}
    raw_sum = {k: (results["raw-irc/paced"][k] or 0) + (results["raw-matrix/paced"][k] or 0) for k in ("p50_ms", "p99_ms")}
    summary = {
        "n": args.n, "burst": args.burst, "rate": args.rate, "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "paths": results, "raw_sum": raw_sum,
        "bridge_added_p50_ms": {p: results[p + "/paced"]["p50_ms"] - raw_sum["p50_ms"] for p in ("irc-to-matrix", "matrix-to-irc")},
    }
    with open(args.out, "w") as f:
        json.dump(summary, f, indent=2)
    print(table(summary))


def table(s):
    f = lambda v, d=1: "–" if v is None else f"{v:.{d}f}"
    head = ["| path | p50 ms | p99 ms | mean ms | max ms | throughput /s | lost | duplicates | reordered |",
            "|---|---|---|---|---|---|---|---|---|"]
    rows = lambda phase: [
        f"| {p} | {f(r['p50_ms'])} | {f(r['p99_ms'])} | {f(r['mean_ms'])} | {f(r['max_ms'])} | "
        f"{f(r['throughput_per_s'])} | {r['lost']} | {r['duplicates']} | {r['reordered']} |"
        for p in ("raw-irc", "raw-matrix", "irc-to-matrix", "matrix-to-irc") for r in [s["paths"][f"{p}/{phase}"]]]
    lines = [f"**Paced**: {s['n']} messages per path, one at a time, at up to {s['rate']:g} a second ({s['when']}).", ""]
    lines += head + rows("paced")
    lines += ["", f"Raw paths together (raw-irc + raw-matrix): p50 {f(s['raw_sum']['p50_ms'])} ms, p99 {f(s['raw_sum']['p99_ms'])} ms.",
              "", "| bridged path | p50 added by the bridge (p50 − raw p50 sum) | target: ≤ 10 ms, no loss, no reordering |", "|---|---|---|"]
    for p, added in s["bridge_added_p50_ms"].items():
        r = s["paths"][p + "/paced"]
        ok = added <= 10 and r["lost"] == 0 and r["reordered"] == 0 and r["duplicates"] == 0
        lines.append(f"| {p} | {f(added)} ms | **{'met' if ok else 'missed'}** |")
    lines += ["", f"**Burst**: {s['burst']} messages per path, each sender as fast as it can (an IRC client writes ahead; "
              "a Matrix client waits for each answer). Latency here is mostly queueing; throughput is the point.", ""]
    lines += head + rows("burst")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "table":
        with open(sys.argv[2]) as fh:
            print(table(json.load(fh)))
    else:
        main()
