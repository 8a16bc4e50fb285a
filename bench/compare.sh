#!/bin/sh
# Interleave beside TLC and SPIN: whole processes, one worker each, taking turns (Interleave, the
# other, Interleave, ...), the CPU the operating system accounts for each, the ratio pair by pair.
# bench/README.md ("How to repeat it") says how to build what TOOLS holds:
#   TOOLS/tla2tools.jar                          TLC
#   TOOLS/lamport/MCLamportMutex.{tla,cfg}, LamportMutex.tla
#   TOOLS/bakery/MCBakery.{tla,cfg}, Bakery.tla, TLAPS.tla
#   TOOLS/paxos/PaxosCommit.{tla,cfg}, TCommit.tla
#   TOOLS/counters-spin/pan, TOOLS/queue-spin/pan   SPIN's pan for bench/counters.pml, bench/bounded-queue.pml
# usage (from the repository): TOOLS=/path RUNS=3 sh bench/compare.sh OUTDIR model...
#   model: lamport bakery paxos (TLC), counters-spin queue-spin (SPIN)
# OUTDIR gets <model>.<il|ref>.<run>.out (the output) and .time ('%e %U %S %M': wall, user, system
# seconds, peak RSS KiB); run 0 is a warm-up, not counted: for every model one check by Interleave
# (the first check of a spec file in a checkout also type-checks and compiles it, about 5 s of CPU on
# a second thread, kept for later runs), for LamportMutex a whole pair.
set -eu
[ $# -ge 2 ] || { echo "usage: TOOLS=/path RUNS=3 sh $0 OUTDIR model..." >&2; exit 2; }
: "${TOOLS:?set TOOLS to the folder with tla2tools.jar, the TLA+ models and pan (see the header)}"
T=$(cd "$TOOLS" && pwd)
RUNS=${RUNS:-3}
REPO=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
shift
[ -x /usr/bin/time ] || { echo "compare.sh needs /usr/bin/time (Debian: apt-get install -y time)" >&2; exit 2; }
META=$(mktemp -d)
trap 'rm -rf "$META"' EXIT INT TERM
TLC="java -XX:+UseParallelGC -jar $T/tla2tools.jar -workers 1"

# Sets IL (the arguments of `interleave check`), REF (the other command) and WARM for a model.
setup() {
  WARM=0
  case $1 in
  lamport)
    WARM=1
    IL="specs/examples/lamport-mutex.ts --const N=3 --const maxClock=6 --const MaxNat=7"
    REF="$TLC -config MCLamportMutex.cfg MCLamportMutex.tla" ;;
  bakery)
    IL="specs/examples/bakery.ts --const N=2 --const MaxNat=2 --step-timeout 120"
    REF="$TLC -config MCBakery.cfg MCBakery.tla" ;;
  paxos)
    IL="specs/examples/paxos-commit.ts --const N=2"
    REF="$TLC -config PaxosCommit.cfg PaxosCommit.tla" ;;
  counters-spin) IL="bench/counters.ts"; REF="./pan" ;;
  queue-spin) IL="bench/bounded-queue.ts"; REF="./pan" ;;
  *) echo "unknown model: $1 (lamport, bakery, paxos, counters-spin, queue-spin)" >&2; exit 2 ;;
  esac
}

# run NAME DIR COMMAND...: COMMAND in DIR under /usr/bin/time, into OUT/NAME.{out,time}.
run() {
  name=$1 dir=$2
  shift 2
  echo "  $name" >&2
  (cd "$dir" && /usr/bin/time -o "$OUT/$name.time" -f '%e %U %S %M' "$@" >"$OUT/$name.out" 2>&1) ||
    echo "  $name exited non-zero (see $OUT/$name.out)" >&2
}

# One pair: Interleave, then the other (TLC with a -metadir of its own each time).
pair() {
  run "$1.il.$2" "$REPO" node bin/interleave.js check $IL --workers 1
  case $REF in
  java*) run "$1.ref.$2" "$T/$1" $REF -metadir "$META/$1.$2" ;;
  *) run "$1.ref.$2" "$T/$1" $REF ;;
  esac
  rm -rf "$META/$1.$2"
}

cpu() { tail -n 1 "$OUT/$1.time" | awk '{ printf "%.2f", $2 + $3 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for m in "$@"; do setup "$m"; done # every name checked before anything runs
for m in "$@"; do
  setup "$m"
  echo "$m" >&2
  if [ "$WARM" = 1 ]; then pair "$m" 0; else run "$m.il.0" "$REPO" node bin/interleave.js check $IL --workers 1; fi
  i=1
  while [ "$i" -le "$RUNS" ]; do
    pair "$m" "$i"
    i=$((i + 1))
  done
done

echo "CPU seconds (user + system); ratio = the other's / Interleave's"
for m in "$@"; do
  echo "== $m"
  printf '%6s %12s %12s %8s\n' run interleave other ratio
  : >"$META/il"
  : >"$META/ref"
  : >"$META/ratio"
  i=1
  while [ "$i" -le "$RUNS" ]; do
    a=$(cpu "$m.il.$i")
    b=$(cpu "$m.ref.$i")
    r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", (a > 0) ? b / a : 0 }')
    printf '%6s %12s %12s %8s\n' "$i" "$a" "$b" "$r"
    echo "$a" >>"$META/il"
    echo "$b" >>"$META/ref"
    echo "$r" >>"$META/ratio"
    i=$((i + 1))
  done
  printf '%6s %12s %12s %8s\n' median "$(median <"$META/il")" "$(median <"$META/ref")" "$(median <"$META/ratio")"
  # The counts each side reported in its last run, to be compared by eye (they must be equal).
  grep -hE 'distinct states found|states, stored|transitions \(=|^ *Depth [0-9]|depth reached|depth of the complete' \
    "$OUT/$m.il.$RUNS.out" "$OUT/$m.ref.$RUNS.out" | sed 's/^/  | /' || true
done
