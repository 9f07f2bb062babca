"""pingpong.py - the Python peer of workload (2): two asyncio tasks pass ints
back and forth through two asyncio.Queue(maxsize=1), ping out and echo back.
Usage: pingpong.py N, N messages (N/2 round trips).  Prints
`python NS_PER_MESSAGE MESSAGES`; exits 1 if an echo is wrong."""

import asyncio
import sys
import time


async def pong(ping, back):
    while True:
        v = await ping.get()
        if v is None:
            return
        await back.put(v)


async def amain(rounds):
    ping = asyncio.Queue(maxsize=1)
    back = asyncio.Queue(maxsize=1)
    t = asyncio.create_task(pong(ping, back))
    s = 0
    t0 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    for i in range(rounds):
        await ping.put(i)
        s += await back.get()
    el = time.clock_gettime_ns(time.CLOCK_MONOTONIC) - t0
    await ping.put(None)
    await t
    if s != rounds * (rounds - 1) // 2:
        print("pingpong.py: wrong sum", s, file=sys.stderr)
        sys.exit(1)
    print("python %.3f %d" % (el / (2 * rounds), 2 * rounds))


def main():
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 100000
    if n < 2:
        print("usage: pingpong.py N  (N >= 2)", file=sys.stderr)
        sys.exit(2)
    asyncio.run(amain(n // 2))


main()
