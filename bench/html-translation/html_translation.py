#!/usr/bin/env python3
"""End-to-end part of the HTML translation benchmark: Matrix -> IRC latency of plain messages in one portal room
("calm", from one Matrix user), first quiet, then while another Matrix user sends hostile formatted_bodies (the 24 KB nested lists of issue 11 and a 60 KB body of
nested quotes and attribute floods) are sent to another portal room ("hostile"). Also: how long each hostile message
took to reach IRC, and what it became there. Python 3 standard library only; the IRC and Matrix clients are
bench/message-relay's.

    html_translation.py --hs URL --irc-port P --network ID --n N --rate R --hostile-rate H --alice USER:PASS
                        --mallory USER:PASS --out F

Two users, because each Matrix user's messages leave for IRC in order on the user's own queue: a user who sends
hostile HTML delays their own later messages (by the upload of each for its link), and the point here is whether
they delay anyone else's.
"""
import json, os, statistics, sys, threading, time

HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "message-relay"))
import bench  # noqa: E402 (bench/bench.py)
from bench import q  # noqa: E402
from message_relay import Irc, Matrix  # noqa: E402


def nested_lists():
    return "<ul>" * 2000 + "<li>x</li>" * 1600


def nested_quotes_and_floods():
    html = "<blockquote>q" * 2000
    unit = "<span a b c d e f g h title=\"&amp;&lt;&#65;\">&amp;&gt;</span>"
    return html + unit * ((58000 - len(html)) // len(unit) + 1)


HOSTILE = [("nested lists, 24 KB", nested_lists()), ("nested quotes and floods, 60 KB", nested_quotes_and_floods())]


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else None


def main():
    ap = bench.relay_arguments(200)
    ap.add_argument("--hostile-rate", type=float, default=2)
    ap.add_argument("--mallory", required=True)
    args = ap.parse_args()
    stamp = str(int(time.time()))[-5:]
    calm, hostile = f"#calm{stamp}", f"#hostile{stamp}"

    alice = Matrix(args.hs, *args.alice.split(":", 1))
    mallory = Matrix(args.hs, *args.mallory.split(":", 1))
    watcher = Irc(args.irc_port, f"watch{stamp}")
    watcher.join(calm)
    watcher.join(hostile)

    nick = {}
    joined = {calm: threading.Event(), hostile: threading.Event()}

    def watch_join(line, t):
        parts = line.split(" ")
        if len(parts) >= 3 and parts[1] == "JOIN" and "[m]" in parts[0]:
            channel = parts[2].lstrip(":").lower()
            for c in joined:
                if c.lower() == channel:
                    nick[c] = parts[0][1:].split("!", 1)[0]
                    joined[c].set()

    watcher.on_line = watch_join
    rooms = {calm: alice.join(f"#irc_{args.network}_{calm[1:]}:{args.domain}"),
             hostile: mallory.join(f"#irc_{args.network}_{hostile[1:]}:{args.domain}")}
    for c, e in joined.items():
        if not e.wait(60):
            raise TimeoutError(f"the Matrix user's connection did not join {c}")
    ghost = f"@irc_{args.network}_{watcher.nick.lower()}:{args.domain}"
    deadline = time.monotonic() + 60
    for room, user in ((rooms[calm], alice), (rooms[hostile], mallory)):
        bench.await_joined(user, room, ghost, deadline, "the ghost did not join")

    lock = threading.Lock()
    arrivals = {}          # "phase seq" -> time
    hostile_lines = []     # (time, text)
    every = threading.Event()

    def on_line(line, t):
        if " PRIVMSG " not in line:
            return
        head, _, text = line[1:].partition(" :")
        words = head.split(" ")
        sender = words[0].split("!", 1)[0]
        with lock:
            if words[2].lower() == calm.lower() and sender == nick[calm]:
                arrivals[text] = t
                every.set()
            elif words[2].lower() == hostile.lower() and sender == nick[hostile]:
                hostile_lines.append((t, text))

    watcher.on_line = on_line

    def send(room, content):
        user = alice if room == rooms[calm] else mallory
        user.txn += 1
        user.call("PUT", f"/_matrix/client/v3/rooms/{q(room)}/send/m.room.message/h{time.time_ns()}.{user.txn}", content)

    # A first message through, so that neither phase pays for a cold path.
    send(rooms[calm], {"msgtype": "m.text", "body": "warm-up"})
    end = time.monotonic() + 60
    while "warm-up" not in arrivals and time.monotonic() < end:
        every.wait(1)
        every.clear()

    def calm_phase(phase):
        sent = {}
        accepted = {}
        start = time.perf_counter()
        for seq in range(args.n):
            due = start + seq / args.rate
            now = time.perf_counter()
            if now < due:
                time.sleep(due - now)
            sent[f"{phase} {seq}"] = due
            send(rooms[calm], {"msgtype": "m.text", "body": f"{phase} {seq}"})
            accepted[f"{phase} {seq}"] = time.perf_counter()
        end = time.monotonic() + args.settle
        while time.monotonic() < end:
            with lock:
                if all(k in arrivals for k in sent):
                    break
            time.sleep(0.1)
        with lock:
            latencies = [(arrivals[k] - sent[k]) * 1000 for k in sent if k in arrivals]
            # The same latency in two parts: until the homeserver answered the send (its own share, and the
            # client's wait for its previous sends), and from then until IRC had the line (the bridge's share, with
            # the homeserver's push of the event to the bridge).
            homeserver = [(accepted[k] - sent[k]) * 1000 for k in sent]
            bridge = [(arrivals[k] - accepted[k]) * 1000 for k in sent if k in arrivals]
        return {"sent": len(sent), "received": len(latencies), "p50_ms": pct(latencies, 50), "p99_ms": pct(latencies, 99),
                "mean_ms": statistics.fmean(latencies) if latencies else None, "max_ms": max(latencies) if latencies else None,
                "until_accepted_p50_ms": pct(homeserver, 50), "until_accepted_p99_ms": pct(homeserver, 99),
                "after_accepted_p50_ms": pct(bridge, 50), "after_accepted_p99_ms": pct(bridge, 99)}

    print("quiet phase", file=sys.stderr, flush=True)
    quiet = calm_phase("quiet")

    print("phase under hostile messages", file=sys.stderr, flush=True)
    stop = threading.Event()
    hostile_sent = []  # (time the send was due, name, size)

    def attack():
        start = time.perf_counter()
        i = 0
        while not stop.is_set():
            due = start + i / args.hostile_rate
            now = time.perf_counter()
            if now < due:
                time.sleep(due - now)
            name, html = HOSTILE[i % len(HOSTILE)]
            hostile_sent.append((time.perf_counter(), name, len(html)))
            send(rooms[hostile], {"msgtype": "m.text", "body": f"hostile {i}", "format": "org.matrix.custom.html",
                                  "formatted_body": html})
            i += 1

    attacker = threading.Thread(target=attack, daemon=True)
    attacker.start()
    busy = calm_phase("busy")
    stop.set()
    attacker.join(60)
    end = time.monotonic() + args.settle
    while time.monotonic() < end:
        with lock:
            if len(hostile_lines) >= len(hostile_sent):
                break
        time.sleep(0.2)
    with lock:
        lines = list(hostile_lines)
    # Each hostile message should be one line with the link; in order, so the i-th line is the i-th message's.
    hostile_latencies = [(lines[i][0] - hostile_sent[i][0]) * 1000 for i in range(min(len(lines), len(hostile_sent)))]
    linked = sum(1 for _, text in lines if "(full message: http" in text)
    longest = max((len(text.encode()) for _, text in lines), default=0)

    summary = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"), "n": args.n, "rate": args.rate, "hostile_rate": args.hostile_rate,
        "quiet": quiet, "busy": busy,
        "hostile": {"sent": len(hostile_sent), "bytes_sent": sum(s for _, _, s in hostile_sent), "irc_lines": len(lines),
                    "linked": linked, "longest_line_bytes": longest, "p50_ms": pct(hostile_latencies, 50),
                    "p99_ms": pct(hostile_latencies, 99), "first_line": lines[0][1] if lines else None},
    }
    with open(args.out, "w") as f:
        json.dump(summary, f, indent=2)
    print(table(summary))


def table(s):
    f = lambda v: "–" if v is None else f"{v:.1f}"
    h = s["hostile"]
    out = [f"### Latency in a quiet room while another gets hostile HTML ({s['when']})", "",
           f"Room \"calm\": {s['n']} plain messages per phase from one Matrix user at {s['rate']:g} a second, Matrix -> IRC, latency "
           "from when each was due to the IRC client's read of its line. Room \"hostile\", in the second phase only: another "
           f"Matrix user's hostile formatted_bodies at {s['hostile_rate']:g} a second, alternately the 24 KB nested lists of issue 11 "
           "and a 60 KB body of nested quotes and attribute floods.", "",
           "| room \"calm\" | sent | received | p50 ms | p99 ms | mean ms | max ms | until the homeserver accepted it: p50 / p99 ms "
           "| from then to IRC: p50 / p99 ms |", "|---|---|---|---|---|---|---|---|---|"]
    for phase, label in (("quiet", "quiet"), ("busy", "while \"hostile\" gets hostile HTML")):
        r = s[phase]
        out.append(f"| {label} | {r['sent']} | {r['received']} | {f(r['p50_ms'])} | {f(r['p99_ms'])} | {f(r['mean_ms'])} | {f(r['max_ms'])} "
                   f"| {f(r['until_accepted_p50_ms'])} / {f(r['until_accepted_p99_ms'])} | {f(r['after_accepted_p50_ms'])} / {f(r['after_accepted_p99_ms'])} |")
    out += ["", f"Hostile messages: {h['sent']} sent ({h['bytes_sent'] / 1024:.0f} KB of HTML), {h['irc_lines']} IRC lines received, "
            f"{h['linked']} of them with the full-message link; longest line {h['longest_line_bytes']} bytes of text; "
            f"from send to IRC p50 {f(h['p50_ms'])} ms, p99 {f(h['p99_ms'])} ms (this includes the upload of the body to the media "
            "repository for the link).", "", f"First hostile line as IRC saw it: `{h['first_line']}`"]
    return "\n".join(out)


if __name__ == "__main__":
    main()
