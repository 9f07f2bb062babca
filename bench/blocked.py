"""blocked.py - the Python peer of workload (3): K asyncio tasks, each
awaiting its own Future (Python's nearest thing to a channel of its own).
Bytes per task = growth of the peak resident set (VmHWM in
/proc/self/status) while the futures and tasks are created and have all
blocked, divided by K; the list holding the futures is counted too.  Then
each future gets a result and every task finishes.  Usage: blocked.py K.
Prints `python BYTES_PER_TASK K`."""

import asyncio
import sys

started = 0
finished = 0


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return -1


async def waiter(fut):
    global started, finished
    started += 1
    await fut
    finished += 1


async def amain(k):
    loop = asyncio.get_running_loop()
    hwm0 = status_kb("VmHWM:")
    futs = [loop.create_future() for _ in range(k)]
    for f in futs:
        asyncio.create_task(waiter(f))   # kept alive by its future
    while started < k:
        await asyncio.sleep(0)
    hwm1 = status_kb("VmHWM:")
    for f in futs:
        f.set_result(0)
    while finished < k:
        await asyncio.sleep(0)
    if hwm0 < 0 or hwm1 < 0:
        print("blocked.py: cannot read VmHWM", file=sys.stderr)
        sys.exit(1)
    print("python %.1f %d" % ((hwm1 - hwm0) * 1024 / k, k))


def main():
    k = int(float(sys.argv[1])) if len(sys.argv) > 1 else 1000000
    if k < 1:
        print("usage: blocked.py K  (K >= 1)", file=sys.stderr)
        sys.exit(2)
    asyncio.run(amain(k))


main()
