#!/usr/bin/python3
"""The stock-service benchmark: every figure measured side by side in one run, on this machine.

Started by bench/run.sh (which installs the tools and builds the jar). It starts a redis-server of
its own on a free loopback port and, for each of --runs rounds, measures:

  1. straight on Redis, for information: the article's own program (bench/article.py, Debian's
     python3-redis), the load generator in direct mode (10 worker JVMs, watch and lua), and
     redis-benchmark EVALSHA of the service's own script;
  2. then, with a replica attached, each service variant (SERVICE_VARIANTS: the defaults with each
     strategy, and the defaults with one lever changed) under its loads (LOADS), 64 connections each:
     one hot SKU, 10,000 SKUs at random (reduce, and GET as its ceiling), 1,000 SKUs at random (single
     reduces, orders of 3 SKUs, hold + confirm pairs), with the service's peak RSS and its own count
     of conflicts;
  3. two instances of the service on one hot SKU, each loaded by its own wrk at the same time: what
     each sells, how often it gives up with 503, its conflicts per success; the units sold are
     checked against what left Redis;
  4. a worker JVM's start-up time.

Each figure is the median of its rounds; the JSON also keeps every round, and each figure's
minimum and maximum over the rounds. The results go to bench/results/<date>.json, and a
markdown table with the target ratios is printed. Nothing here is asserted: the tests never time
anything, the benchmark only measures.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "target" / "stock-service.jar"
REDUCE_LUA = ROOT / "src" / "main" / "resources" / "io" / "stockservice" / "stock" / "reduce.lua"
WRK_REDUCE = ROOT / "bench" / "wrk-reduce.lua"
WRK_MANY = ROOT / "bench" / "wrk-many.lua"
WRK_HOLD_CONFIRM = ROOT / "bench" / "wrk-hold-confirm.lua"

# The service runs as in its container: the Dockerfile's own JVM flags (read from its ENTRYPOINT, so
# that the two cannot drift apart), and MaxRAM standing in for the container's 512 MiB memory limit
# on a bare machine. MaxRAM sizes the heap as the limit would, but does not make the JVM pick its GC as
# a small container does (Serial below 1,792 MiB): the image names its GC itself.
CONTAINER_MEMORY = "-XX:MaxRAM=512m"


def image_jvm_flags():
    entrypoint = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("ENTRYPOINT"))
    return [flag for flag in json.loads(entrypoint[len("ENTRYPOINT"):]) if flag.startswith("-X")]


SERVICE_JVM = [CONTAINER_MEMORY, *image_jvm_flags()]

# The image's flags before the memory round, with the GC such a container picked for them (Serial):
# measured beside today's, under the same loads, for what the flags are worth.
EARLIER_IMAGE_JVM = [CONTAINER_MEMORY, "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError"]

HOT_STOCK = 10**12  # enough that no HTTP or redis-benchmark run ever sells out

# Reductions each worker JVM runs on a SKU of its own before the race: ten JVMs compiling their
# hot code during the race would measure their JIT compilers.
WORKER_WARM_UP = 10_000

# A freshly started service spends its first tens of seconds under load compiling; measured then,
# its throughput is the C2 compiler's. Each service is loaded this long (its loads in turn) before it
# is measured.
SERVICE_WARM_UP_SECONDS = 45

# A store of many SKUs: s0 .. s9999, each with HOT_STOCK units; the reservation and order loads use
# the first 1,000 of them, and their single reduces are measured on the same 1,000.
MANY_SKUS = 10_000
SOME_SKUS = 1_000
CONNECTIONS = 64

# The loads, by name: what wrk sends (a path, or a script with its environment), all at 64
# connections. See bench/wrk-many.lua and bench/wrk-hold-confirm.lua.
LOADS = {
    "hot-reduce": ("/stock/reduce", WRK_REDUCE, {}),
    "hot-get": ("/stock/hot", None, {}),
    "liveness": ("/actuator/health/liveness", None, {}),
    "many-reduce": ("", WRK_MANY, {"MODE": "reduce", "SKUS": str(MANY_SKUS)}),
    "many-get": ("", WRK_MANY, {"MODE": "get", "SKUS": str(MANY_SKUS)}),
    "some-reduce": ("", WRK_MANY, {"MODE": "reduce", "SKUS": str(SOME_SKUS)}),
    "some-order3": ("", WRK_MANY, {"MODE": "order", "SKUS": str(SOME_SKUS), "ITEMS": "3"}),
    "some-hold-confirm": ("", WRK_HOLD_CONFIRM, {"SKUS": str(SOME_SKUS)}),
}

LOAD_NAMES = {
    "hot-reduce": "`POST /stock/reduce`, one hot SKU",
    "hot-get": "`GET /stock/hot`, the same SKU (reduce's ceiling)",
    "liveness": "`GET /actuator/health/liveness` (the server's ceiling)",
    "many-reduce": f"`POST /stock/reduce`, {MANY_SKUS:,} SKUs at random",
    "many-get": f"`GET /stock/{{sku}}`, {MANY_SKUS:,} SKUs at random",
    "some-reduce": f"`POST /stock/reduce`, {SOME_SKUS:,} SKUs at random",
    "some-order3": f"orders of 3 SKUs (one `POST /stock/reduce` with `items`), {SOME_SKUS:,} SKUs",
    "some-hold-confirm": f"hold + confirm pairs (`POST /stock/reservations`, then `/confirm`), {SOME_SKUS:,} SKUs",
}

# The service variants measured over HTTP: the defaults with each strategy, and the defaults with one
# lever changed, each with the loads that show what the lever is worth. The Redis has one replica
# throughout the HTTP measurements, so that replicas-to-ack 1 and 0 differ in the WAIT alone.
WATCH = {"stock.reduce.strategy": "watch"}
ALL_LOADS = list(LOADS)
LEVER_LOADS = ["hot-reduce", "many-reduce"]
FLAG_LOADS = ["hot-reduce", "hot-get", "many-reduce", "many-get", "some-reduce", "some-order3", "some-hold-confirm"]
SERVICE_VARIANTS = {
    "watch": (WATCH, SERVICE_JVM, ALL_LOADS),
    "lua": ({"stock.reduce.strategy": "lua"}, SERVICE_JVM, FLAG_LOADS),
    "watch-defaults": (WATCH, SERVICE_JVM, LEVER_LOADS),
    "watch-no-combining": ({**WATCH, "stock.reduce.combining.enabled": "false"}, SERVICE_JVM, LEVER_LOADS),
    "watch-one-sku-per-transaction": ({**WATCH, "stock.reduce.combining.max-in-flight": "0"}, SERVICE_JVM,
                                      LEVER_LOADS),
    "watch-replicas-to-ack-1": ({**WATCH, "stock.redis.replicas-to-ack": "1"}, SERVICE_JVM, LEVER_LOADS),
    "watch-image-flags": (WATCH, SERVICE_JVM, FLAG_LOADS),
    "watch-earlier-image-flags": (WATCH, EARLIER_IMAGE_JVM, FLAG_LOADS),
}

# Variants compared with each other run side by side: all of a group's services are up at once (on
# the same Redis), and each round measures every load on each of them in turn, the order rotated from
# round to round, so that a lever's "off" and "on" see the same machine at the same time.
GROUPS = {
    "strategies": ["watch", "lua"],
    "levers": ["watch-defaults", "watch-no-combining", "watch-one-sku-per-transaction", "watch-replicas-to-ack-1"],
    "image flags": ["watch-image-flags", "watch-earlier-image-flags"],
}

# Two instances of the service on one hot SKU on one Redis, loaded at the same time: an optimistic
# transaction is aborted by any write it did not see, so each instance's combining no longer shields
# it from the other's. Each instance gets its own wrk of this many connections.
TWO_INSTANCE_CONNECTIONS = 32

# wrk's own timeout is 2 s, the service's deadline; a request answered just after it would count
# as a socket error and drop out of the latency distribution. Longer, every answer is counted.
TWO_INSTANCE_WRK_TIMEOUT = "10s"


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def java():
    """JAVA, else the newest Temurin of 21+ (virtual threads, as in the container), else java."""
    if os.environ.get("JAVA"):
        return os.environ["JAVA"]
    candidates = sorted(glob.glob("/usr/lib/jvm/temurin-2[1-9]*/bin/java"))
    return candidates[-1] if candidates else "java"


def wait_until(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, subprocess.CalledProcessError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not happen within {seconds} s")


class Redis:
    def __init__(self, replica_of=None):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="bench-redis-")
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", self.dir, "--repl-diskless-sync-delay", "0"]
        if replica_of:
            command += ["--replicaof", "127.0.0.1", str(replica_of.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self.cli("PING") == "PONG", 20, "redis-server start")

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True,
                              check=True).stdout.strip()

    def seed(self):
        """Stocks the hot SKU and the many SKUs, in one pipelined write."""
        commands = "".join(f"SET stock:s{i} {HOT_STOCK}\r\n" for i in range(MANY_SKUS))
        commands += f"SET stock:hot {HOT_STOCK}\r\n"
        subprocess.run(["redis-cli", "-p", str(self.port), "--pipe"], input=commands, capture_output=True,
                       text=True, check=True)

    def await_replica_online(self):
        wait_until(lambda: "state=online" in self.cli("INFO", "replication"), 60, "the replica to be online")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def article(redis, stock, workers):
    out = subprocess.run(["/usr/bin/python3", str(ROOT / "bench" / "article.py"), "--port", str(redis.port),
                          "--stock", str(stock), "--workers", str(workers)],
                         capture_output=True, text=True, check=True).stdout
    report = json.loads(out.strip().splitlines()[-1])
    if not report["ok"]:
        raise RuntimeError(f"article.py did not sell every unit exactly once: {report}")
    return {"decrementsPerSecond": report["decrementsPerSecond"],
            "conflictsPerSuccess": report["conflictsPerSuccess"]}


def loadgen(redis, strategy, stock, workers, extra=()):
    """The load generator in direct mode; each worker first warms up on a SKU of its own."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report_file:
        started = subprocess.run([java(), "-jar", str(JAR), "loadgen", "--target", f"redis://127.0.0.1:{redis.port}",
                                  "--strategy", strategy, "--stock", str(stock), "--workers", str(workers),
                                  "--warm-up", str(WORKER_WARM_UP), "--report", report_file.name, *extra],
                                 capture_output=True, text=True)
        if started.returncode != 0:
            raise RuntimeError(f"loadgen {strategy} {extra} failed:\n{started.stdout}\n{started.stderr}")
        report = json.load(open(report_file.name))
    return {"decrementsPerSecond": report["decrementsPerSecond"],
            "conflictsPerSuccess": report["conflictsPerSuccess"],
            "p50Millis": report["latencyMillis"]["p50"], "p99Millis": report["latencyMillis"]["p99"]}


def evalsha_ceiling(redis, requests):
    sha = redis.cli("SCRIPT", "LOAD", REDUCE_LUA.read_text())
    redis.cli("SET", "stock:bench", str(HOT_STOCK))
    # KEYS[1] = stock:bench; ARGV = record TTL, SKU, then (quantity, record key index) per claim.
    out = subprocess.run(["redis-benchmark", "-p", str(redis.port), "-c", "10", "-n", str(requests), "-q",
                          "EVALSHA", sha, "1", "stock:bench", "60000", "bench", "1", "0"],
                         capture_output=True, text=True, check=True).stdout
    match = re.search(r"([\d.]+) requests per second", out.replace("\r", "\n"))
    return {"requestsPerSecond": float(match.group(1))}


class Service:
    def __init__(self, redis, properties, jvm=None):
        self.port = free_port()
        command = [java(), *(jvm or SERVICE_JVM), "-jar", str(JAR), f"--server.port={self.port}",
                   f"--spring.data.redis.port={redis.port}", "--logging.level.root=WARN",
                   *[f"--{key}={value}" for key, value in properties.items()]]
        self.log = tempfile.NamedTemporaryFile(prefix="stock-service-", suffix=".log", delete=False)
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        try:
            # A service that dies at start fails here at once, with its log.
            wait_until(lambda: self.check_alive() or self.get("/readyz")[0] == 200, 120, "service start")
        except BaseException:
            self.stop()
            raise

    def get(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
            return response.status, response.read().decode()

    def counters(self):
        """Reductions answered (in all, and by outcome) and conflicts so far, from the service's own
        metrics."""
        text = self.get("/actuator/prometheus")[1]
        total = {"requests": 0.0, "conflicts": 0.0, "success": 0.0, "contention": 0.0}
        for line in text.splitlines():
            if line.startswith("stock_reduce_requests_total{"):
                value = float(line.rsplit(" ", 1)[1])
                total["requests"] += value
                outcome = re.search(r'outcome="(\w+)"', line).group(1)
                if outcome in total:
                    total[outcome] += value
            elif line.startswith("stock_reduce_conflicts_total{"):
                total["conflicts"] += float(line.rsplit(" ", 1)[1])
        return total

    def check_alive(self):
        """Fails the run, with the service's last words, if the service is gone."""
        if self.process.poll() is not None:
            with open(self.log.name, errors="replace") as log_file:
                tail = log_file.readlines()[-30:]
            raise RuntimeError(f"the service exited with {self.process.returncode}; its log, {self.log.name}, "
                               f"ends:\n{''.join(tail)}")

    def rss_kib(self):
        if self.process.poll() is not None:
            return 0
        for line in open(f"/proc/{self.process.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)
            os.unlink(self.log.name)  # kept when the service died by itself


def run_wrk(url, connections, seconds, script=None, threads=2, timeout=None, env=None):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    if timeout:
        command += ["--timeout", timeout]
    return subprocess.run([*command, url], capture_output=True, text=True, check=True,
                          env={**os.environ, **(env or {})}).stdout


def wrk(url, connections, seconds, script=None, threads=2, timeout=None, env=None):
    out = run_wrk(url, connections, seconds, script, threads, timeout, env)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    result = {"requestsPerSecond": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "p50Millis": percentile_millis(out, 50),
              "p99Millis": percentile_millis(out, 99),
              "non2xx": int(non_2xx.group(1)) if non_2xx else 0,
              "socketErrors": errors.group(1) if errors else None}
    pairs = re.search(r"hold-confirm: holds (\d+) confirms (\d+) failures (\d+) pairs/s ([\d.]+)", out)
    if pairs:
        result.update({"holds": int(pairs.group(1)), "confirms": int(pairs.group(2)),
                       "failures": int(pairs.group(3)), "pairsPerSecond": float(pairs.group(4))})
    if result["p50Millis"] is None or result["p99Millis"] is None:
        log(f"wrk's latency distribution not understood; its output:\n{out}")
        result["wrkOutput"] = out
    return result


def percentile_millis(wrk_output, which):
    """A line of wrk's latency distribution, in ms, or None. Anchored to the line's start: "87.50%"
    also ends the Thread Stats line of latency, and must not be read as the median."""
    line = re.search(rf"^\s+{which}%\s+([\d.]+)(us|ms|s|m)\s*$", wrk_output, re.MULTILINE)
    if line is None:
        return None
    value, unit = line.groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit], 3)


def measure(service, load, seconds):
    """One named load on the service, with the service's peak RSS meanwhile and the conflicts per
    success it counted itself."""
    path, script, env = LOADS[load]
    before = service.counters()
    peak = [0]
    sampling = threading.Event()

    def sample():
        while not sampling.is_set():
            peak[0] = max(peak[0], service.rss_kib())
            time.sleep(0.25)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = wrk(service.url + path, CONNECTIONS, seconds, script, env=env)
    finally:
        sampling.set()
        sampler.join()
        service.check_alive()
    after = service.counters()
    succeeded = after["success"] - before["success"]
    result["conflictsPerSuccess"] = (round((after["conflicts"] - before["conflicts"]) / succeeded, 3)
                                     if succeeded else None)
    result["rssMiB"] = round(peak[0] / 1024, 1)
    return result


def start_services(redis, count):
    """Instances of the default service, all on the same Redis; those started are stopped if one fails."""
    services = {}
    try:
        for number in range(1, count + 1):
            services[f"instance-{number}"] = Service(redis, WATCH)
    except BaseException:
        stop_services(services)
        raise
    return services


def stop_services(services):
    for service in services.values():
        service.stop()


def at_once(work):
    """Runs each of the named callables on a thread of its own, all at the same time; their results
    by name (the first failure, if any, is raised once all are done)."""
    results, failures = {}, []

    def run(name, job):
        try:
            results[name] = job()
        except BaseException as failure:
            failures.append(failure)

    threads = [threading.Thread(target=run, args=item) for item in work.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def warm_up_services(services, seconds):
    at_once({name: (lambda service=service: run_wrk(f"{service.url}/stock/reduce", TWO_INSTANCE_CONNECTIONS,
                                                      seconds, WRK_REDUCE, threads=1))
             for name, service in services.items()})


def instances_at_once(redis, services, seconds):
    """Every service loaded by its own wrk at the same time, on the one hot SKU; per service, what
    it sold and how it fared, from its own metrics and its wrk."""
    before = {name: service.counters() for name, service in services.items()}
    stock_before = int(redis.cli("GET", "stock:hot"))
    loads = at_once({name: (lambda service=service: wrk(f"{service.url}/stock/reduce", TWO_INSTANCE_CONNECTIONS,
                                                         seconds, WRK_REDUCE, threads=1,
                                                         timeout=TWO_INSTANCE_WRK_TIMEOUT))
                     for name, service in services.items()})
    # wrk stops with requests in flight, which the services still answer (within their 2 s
    # deadline): the round ends when the counters and the stock have stopped moving.
    settled, previous = None, None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for service in services.values():
            service.check_alive()
        settled = ({name: service.counters() for name, service in services.items()}, redis.cli("GET", "stock:hot"))
        if settled == previous:
            break
        previous = settled
        time.sleep(0.5)
    counters, stock_after = settled
    results = {}
    for name, service in services.items():
        after = counters[name]
        delta = {key: after[key] - before[name][key] for key in after}
        load = loads[name]
        results[name] = {"unitsSold": int(delta["success"]), "contention503": int(delta["contention"]),
                         "answered": int(delta["requests"]),
                         "conflictsPerSuccess": round(delta["conflicts"] / delta["success"], 3) if delta["success"]
                         else None,
                         "requestsPerSecond": load["requestsPerSecond"], "p50Millis": load["p50Millis"],
                         "p99Millis": load["p99Millis"], "socketErrors": load["socketErrors"]}
    # Every unit an instance reports sold left Redis, and no other: the instances' answers are true.
    taken = stock_before - int(stock_after)
    sold = sum(result["unitsSold"] for result in results.values())
    if taken != sold:
        raise RuntimeError(f"the instances report {sold} units sold, but {taken} left Redis")
    return results


def jvm_startup():
    with tempfile.NamedTemporaryFile(suffix=".json") as export:
        subprocess.run(["hyperfine", "--warmup", "1", "--runs", "5", "--export-json", export.name,
                        f"{java()} -jar {JAR} loadgen --help"],
                       capture_output=True, check=True)
        return {"seconds": round(json.load(open(export.name))["results"][0]["median"], 3)}


def range_of(samples):
    """The minimum and maximum of each numeric field over the rounds."""
    ranges = {}
    for key in samples[0]:
        values = [sample[key] for sample in samples if isinstance(sample.get(key), (int, float))]
        if values:
            ranges[key] = [min(values), max(values)]
    return ranges


def median_of(samples):
    """The median of each numeric field over the rounds."""
    merged = {}
    for key in samples[0]:
        values = [sample[key] for sample in samples if isinstance(sample.get(key), (int, float))]
        merged[key] = round(statistics.median(values), 3) if values else samples[0][key]
    return merged


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    memory = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    java_version = subprocess.run([java(), "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    redis_version = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()[2]
    return {"cpu": cpu, "cores": os.cpu_count(), "memoryGiB": round(memory / 1024 / 1024, 1),
            "os": platform.platform(), "java": java_version, "redis": redis_version,
            "loadAverageAtStart": os.getloadavg()[0]}


def measure_group(redis, group, args, samples):
    """Starts a group's variants on freshly stocked Redis, warms each up on its loads in turn, then
    measures round by round: each load on each variant, the variants' order rotated every round."""
    variants = GROUPS[group]
    log(f"{group}: starting {', '.join(variants)} and warming them up")
    redis.cli("FLUSHALL")
    redis.seed()
    services = {}
    try:
        for variant in variants:
            properties, jvm, loads = SERVICE_VARIANTS[variant]
            services[variant] = Service(redis, properties, jvm)
        for variant in variants:
            loads = SERVICE_VARIANTS[variant][2]
            for load in loads:
                path, script, env = LOADS[load]
                run_wrk(services[variant].url + path, CONNECTIONS, max(3, args.warm_up // len(loads)), script,
                        env=env)
        for round_number in range(1, args.runs + 1):
            log(f"{group}: round {round_number} of {args.runs}")
            shift = (round_number - 1) % len(variants)
            order = variants[shift:] + variants[:shift]
            for load in LOADS:
                for variant in order:
                    if load in SERVICE_VARIANTS[variant][2]:
                        samples.setdefault(f"{variant}/{load}", []).append(
                            measure(services[variant], load, args.seconds))
    finally:
        stop_services(services)


def main():
    parser = argparse.ArgumentParser(description="Runs the stock-service benchmark suite.")
    parser.add_argument("--runs", type=int, default=3, help="rounds of every measurement (median reported)")
    parser.add_argument("--stock", type=int, default=20000, help="units for the article and the load generator")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk measurement")
    parser.add_argument("--warm-up", type=int, default=SERVICE_WARM_UP_SECONDS,
                        help="seconds of load on each service before it is measured")
    parser.add_argument("--two-instance-seconds", type=int, default=20,
                        help="length of each measurement of two instances loaded at once")
    parser.add_argument("--quick", action="store_true", help="one round, small stock, short loads: a smoke test")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.stock, args.seconds, args.warm_up, args.two_instance_seconds = 1, 2000, 3, 8, 3

    samples = {name: [] for name in ["article", "loadgen-watch", "loadgen-lua", "evalsha"]}
    info = machine()
    redis = Redis()
    replica = None
    try:
        # Straight on Redis: the article's program, the load generator, redis-benchmark, round by
        # round, so that each round measures them all under the same conditions.
        for round_number in range(1, args.runs + 1):
            log(f"direct round {round_number} of {args.runs}")
            redis.cli("FLUSHALL")
            samples["article"].append(article(redis, args.stock, 10))
            for name, strategy in (("loadgen-watch", "watch"), ("loadgen-lua", "lua")):
                redis.cli("FLUSHALL")
                samples[name].append(loadgen(redis, strategy, args.stock, 10))
            redis.cli("FLUSHALL")
            samples["evalsha"].append(evalsha_ceiling(redis, 300_000 if not args.quick else 50_000))
        # Over HTTP, with a replica: group by group, each group's variants side by side.
        replica = Redis(replica_of=redis)
        redis.await_replica_online()
        for group in GROUPS:
            measure_group(redis, group, args, samples)
        # Two instances on the hot SKU at once: both started, warmed up together, then measured
        # round by round, each round loading both at the same time.
        log("two instances: starting and warming up")
        redis.cli("FLUSHALL")
        redis.seed()
        services = start_services(redis, 2)
        try:
            warm_up_services(services, args.warm_up)
            for round_number in range(1, args.runs + 1):
                log(f"two instances: round {round_number} of {args.runs}")
                for name, result in instances_at_once(redis, services, args.two_instance_seconds).items():
                    samples.setdefault(f"two-instances/{name}", []).append(result)
        finally:
            stop_services(services)
        startup = jvm_startup()
    finally:
        if replica:
            replica.stop()
        redis.stop()

    results = {name: median_of(runs) for name, runs in samples.items()}
    ranges = {name: range_of(runs) for name, runs in samples.items()}
    results["workerJvmStartup"] = startup
    document = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": info,
                "settings": {"runs": args.runs, "stock": args.stock, "wrkSeconds": args.seconds,
                             "connections": CONNECTIONS, "serviceWarmUpSeconds": args.warm_up,
                             "workerWarmUp": WORKER_WARM_UP, "serviceJvm": SERVICE_JVM,
                             "earlierImageJvm": EARLIER_IMAGE_JVM, "manySkus": MANY_SKUS, "someSkus": SOME_SKUS,
                             "twoInstanceSeconds": args.two_instance_seconds,
                             "twoInstanceConnections": TWO_INSTANCE_CONNECTIONS,
                             "twoInstanceWrkTimeout": TWO_INSTANCE_WRK_TIMEOUT},
                "results": results, "ranges": ranges, "rounds": samples}
    document["targets"] = targets(samples)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    out_file = out_dir / f"{datetime.date.today().isoformat()}{'-quick' if args.quick else ''}.json"
    out_file.write_text(json.dumps(document, indent=2) + "\n")
    log(f"wrote {out_file.relative_to(ROOT)}")
    print(markdown(document))


def per_round(samples, top, bottom, top_key="requestsPerSecond", bottom_key="requestsPerSecond"):
    """A ratio of two rows, round by round (both measured in the same round)."""
    return [round(a[top_key] / b[bottom_key], 3) for a, b in zip(samples[top], samples[bottom])]


def targets(samples):
    """Each target of the performance issue, round by round; met only when its worst round meets it."""

    def ratio(what, top, bottom, goal, top_key="requestsPerSecond"):
        rounds = per_round(samples, top, bottom, top_key)
        return {"what": what, "rounds": rounds, "goal": f">= {goal}", "met": min(rounds) >= goal}

    def measured(what, top, bottom, key="requestsPerSecond"):
        return {"what": what, "rounds": per_round(samples, top, bottom, key, key), "goal": "measured"}

    def at_most(what, values, goal, unit=""):
        return {"what": what, "rounds": values, "goal": f"<= {goal}{unit}", "met": max(values) <= goal}

    two = [samples[name] for name in samples if name.startswith("two-instances/")]
    return [
        ratio(f"{MANY_SKUS:,} random SKUs: reduce ÷ GET, `watch`", "watch/many-reduce", "watch/many-get", 0.7),
        at_most("the same: non-2xx answers", [x["non2xx"] for x in samples["watch/many-reduce"]], 0),
        ratio(f"{MANY_SKUS:,} random SKUs: reduce ÷ GET, `lua`", "lua/many-reduce", "lua/many-get", 0.8),
        ratio("hot SKU: reduce ÷ GET of it, `watch`", "watch/hot-reduce", "watch/hot-get", 0.85),
        at_most("hot SKU: conflicts per success, `watch`",
                [x["conflictsPerSuccess"] for x in samples["watch/hot-reduce"]], 0.5),
        at_most("two instances on one hot SKU: conflicts per success, either instance",
                [max(x[i]["conflictsPerSuccess"] for x in two) for i in range(len(two[0]))], 0.5),
        at_most("two instances on one hot SKU: 503 answers, both instances",
                [sum(x[i]["contention503"] for x in two) for i in range(len(two[0]))], 0),
        at_most("peak RSS under the `watch` loads, the image's flags",
                [max(samples[name][i]["rssMiB"] for name in samples if name.startswith("watch/"))
                 for i in range(len(samples["watch/hot-reduce"]))], 256, " MiB"),
        at_most("peak RSS under the same loads, the earlier image flags",
                [max(samples[name][i]["rssMiB"] for name in samples if name.startswith("watch-earlier-image-flags/"))
                 for i in range(len(samples["watch-earlier-image-flags/hot-reduce"]))], 256, " MiB"),
        ratio(f"hold + confirm pairs ÷ single reduces, {SOME_SKUS:,} SKUs, `watch`", "watch/some-hold-confirm",
              "watch/some-reduce", 0.5, "pairsPerSecond"),
        ratio(f"hold + confirm pairs ÷ single reduces, {SOME_SKUS:,} SKUs, `lua`", "lua/some-hold-confirm",
              "lua/some-reduce", 0.5, "pairsPerSecond"),
        ratio(f"orders of 3 SKUs ÷ single reduces, {SOME_SKUS:,} SKUs, `watch`", "watch/some-order3",
              "watch/some-reduce", 0.6),
        ratio(f"orders of 3 SKUs ÷ single reduces, {SOME_SKUS:,} SKUs, `lua`", "lua/some-order3",
              "lua/some-reduce", 0.6),
        measured("hot SKU: replicas-to-ack 1 ÷ 0", "watch-replicas-to-ack-1/hot-reduce", "watch-defaults/hot-reduce"),
        measured(f"{MANY_SKUS:,} random SKUs: replicas-to-ack 1 ÷ 0", "watch-replicas-to-ack-1/many-reduce",
                 "watch-defaults/many-reduce"),
        measured("hot SKU: p99 with replicas-to-ack 1 ÷ 0", "watch-replicas-to-ack-1/hot-reduce",
                 "watch-defaults/hot-reduce", "p99Millis"),
        measured(f"{MANY_SKUS:,} random SKUs: p99 with replicas-to-ack 1 ÷ 0", "watch-replicas-to-ack-1/many-reduce",
                 "watch-defaults/many-reduce", "p99Millis"),
        measured("hot SKU: cross-SKU combining (max-in-flight 4) ÷ one SKU per transaction",
                 "watch-defaults/hot-reduce", "watch-one-sku-per-transaction/hot-reduce"),
        measured(f"{MANY_SKUS:,} random SKUs: cross-SKU combining (max-in-flight 4) ÷ one SKU per transaction",
                 "watch-defaults/many-reduce", "watch-one-sku-per-transaction/many-reduce"),
        measured(f"{MANY_SKUS:,} random SKUs: combining ÷ none", "watch-defaults/many-reduce",
                 "watch-no-combining/many-reduce"),
        *[measured(f"{LOAD_NAMES[load]}: the image's flags ÷ the earlier ones", f"watch-image-flags/{load}",
                   f"watch-earlier-image-flags/{load}") for load in FLAG_LOADS],
        measured("peak RSS: the image's flags ÷ the earlier ones", "watch-image-flags/hot-reduce",
                 "watch-earlier-image-flags/hot-reduce", "rssMiB"),
    ]


def with_range(median, extent, digits=0):
    """A median, and the rounds' minimum and maximum beside it when they differ."""
    if median is None:
        return ""
    number = (lambda value: f"{value:,.{digits}f}")
    if not extent or extent[0] == extent[1]:
        return number(median)
    return f"{number(median)} ({number(extent[0])}–{number(extent[1])})"


def markdown(document):
    r, ranges = document["results"], document["ranges"]
    m = document["machine"]
    settings = document["settings"]

    def cell(name, key, digits=0):
        return with_range(r[name].get(key), ranges[name].get(key), digits)

    lines = [
        f"Measured {document['date']} on {m['cores']} × {m['cpu']}, {m['memoryGiB']} GiB, {m['os']}; "
        f"{m['java']}; Redis {m['redis']}; load average {m['loadAverageAtStart']:.2f} at the start. "
        f"Every figure is the median of {settings['runs']} rounds with the rounds' minimum–maximum beside it. "
        f"Services run with the image's JVM flags ({' '.join(settings['serviceJvm'])}) unless named otherwise, "
        f"are warmed up for {settings['serviceWarmUpSeconds']} s on their loads, and each load is a "
        f"{settings['wrkSeconds']} s wrk run at {settings['connections']} connections; the Redis has one replica "
        f"throughout. Variants compared with each other run side by side, up at the same time and measured in "
        f"turn, round by round: {'; '.join(', '.join(f'`{v}`' for v in vs) for vs in GROUPS.values())}.",
        "",
        "| service | load | requests/s | non-2xx | conflicts per success | p50 ms | p99 ms | peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for variant, (properties, jvm, loads) in SERVICE_VARIANTS.items():
        for load in LOADS:
            if load not in loads:
                continue
            name = f"{variant}/{load}"
            throughput = cell(name, "requestsPerSecond")
            if load == "some-hold-confirm":
                throughput += f" ({cell(name, 'pairsPerSecond')} pairs/s)"
            lines.append(f"| `{variant}` | {LOAD_NAMES[load]} | {throughput} | {cell(name, 'non2xx')} | "
                         f"{cell(name, 'conflictsPerSuccess', 2)} | {cell(name, 'p50Millis', 2)} | "
                         f"{cell(name, 'p99Millis', 1)} | {cell(name, 'rssMiB')} |")
    lines += ["", "| target | median (min–max) of the rounds | goal | |", "|---|---|---|---|"]
    for target in document["targets"]:
        rounds = target["rounds"]
        spread = f"{statistics.median(rounds):g} ({min(rounds):g}–{max(rounds):g})"
        verdict = {True: "met", False: "not met", None: ""}[target.get("met")]
        lines.append(f"| {target['what']} | {spread} | {target['goal']} | {verdict} |")
    lines += [
        "",
        f"Two instances of the default service (`watch`) on one hot SKU on the same Redis, each loaded by its own "
        f"wrk ({settings['twoInstanceConnections']} connections, {settings['twoInstanceSeconds']} s) at the same "
        f"time:",
        "",
        "| instance | units sold | requests/s | 503 contention | conflicts per success | p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for name in sorted(key for key in r if key.startswith("two-instances/")):
        lines.append(f"| {name.split('/')[1]} | {cell(name, 'unitsSold')} | {cell(name, 'requestsPerSecond')} | "
                     f"{cell(name, 'contention503')} | {cell(name, 'conflictsPerSuccess', 2)} | "
                     f"{cell(name, 'p99Millis', 1)} |")
    lines += [
        "",
        "Straight on Redis, for information (ten JVMs on two cores measure the machine more than the code):",
        "",
        "| what | throughput | conflicts per success | p50 ms | p99 ms |",
        "|---|---|---|---|---|",
        f"| article's program (Python, 10 processes) | {cell('article', 'decrementsPerSecond')} decrements/s | "
        f"{cell('article', 'conflictsPerSuccess', 2)} | | |",
        f"| load generator, direct `watch`, 10 worker JVMs | {cell('loadgen-watch', 'decrementsPerSecond')} "
        f"decrements/s | {cell('loadgen-watch', 'conflictsPerSuccess', 2)} | {cell('loadgen-watch', 'p50Millis', 3)} | "
        f"{cell('loadgen-watch', 'p99Millis', 1)} |",
        f"| load generator, direct `lua`, 10 worker JVMs | {cell('loadgen-lua', 'decrementsPerSecond')} "
        f"decrements/s | {cell('loadgen-lua', 'conflictsPerSuccess', 2)} | {cell('loadgen-lua', 'p50Millis', 3)} | "
        f"{cell('loadgen-lua', 'p99Millis', 1)} |",
        f"| redis-benchmark EVALSHA reduce.lua, -c 10 (ceiling) | {cell('evalsha', 'requestsPerSecond')} calls/s "
        f"| | | |",
        "",
        f"Worker JVM start-up (`java -jar stock-service.jar loadgen --help`): {r['workerJvmStartup']['seconds']} s.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
