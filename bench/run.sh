#!/usr/bin/env bash
# Runs the benchmark suite on this machine, side by side in one run, and prints its tables (about
# 30 minutes on 2 cores; --quick: about 6, a smoke test that measures nothing worth quoting).
#
#   bench/run.sh [--runs N] [--quick]
#
# What it installs, and why (Debian packages, via apt-get; sudo when not root):
#   redis-server, redis-tools  a Redis of the benchmark's own, and redis-benchmark (the ceiling)
#   python3-redis              the article's own program, bench/article.py, with Debian's python3
#   wrk                        HTTP load on the service
#   hyperfine                  JVM start-up time
# It then builds the service jar with the Maven wrapper (tests skipped: ./mvnw verify runs them),
# and hands over to bench/bench.py, which writes bench/results/<date>.json and prints markdown.
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(redis-server redis-tools python3-redis wrk hyperfine)
missing=()
for package in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "bench: installing ${missing[*]}" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Debian starts a redis-server service on 6379 when it installs one; the benchmark does not use
# it (it starts its own on a free port), and leaves it alone.

./mvnw --batch-mode --no-transfer-progress --quiet -DskipTests package

exec /usr/bin/python3 bench/bench.py "$@"
