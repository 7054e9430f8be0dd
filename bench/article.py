#!/usr/bin/python3
"""The article's program, as the reference the benchmark measures against.

Ten worker processes race to sell one Redis counter with optimistic locking: WATCH the key, GET
it, and if there is stock, MULTI / DECR / EXEC; an aborted EXEC (redis.WatchError) means another
client changed the key first, so try again. Each process loops until the stock is gone.

Written from the article's description. Two things are added for measuring: the workers are
started first and released together (so process start-up is not counted, as the load generator
does not count JVM start-up), and each worker reports its sales and WatchErrors. Run with
Debian's python3-redis:

    /usr/bin/python3 bench/article.py --port 6379 --stock 20000 --workers 10
"""
import argparse
import json
import multiprocessing
import time

import redis

KEY = "stock:count"


def worker(port, start, results):
    client = redis.Redis(host="127.0.0.1", port=port)
    client.ping()
    sold = 0
    conflicts = 0
    start.wait()
    while True:
        with client.pipeline() as pipe:
            try:
                pipe.watch(KEY)
                count = int(pipe.get(KEY))
                if count <= 0:
                    break
                pipe.multi()
                pipe.decr(KEY)
                pipe.execute()
                sold += 1
            except redis.WatchError:
                conflicts += 1
    results.put((sold, conflicts))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=6379)
    parser.add_argument("--stock", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=10)
    args = parser.parse_args()

    redis.Redis(host="127.0.0.1", port=args.port).set(KEY, args.stock)
    start = multiprocessing.Event()
    results = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=worker, args=(args.port, start, results))
                 for _ in range(args.workers)]
    for process in processes:
        process.start()
    time.sleep(1.0)  # let every worker connect before the race starts
    began = time.perf_counter()
    start.set()
    outcomes = [results.get() for _ in processes]
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()

    sold = sum(s for s, _ in outcomes)
    conflicts = sum(c for _, c in outcomes)
    final = int(redis.Redis(host="127.0.0.1", port=args.port).get(KEY))
    print(json.dumps({
        "program": "article.py",
        "workers": args.workers,
        "initialStock": args.stock,
        "finalStock": final,
        "successes": sold,
        "conflicts": conflicts,
        "conflictsPerSuccess": round(conflicts / sold, 3) if sold else None,
        "durationSeconds": round(elapsed, 3),
        "decrementsPerSecond": round(sold / elapsed, 1),
        "ok": sold == args.stock and final == 0,
    }))


if __name__ == "__main__":
    main()
