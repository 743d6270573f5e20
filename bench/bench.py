"""Code shared by the benchmarks' Python drivers (bench/portal-sync, bench/soft-kick-storm, bench/message-relay,
bench/html-translation).
Python 3 standard library only.

The drivers are run as scripts from any directory (`python3 bench/portal-sync/portal_sync.py …`), so Python puts
only their own directory on the import path; each adds this one before `import bench`:

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
"""
import argparse, http.client, json, os, sys, threading, time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Matrix client


class Matrix:
    """A minimal client-server API client: one keep-alive connection per thread. `token` is the default access
    token (the appservice's as_token, or a user's after `login`)."""

    def __init__(self, base, token=None):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.token = token
        self.local = threading.local()

    def login(self, user, password):
        """Logs in with a password; the user's token becomes this client's. Returns the answer."""
        _, answer = self.call("POST", "/_matrix/client/v3/login", {"type": "m.login.password",
                              "identifier": {"type": "m.id.user", "user": user}, "password": password}, auth=False)
        self.token, self.user_id = answer["access_token"], answer["user_id"]
        return answer

    def _conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        return c

    def call(self, method, path, body=None, user_id=None, token=None, ok=(200,), auth=True):
        """(status, answer). `user_id`: an appservice acting as one of its users; `token`: another than this
        client's; `auth=False`: no token at all. Retries on connection errors and 429s."""
        if user_id:
            path += ("&" if "?" in path else "?") + "user_id=" + urllib.parse.quote(user_id)
        data = None if body is None else json.dumps(body).encode()
        token = token or self.token
        headers = {"Authorization": "Bearer " + token} if auth and token else {}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(5):
            c = self._conn()
            try:
                c.request(method, path, body=data, headers=headers)
                r = c.getresponse()
                raw = r.read()
            except (http.client.HTTPException, OSError):
                c.close()
                self.local.conn = None
                if attempt == 4:
                    raise
                time.sleep(0.2)
                continue
            answer = json.loads(raw) if raw else {}
            if r.status == 429:
                time.sleep(answer.get("retry_after_ms", 200) / 1000)
                continue
            if r.status not in ok:
                raise RuntimeError(f"{method} {path}: {r.status} {answer}")
            return r.status, answer
        raise RuntimeError(f"{method} {path}: gave up")


def q(s):
    return urllib.parse.quote(s, safe="")


def create_bot_room(mx, bot, name):
    """A room made like the bridge makes a portal room: the bot (user id) has power level 100, history is visible
    to joined members only."""
    body = {"room_version": "11", "preset": "public_chat", "visibility": "private", "name": name,
            "power_level_content_override": {"users": {bot: 100}},
            "initial_state": [{"type": "m.room.history_visibility", "state_key": "",
                               "content": {"history_visibility": "joined"}}]}
    return mx.call("POST", "/_matrix/client/v3/createRoom", body)[1]["room_id"]


def run_all(items, fn, concurrency):
    """fn(item) for every item, `concurrency` at a time; returns per-item durations (s), in item order."""
    durations = [None] * len(items)

    def one(k):
        t = time.perf_counter()
        fn(items[k])
        durations[k] = time.perf_counter() - t

    if concurrency <= 1:
        for k in range(len(items)):
            one(k)
    else:
        with ThreadPoolExecutor(concurrency) as pool:
            for f in [pool.submit(one, k) for k in range(len(items))]:
                f.result()
    return durations


def await_joined(mx, room, user_id, deadline, what):
    """Waits until `user_id` is a joined member of `room` as `mx` sees it; TimeoutError(what) once
    time.monotonic() is past `deadline`."""
    while user_id not in mx.call("GET", f"/_matrix/client/v3/rooms/{q(room)}/joined_members")[1]["joined"]:
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.2)


def relay_arguments(n, rate_help=None):
    """A parser of the arguments the relay drivers (bench/message-relay, bench/html-translation) share: the
    homeserver (--hs, --domain), InspIRCd's port, the bridge's network id, --n messages (default `n`) at --rate a
    second, --settle, the Matrix user --alice (USER:PASS) and the JSON file --out. Each driver adds its own."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--hs", required=True)
    ap.add_argument("--irc-port", type=int, required=True)
    ap.add_argument("--domain", default="localhost")
    ap.add_argument("--network", required=True)
    ap.add_argument("--n", type=int, default=n)
    ap.add_argument("--rate", type=float, default=10, help=rate_help)
    ap.add_argument("--settle", type=float, default=120, help="seconds to wait for the last messages")
    ap.add_argument("--alice", required=True)
    ap.add_argument("--out", required=True)
    return ap


# ---------------------------------------------------------------------------------------------------------------
# CPU accounting


def cpu_seconds(pid):
    """utime + stime of a process (and its reaped children), in seconds; None if unknown."""
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None


def read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


class Phase:
    """Wall time and CPU time of some processes and of this client (all its threads) over one phase.

    `pids()` names the processes, {name: pid}, and is asked at both ends: a process replaced in between (InspIRCd
    restarting in the soft-kick storm) is counted for its new instance's whole life (the old one's last moments are
    lost). With a `phases` list, the phase is appended to it as {"phase", "t0", "t1", "cpu"} when it ends."""

    def __init__(self, name, pids, phases=None):
        self.name, self.pids, self.phases = name, pids, phases

    def __enter__(self):
        self.t0 = time.time()
        self.p0 = self.pids()
        self.c0 = {k: cpu_seconds(p) for k, p in self.p0.items()}
        self.me0 = sum(os.times()[:2])
        return self

    def __exit__(self, *exc):
        self.t1 = time.time()
        cpu = {}
        for k, pid in self.pids().items():
            c1 = cpu_seconds(pid)
            if c1 is None:
                cpu[k] = None
            elif pid == self.p0.get(k) and self.c0.get(k) is not None:
                cpu[k] = c1 - self.c0[k]
            else:
                cpu[k] = c1
        cpu["client"] = sum(os.times()[:2]) - self.me0
        self.cpu = cpu
        if self.phases is not None:
            self.phases.append({"phase": self.name, "t0": self.t0, "t1": self.t1, "cpu": cpu})
        return False


# ---------------------------------------------------------------------------------------------------------------
# Reports


def fmt(x, spec=".1f"):
    return "–" if x is None else format(x, spec)
