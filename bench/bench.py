#!/usr/bin/python3
"""The stock-service benchmark: every figure measured side by side in one run, on this machine.

Started by bench/run.sh (which installs the tools and builds the jar). It starts a redis-server of
its own on a free loopback port and, for each of --runs rounds, measures:

  1. the article's own program (bench/article.py, Debian's python3-redis), 10 processes;
  2. the load generator in direct mode, 10 worker JVMs, strategies watch and lua;
  3. redis-benchmark EVALSHA of the service's own check-and-decrement script at -c 10: the ceiling;
  4. the service over HTTP with wrk: one hot SKU at 16 and 64 connections, both strategies, and
     the same server's cheapest GET (the liveness probe) as the HTTP ceiling;
  5. the service's RSS under the 64-connection load, and a worker JVM's start-up time;
  6. three instances of the service on one hot SKU on the same Redis, one variant each (watch, lua,
     watch without combining), each loaded by its own wrk at the same time:
     what each one sells, and how often it gives up with 503, while the others contend with it.

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

# The service runs as in its container (Dockerfile, Helm chart): a 512 MiB memory limit, of which
# the heap may take 75 %. MaxRAM stands in for the container's limit on a bare machine.
SERVICE_JVM = ["-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError"]

HOT_STOCK = 10**12  # enough that no HTTP or redis-benchmark run ever sells out

# Reductions each worker JVM runs on a SKU of its own before the race: ten JVMs compiling their
# hot code during the race would measure their JIT compilers.
WORKER_WARM_UP = 10_000

# A freshly started service spends its first tens of seconds under load compiling; measured then,
# its throughput is the C2 compiler's. Each service is loaded this long before it is measured.
SERVICE_WARM_UP_SECONDS = 45

# The service variants measured over HTTP: the defaults with each strategy, and the defaults with
# one lever changed, to show what each lever is worth.
SERVICE_VARIANTS = {
    "watch": {"stock.reduce.strategy": "watch"},
    "lua": {"stock.reduce.strategy": "lua"},
    "watch-no-combining": {"stock.reduce.strategy": "watch", "stock.reduce.combining.enabled": "false"},
}

# Several instances on one SKU on one Redis, loaded at the same time: a variant that does well alone
# may still lose to other instances writing the same key (an optimistic transaction is aborted by
# any write it did not see). Each instance gets its own wrk of this many connections.
FOUR_INSTANCE_VARIANTS = {
    "watch": SERVICE_VARIANTS["watch"],
    "lua": SERVICE_VARIANTS["lua"],
    "watch-no-combining": SERVICE_VARIANTS["watch-no-combining"],
}
FOUR_INSTANCE_CONNECTIONS = 16

# wrk's own timeout is 2 s, the service's deadline; a request answered just after it would count
# as a socket error and drop out of the latency distribution. Longer, every answer is counted.
FOUR_INSTANCE_WRK_TIMEOUT = "10s"


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
    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="bench-redis-")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self.cli("PING") == "PONG", 20, "redis-server start")

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True,
                              check=True).stdout.strip()

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
    def __init__(self, redis, properties, jar=JAR):
        self.port = free_port()
        command = [java(), *SERVICE_JVM, "-jar", str(jar), f"--server.port={self.port}",
                   f"--spring.data.redis.port={redis.port}", "--logging.level.root=WARN",
                   *[f"--{key}={value}" for key, value in properties.items()]]
        self.log = tempfile.NamedTemporaryFile(prefix="stock-service-", suffix=".log", delete=False)
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            # A service that dies at start fails here at once, with its log.
            wait_until(lambda: self.check_alive() or self.get("/readyz")[0] == 200, 120, "service start")
        except BaseException:
            self.stop()
            raise
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/stock/hot", method="PUT",
                                         data=json.dumps({"quantity": HOT_STOCK}).encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).read()

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


def run_wrk(url, connections, seconds, script=None, threads=2, timeout=None):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    if timeout:
        command += ["--timeout", timeout]
    return subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout


def wrk(url, connections, seconds, script=None, threads=2, timeout=None):
    out = run_wrk(url, connections, seconds, script, threads, timeout)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    result = {"requestsPerSecond": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "p50Millis": percentile_millis(out, 50),
              "p99Millis": percentile_millis(out, 99),
              "non2xx": int(non_2xx.group(1)) if non_2xx else 0,
              "socketErrors": errors.group(1) if errors else None}
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


def http_reduce(service, connections, seconds):
    """Load on the hot SKU, with the conflicts per success the service itself counted."""
    url = f"http://127.0.0.1:{service.port}/stock/reduce"
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
        result = wrk(url, connections, seconds, WRK_REDUCE)
    finally:
        sampling.set()
        sampler.join()
        service.check_alive()
    after = service.counters()
    answered = after["requests"] - before["requests"]
    result["conflictsPerSuccess"] = round((after["conflicts"] - before["conflicts"]) / answered, 3) if answered else None
    result["rssMiB"] = round(peak[0] / 1024, 1)
    return result


def start_services(redis, variants, jar=JAR):
    """One service per variant, all on the same Redis; those started are stopped if one fails."""
    services = {}
    try:
        for variant, properties in variants.items():
            services[variant] = Service(redis, properties, jar)
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
    at_once({name: (lambda service=service: run_wrk(f"http://127.0.0.1:{service.port}/stock/reduce",
                                                      FOUR_INSTANCE_CONNECTIONS, seconds, WRK_REDUCE, threads=1))
             for name, service in services.items()})


def instances_at_once(redis, services, seconds):
    """Every service loaded by its own wrk at the same time, on the one hot SKU; per service, what
    it sold and how it fared, from its own metrics and its wrk."""
    before = {name: service.counters() for name, service in services.items()}
    stock_before = int(redis.cli("GET", "stock:hot"))
    loads = at_once({name: (lambda service=service: wrk(f"http://127.0.0.1:{service.port}/stock/reduce",
                                                         FOUR_INSTANCE_CONNECTIONS, seconds, WRK_REDUCE, threads=1,
                                                         timeout=FOUR_INSTANCE_WRK_TIMEOUT))
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


def main():
    parser = argparse.ArgumentParser(description="Runs the stock-service benchmark suite.")
    parser.add_argument("--runs", type=int, default=3, help="rounds of every measurement (median reported)")
    parser.add_argument("--stock", type=int, default=20000, help="units for the article and the load generator")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk measurement")
    parser.add_argument("--warm-up", type=int, default=SERVICE_WARM_UP_SECONDS,
                        help="seconds of load on each service before it is measured")
    parser.add_argument("--four-instance-seconds", type=int, default=20,
                        help="length of each measurement of several instances loaded at once")
    parser.add_argument("--quick", action="store_true", help="one round, small stock, short loads: a smoke test")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.stock, args.seconds, args.warm_up, args.four_instance_seconds = 1, 2000, 3, 5, 3

    samples = {name: [] for name in
               ["article", "loadgen-watch", "loadgen-lua", "evalsha",
                "http-watch-16", "http-watch-64", "http-lua-16", "http-lua-64", "http-watch-no-combining-64",
                "http-get-64",
                *[f"four-instances-{variant}" for variant in FOUR_INSTANCE_VARIANTS]]}
    info = machine()
    redis = Redis()
    try:
        # Straight on Redis: the article's program, the load generator, redis-benchmark, round by
        # round, so that each round measures them all under the same conditions.
        for round_number in range(1, args.runs + 1):
            log(f"direct round {round_number} of {args.runs}")
            redis.cli("FLUSHALL")
            samples["article"].append(article(redis, args.stock, 10))
            for name, strategy, extra in (("loadgen-watch", "watch", ()),
                                          ("loadgen-lua", "lua", ())):
                redis.cli("FLUSHALL")
                samples[name].append(loadgen(redis, strategy, args.stock, 10, extra))
            redis.cli("FLUSHALL")
            samples["evalsha"].append(evalsha_ceiling(redis, 300_000 if not args.quick else 50_000))
        # Over HTTP: each variant of the service is started once, warmed up, then measured round
        # by round; the cheapest GET is measured on the default service between its reductions.
        for variant, properties in SERVICE_VARIANTS.items():
            connections = (16, 64) if variant in ("watch", "lua") else (64,)
            log(f"service {variant}: starting and warming up")
            redis.cli("FLUSHALL")
            service = Service(redis, properties)
            try:
                url = f"http://127.0.0.1:{service.port}"
                run_wrk(f"{url}/stock/reduce", 64, args.warm_up, WRK_REDUCE)
                run_wrk(f"{url}/actuator/health/liveness", 64, max(3, args.warm_up // 3))
                for round_number in range(1, args.runs + 1):
                    log(f"service {variant}: round {round_number} of {args.runs}")
                    for count in connections:
                        samples[f"http-{variant}-{count}"].append(http_reduce(service, count, args.seconds))
                    if variant == "watch":
                        samples["http-get-64"].append(wrk(f"{url}/actuator/health/liveness", 64, args.seconds))
            finally:
                service.stop()
        # Several instances on the hot SKU at once: all started, warmed up together, then measured
        # round by round, each round loading all four at the same time.
        log("several instances: starting and warming up")
        redis.cli("FLUSHALL")
        services = start_services(redis, FOUR_INSTANCE_VARIANTS)
        try:
            warm_up_services(services, args.warm_up)
            for round_number in range(1, args.runs + 1):
                log(f"several instances: round {round_number} of {args.runs}")
                for variant, result in instances_at_once(redis, services, args.four_instance_seconds).items():
                    samples[f"four-instances-{variant}"].append(result)
        finally:
            stop_services(services)
        startup = jvm_startup()
    finally:
        redis.stop()

    results = {name: median_of(runs) for name, runs in samples.items()}
    ranges = {name: range_of(runs) for name, runs in samples.items()}
    results["workerJvmStartup"] = startup
    ratios = {
        "directWatchOverArticle": results["loadgen-watch"]["decrementsPerSecond"]
        / results["article"]["decrementsPerSecond"],
        "directLuaOverEvalsha": results["loadgen-lua"]["decrementsPerSecond"]
        / results["evalsha"]["requestsPerSecond"],
        "httpWatch64OverGet": results["http-watch-64"]["requestsPerSecond"]
        / results["http-get-64"]["requestsPerSecond"],
    }
    ratios = {key: round(value, 2) for key, value in ratios.items()}
    document = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": info,
                "settings": {"runs": args.runs, "stock": args.stock, "wrkSeconds": args.seconds,
                             "serviceWarmUpSeconds": args.warm_up, "workerWarmUp": WORKER_WARM_UP,
                             "serviceJvm": SERVICE_JVM, "fourInstanceSeconds": args.four_instance_seconds,
                             "fourInstanceConnections": FOUR_INSTANCE_CONNECTIONS,
                             "fourInstanceWrkTimeout": FOUR_INSTANCE_WRK_TIMEOUT},
                "results": results, "ranges": ranges, "ratios": ratios, "rounds": samples}
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    out_file = out_dir / f"{datetime.date.today().isoformat()}{'-quick' if args.quick else ''}.json"
    out_file.write_text(json.dumps(document, indent=2) + "\n")
    log(f"wrote {out_file.relative_to(ROOT)}")
    print(markdown(document))


def blank_if_none(value):
    return "" if value is None else value


def markdown(document):
    r = document["results"]
    ratios = document["ratios"]
    m = document["machine"]
    settings = document["settings"]

    def row(what, x, unit, key):
        conflicts = x.get("conflictsPerSuccess")
        return (f"| {what} | {x[key]:,.0f} {unit} | {'' if conflicts is None else conflicts} | "
                f"{blank_if_none(x.get('p50Millis'))} | {blank_if_none(x.get('p99Millis'))} |")

    lines = [
        f"Measured {document['date']} on {m['cores']} × {m['cpu']}, {m['memoryGiB']} GiB, {m['os']}; "
        f"{m['java']}; Redis {m['redis']}; load average {m['loadAverageAtStart']:.2f} at the start. "
        f"Median of {settings['runs']} rounds; stock {settings['stock']:,} for the article and the load generator "
        f"(workers warmed up with {settings['workerWarmUp']:,} reductions each); wrk runs of "
        f"{settings['wrkSeconds']} s on services warmed up for {settings['serviceWarmUpSeconds']} s.",
        "",
        "| what | throughput | conflicts per success | p50 ms | p99 ms |",
        "|---|---|---|---|---|",
        row("article's program (Python, 10 processes)", r["article"], "decrements/s", "decrementsPerSecond"),
        row("load generator, direct `watch`, 10 worker JVMs", r["loadgen-watch"], "decrements/s",
            "decrementsPerSecond"),
        row("load generator, direct `lua`, 10 worker JVMs", r["loadgen-lua"], "decrements/s", "decrementsPerSecond"),
        row("redis-benchmark EVALSHA reduce.lua, -c 10 (ceiling)", r["evalsha"], "calls/s", "requestsPerSecond"),
    ]
    for name, what in (("http-watch-16", "`watch`, 16 connections"), ("http-watch-64", "`watch`, 64 connections"),
                       ("http-lua-16", "`lua`, 16 connections"), ("http-lua-64", "`lua`, 64 connections"),
                       ("http-watch-no-combining-64", "`watch` without combining, 64 connections")):
        lines.append(row(f"HTTP `POST /stock/reduce`, one hot SKU, {what}", r[name], "requests/s",
                         "requestsPerSecond"))
    lines.append(row("HTTP `GET /actuator/health/liveness`, 64 connections (ceiling)", r["http-get-64"],
                     "requests/s", "requestsPerSecond"))
    lines += [
        "",
        f"Service RSS, peak under the 64-connection loads: `watch` {r['http-watch-64']['rssMiB']} MiB, "
        f"`lua` {r['http-lua-64']['rssMiB']} MiB. Worker JVM start-up (`java -jar stock-service.jar loadgen --help`): "
        f"{r['workerJvmStartup']['seconds']} s.",
        "",
        "| target | measured | goal |",
        "|---|---|---|",
        f"| direct `watch` ÷ article's program | {ratios['directWatchOverArticle']} | ≥ 4 |",
        f"| direct `lua` ÷ redis-benchmark EVALSHA | {ratios['directLuaOverEvalsha']} | ≥ 0.7 |",
        f"| HTTP `watch` at 64 ÷ cheapest GET at 64 | {ratios['httpWatch64OverGet']} | ≥ 0.7 |",
        f"| conflicts per success, HTTP `watch` at 64 | {r['http-watch-64']['conflictsPerSuccess']} | ≤ 0.5 |",
        f"| service RSS under that load | {r['http-watch-64']['rssMiB']} MiB | ≤ 300 MiB |",
        "",
        *four_instances_markdown(document, "four-instances-", FOUR_INSTANCE_VARIANTS),
    ]
    return "\n".join(lines)


def with_range(median, extent, digits=0):
    """A median, and the rounds' minimum and maximum beside it when they differ."""
    if median is None:
        return ""
    number = (lambda value: f"{value:,.{digits}f}")
    if not extent or extent[0] == extent[1]:
        return number(median)
    return f"{number(median)} ({number(extent[0])}–{number(extent[1])})"


def four_instances_markdown(document, prefix, variants):
    """The table of several instances loaded at once: one row per instance, median (min–max)."""
    settings = document["settings"]
    lines = [
        f"Several instances on one hot SKU on the same Redis, each loaded by its own wrk "
        f"({settings['fourInstanceConnections']} connections, {settings['fourInstanceSeconds']} s) at the same "
        f"time; median (min–max) of {settings['runs']} rounds:",
        "",
        "| instance | units sold | requests/s | 503 contention | conflicts per success | p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for variant in variants:
        x, extent = document["results"][prefix + variant], document["ranges"][prefix + variant]
        lines.append(f"| `{variant}` | {with_range(x['unitsSold'], extent.get('unitsSold'))} | "
                     f"{with_range(x['requestsPerSecond'], extent.get('requestsPerSecond'))} | "
                     f"{with_range(x['contention503'], extent.get('contention503'))} | "
                     f"{with_range(x['conflictsPerSuccess'], extent.get('conflictsPerSuccess'), 2)} | "
                     f"{with_range(x['p99Millis'], extent.get('p99Millis'), 1)} |")
    return lines


if __name__ == "__main__":
    main()
