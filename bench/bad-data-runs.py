#!/usr/bin/python3
"""The runs of the "bad data in Redis" issue, against the packaged service, as a user would run them.

    ./mvnw -q -DskipTests package && python3 bench/bad-data-runs.py [--seconds 5]

Each run starts a redis-server of its own on a free loopback port and the service jar on another,
loads it with a few client threads for a few seconds, then checks Redis and prints what it found:

  1. a combined batch with a keyed claim whose record key holds a hash (another application's key),
     under load, for both strategies: the others are served; records written without their
     decrement (units a record says were taken but no 200 acknowledged) must be 0;
  2. one client looping on that bad key beside eight ordinary clients: the ordinary ones must get no
     500 at all, and the stock must equal its start minus the units acknowledged;
  3. a record of this very request that cannot be decoded (R|1|<sku> 1 zz): that claim gets
     corrupt-idempotency-record and takes nothing; the others are served;
  4. Redis frozen (SIGSTOP) for 8 s under load with stock.reduce.deadline 2s and 500ms: the slowest
     answer, against the deadline.

Debian's python3 (urllib, threading) and redis-server are all it needs; it asserts nothing and
exits 0, printing its figures (the tests in src/test assert the same behaviour).
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "target" / "stock-service.jar"
JAVA = os.environ.get("JAVA", "java")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="bad-data-redis-")
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", self.dir], stdout=subprocess.DEVNULL)
        for _ in range(100):
            if self.cli("PING") == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def cli(self, *args):
        result = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True)
        return result.stdout.strip()

    def stop(self):
        self.process.kill()
        self.process.wait()


class Service:
    def __init__(self, redis, *properties):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="bad-data-service-", suffix=".log", delete=False)
        self.process = subprocess.Popen([JAVA, "-jar", str(JAR), f"--server.port={self.port}",
                                         f"--spring.data.redis.port={redis.port}", "--spring.main.banner-mode=off",
                                         *[f"--{p}" for p in properties]], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=2)
                return
            except Exception:
                time.sleep(0.5)
        raise RuntimeError(f"the service did not start, see {self.log.name}")

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


def reduce(port, sku, quantity, key=None, timeout=30):
    """(status, problem type or None, units taken if 200, seconds)"""
    body = json.dumps({"sku": sku, "quantity": quantity}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/stock/reduce", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    if key:
        request.add_header("Idempotency-Key", key)
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read())
            return 200, None, answer["reduced"], time.monotonic() - start
    except urllib.error.HTTPError as error:
        problem = json.loads(error.read() or b"{}")
        return error.code, problem.get("type", "").rsplit("/", 1)[-1], 0, time.monotonic() - start
    except Exception:
        return None, "no-answer", 0, time.monotonic() - start


class Clients:
    """Threads calling reduce in a loop until stopped, counting every answer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers = {}
        self.acknowledged = 0
        self.slowest = 0.0
        self.stopping = False
        self.threads = []

    def start(self, name, count, call):
        for _ in range(count):
            thread = threading.Thread(target=self.loop, args=(name, call), daemon=True)
            thread.start()
            self.threads.append(thread)

    def loop(self, name, call):
        while not self.stopping:
            status, problem, taken, seconds = call()
            with self.lock:
                answer = (name, status, problem)
                self.answers[answer] = self.answers.get(answer, 0) + 1
                self.acknowledged += taken
                self.slowest = max(self.slowest, seconds)

    def stop(self):
        self.stopping = True
        for thread in self.threads:
            thread.join(60)


def records_without_their_decrement(redis):
    """Records saying units were taken (R) whose request was never answered 200: their keys are the
    clients' own, unique per request, so a 200 answered for it is logged by the client; here we count
    them against the R records found, which must be no more than the 200s of keyed clients."""
    keys = redis.cli("--scan", "--pattern", "stock-service:idempotency:*").split()
    reduced = 0
    for key in keys:
        if key.endswith(":bad"):
            continue
        if redis.cli("TYPE", key) == "string" and redis.cli("GET", key).startswith("R|"):
            reduced += 1
    return reduced


def run_batch_with_bad_record(strategy, seconds, undecodable):
    redis = Redis()
    service = Service(redis, f"stock.reduce.strategy={strategy}")
    try:
        sku = "batch"
        redis.cli("SET", f"stock:{sku}", "1000000")
        bad = f"stock-service:idempotency:{{stock:{sku}}}:bad"
        if undecodable:
            redis.cli("SET", bad, f"R|1|{sku} 1 zz")
        else:
            redis.cli("HSET", bad, "owner", "another application")
        keyed_ok = {"count": 0}
        clients = Clients()

        def keyed():
            status, problem, taken, took = reduce(service.port, sku, 5, str(uuid.uuid4()))
            if status == 200:
                with clients.lock:
                    keyed_ok["count"] += 1
            return status, problem, taken, took

        clients.start("unkeyed", 3, lambda: reduce(service.port, sku, 1))
        clients.start("keyed", 3, keyed)
        clients.start("bad-key", 2, lambda: reduce(service.port, sku, 1, "bad"))
        clients.start("unkeyed-2", 2, lambda: reduce(service.port, sku, 2))
        time.sleep(seconds)
        clients.stop()
        final = int(redis.cli("GET", f"stock:{sku}"))
        r_records = records_without_their_decrement(redis)
        return {
            "strategy": strategy, "garbage": "undecodable record of this request" if undecodable else "a hash",
            "answers": {f"{n} {s} {p or ''}".strip(): c for (n, s, p), c in sorted(clients.answers.items(), key=str)},
            "unitsTaken": 1000000 - final, "unitsAcknowledged": clients.acknowledged,
            "recordsOfTakenUnits": r_records, "keyedAnswered200": keyed_ok["count"],
            "recordsWithoutTheirDecrement": max(0, r_records - keyed_ok["count"]),
            "badKeyUntouched": redis.cli("TYPE", bad) == ("string" if undecodable else "hash"),
            "fiveHundredsToOthers": sum(c for (n, s, p), c in clients.answers.items() if n != "bad-key" and s == 500),
        }
    finally:
        service.stop()
        redis.stop()


def run_frozen(strategy, deadline, seconds):
    redis = Redis()
    service = Service(redis, f"stock.reduce.strategy={strategy}", f"stock.reduce.deadline={deadline}")
    try:
        redis.cli("SET", "stock:frozen", "1000000")
        warm = Clients()
        warm.start("warm-up", 8, lambda: reduce(service.port, "frozen", 1))
        time.sleep(seconds)
        warm.stop()
        clients = Clients()
        clients.start("clients", 8, lambda: reduce(service.port, "frozen", 1))
        time.sleep(1)
        redis.process.send_signal(signal.SIGSTOP)
        time.sleep(8)
        redis.process.send_signal(signal.SIGCONT)
        time.sleep(2)
        clients.stop()
        return {"strategy": strategy, "deadline": deadline, "slowestAnswerSeconds": round(clients.slowest, 3),
                "answers": {f"{s} {p or ''}".strip(): c for (n, s, p), c in sorted(clients.answers.items(), key=str)}}
    finally:
        service.stop()
        redis.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="length of each loaded run")
    args = parser.parse_args()
    if not JAR.exists():
        sys.exit(f"{JAR} is missing: ./mvnw -q -DskipTests package")
    results = []
    for strategy in ("watch", "lua"):
        for undecodable in (False, True):
            results.append(run_batch_with_bad_record(strategy, args.seconds, undecodable))
            print(json.dumps(results[-1]), flush=True)
    for strategy in ("watch", "lua"):
        for deadline in ("2s", "500ms"):
            results.append(run_frozen(strategy, deadline, args.seconds))
            print(json.dumps(results[-1]), flush=True)


if __name__ == "__main__":
    main()
