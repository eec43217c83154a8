#!/usr/bin/env bash
# The value loop's cost per run and the attribution's, side by side with
# another build of `scale` (for example main's), interleaved so that both see
# the same machine load.
#
#   bash bench/value_loop.sh                      # this tree only
#   bash bench/value_loop.sh /path/to/old/scale   # this tree against an old build
#
# Prints, per (customers, threads), the median over REPS runs of the time of
# the 52 periods (loop_s) for each binary, and the attribution over 4 runs on
# this tree; the date, the machine and the load average go first.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-5}
OLD=${1:-}
cargo build --release -q -p social_loop_bench --bin scale
NEW=target/release/scale
date -u
lscpu | head -n 15 | grep -E "Model name|^CPU\(s\)"
echo "loadavg: $(cat /proc/loadavg)"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
field() { tr ' ' '\n' | awk -v k="$1" 'prev == k {print; exit} {prev = $0}'; }

for customers in 10000 100000 1000000; do
  reps=$REPS
  [ "$customers" = 1000000 ] && reps=$(( (REPS + 1) / 2 ))
  for threads in 1 2; do
    new_times=(); old_times=()
    for _ in $(seq "$reps"); do
      new_times+=("$($NEW --customers "$customers" --threads "$threads" | field loop_s)")
      if [ -n "$OLD" ]; then
        old_times+=("$($OLD --customers "$customers" --threads "$threads" | field loop_s)")
      fi
    done
    new=$(printf '%s\n' "${new_times[@]}" | median)
    line="customers $customers threads $threads reps $reps loop_s(this) $new"
    if [ -n "$OLD" ]; then
      old=$(printf '%s\n' "${old_times[@]}" | median)
      line="$line loop_s(old) $old ratio $(awk -v a="$new" -v b="$old" 'BEGIN {printf "%.2f", a / b}')"
    fi
    echo "$line  [loadavg $(cut -d' ' -f1 /proc/loadavg)]"
  done
done
for customers in 10000 100000; do
  echo "$($NEW --customers "$customers" --threads 2 --attribution 4)  [loadavg $(cut -d' ' -f1 /proc/loadavg)]"
done
