#!/usr/bin/env python3
"""Connects N clients to an IRC server at once and checks that every one registers (001).

    scripts/irc-many-clients.py PORT [N] [--join '#channel']

Proves a test server accepts the bridge's connection count from one address. Exits non-zero
if any client fails; prints how long the registrations took."""
import argparse, asyncio, resource, sys, time


async def client(i, port, channel, registered, deadline):
    nick = f"load{i}"
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), deadline)
    writer.write(f"NICK {nick}\r\nUSER {nick} 0 * :load test\r\n".encode())
    await writer.drain()
    while True:
        line = (await asyncio.wait_for(reader.readline(), deadline)).decode(errors="replace")
        if not line:
            raise ConnectionError(f"{nick}: closed before 001")
        if line.startswith("PING"):
            writer.write(("PONG" + line[4:].rstrip("\r\n") + "\r\n").encode())
        elif line.startswith("ERROR"):
            raise ConnectionError(f"{nick}: {line.strip()}")
        elif " 001 " in line:
            break
    if channel:
        writer.write(f"JOIN {channel}\r\n".encode())
        while " 366 " not in line:
            line = (await asyncio.wait_for(reader.readline(), deadline)).decode(errors="replace")
    registered.append((reader, writer))


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("n", type=int, nargs="?", default=1200)
    ap.add_argument("--join", default=None)
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, a.n + 100)), hard))
    registered = []
    t0 = time.monotonic()
    results = await asyncio.gather(
        *(client(i, a.port, a.join, registered, a.timeout) for i in range(a.n)), return_exceptions=True)
    took = time.monotonic() - t0
    failures = [r for r in results if isinstance(r, BaseException)]
    # Ask the server how many clients it sees, from a fresh client once its welcome burst ends.
    reader, writer = await asyncio.open_connection("127.0.0.1", a.port)
    writer.write(b"NICK loadcount\r\nUSER c 0 * :c\r\n")
    count, asked = "?", False
    while True:
        line = (await asyncio.wait_for(reader.readline(), 10)).decode(errors="replace")
        if not asked and (" 376 " in line or " 422 " in line):
            writer.write(b"LUSERS\r\n")
            asked = True
        elif asked and " 265 " in line:
            count = line.strip().split(" :", 1)[-1]
            break
    writer.close()
    print(f"{len(registered)}/{a.n} clients registered in {took:.2f}s; server says: {count}")
    for r in failures[:5]:
        print(f"  failure: {r!r}", file=sys.stderr)
    for _, writer in registered:
        writer.write(b"QUIT :done\r\n")
        writer.close()
    return 0 if not failures else 1


sys.exit(asyncio.run(main()))
