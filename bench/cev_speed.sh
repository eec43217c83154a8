#!/usr/bin/env bash
# Customer engagement value of a 100,000-customer CRM book on two threads
# (issue 14, point 6). One command for the integrator to re-run on an idle
# machine: prints the machine, the load, then the program's breakdown (wall and CPU
# time per part) and JSON line.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p social_loop_bench --bin cev_speed
date -u; lscpu | head -12; cat /proc/loadavg
target/release/cev_speed --customers 100000 --events 1000000 --days 1000 --threads 2 --parts 1
cat /proc/loadavg
