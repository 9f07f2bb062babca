"""spawn.py - the Python peer of workload (4): create N trivial asyncio
tasks in batches of 1,000 and await each one.  Usage: spawn.py N (rounded
up to whole batches).  Prints `python NS_PER_TASK TASKS`; exits 1 if a task
did not run."""

import asyncio
import sys
import time

BATCH = 1000
ran = 0


async def nop():
    global ran
    ran += 1


async def amain(n):
    batches = (n + BATCH - 1) // BATCH
    t0 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    for _ in range(batches):
        tasks = [asyncio.create_task(nop()) for _ in range(BATCH)]
        for t in tasks:
            await t
    el = time.clock_gettime_ns(time.CLOCK_MONOTONIC) - t0
    if ran != batches * BATCH:
        print("spawn.py: %d tasks ran, not %d" % (ran, batches * BATCH),
              file=sys.stderr)
        sys.exit(1)
    print("python %.3f %d" % (el / ran, ran))


def main():
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 100000
    if n < 1:
        print("usage: spawn.py N  (N >= 1)", file=sys.stderr)
        sys.exit(2)
    asyncio.run(amain(n))


main()
