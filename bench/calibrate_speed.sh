#!/bin/sh
# Issue 15's speed figure in one command: calibrating 100,000 customers and
# 1,000,000 events on two threads, with the machine and its load.
set -e
cd "$(dirname "$0")/.."
cargo build --release -p social_loop_bench --bin calibrate_speed
date -u
lscpu | head
cat /proc/loadavg
./target/release/calibrate_speed --customers 100000 --events 1000000 --threads 2
cat /proc/loadavg
