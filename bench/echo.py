"""echo.py - the Python peer of workload (5): an asyncio echo server on
127.0.0.1 (port 0) and 100 client connections in one program, with
asyncio streams; each client sends a 64-byte message, reads the 64 bytes
back, checks them, N/100 times.  Usage: echo.py N.  Prints
`python ROUND_TRIPS_PER_SECOND ROUND_TRIPS`; exits 1 if an echo is
wrong."""

import asyncio
import sys
import time

CONNS = 100
MSG = 64
failures = 0


async def handle(reader, writer):
    """Write back what comes in, until the client closes."""
    global failures
    try:
        while True:
            data = await reader.read(4096)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except OSError:
        failures += 1
    writer.close()


async def client(port, ident, rounds):
    """`rounds` round trips of one message on a new connection."""
    global failures
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    fill = bytes([ord("a") + ident % 26]) * (MSG - 8)
    try:
        for i in range(rounds):
            out = i.to_bytes(8, "little") + fill
            writer.write(out)
            await writer.drain()
            if await reader.readexactly(MSG) != out:
                failures += 1
                break
    except (OSError, asyncio.IncompleteReadError):
        failures += 1
    writer.close()


async def amain(n):
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512)
    port = server.sockets[0].getsockname()[1]
    rounds = n // CONNS
    t0 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    await asyncio.gather(*(client(port, i, rounds) for i in range(CONNS)))
    el = time.clock_gettime_ns(time.CLOCK_MONOTONIC) - t0
    server.close()
    await server.wait_closed()
    if failures:
        print("echo.py: %d connections failed" % failures, file=sys.stderr)
        sys.exit(1)
    print("python %.0f %d" % (rounds * CONNS / (el / 1e9), rounds * CONNS))


def main():
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 100000
    if n < CONNS:
        print("usage: echo.py N  (N >= %d round trips)" % CONNS, file=sys.stderr)
        sys.exit(2)
    asyncio.run(amain(n))


main()
