#!/usr/bin/env bash
# relay-throughput.sh -- one large file through a loopback relay session, against a plain loopback TCP copy.
#
#   BENCH_DATA=DIR [SIZE_MIB=1024] [REPS=3] [RESULTS=bench/results/sessions] bench/relay-throughput.sh
#
# Cases, each rep in this order (warm cache: the file is read before each case; a `sync` runs before
# the timer starts and another before it stops, so the destination's write-back is paid by every case):
#   tcp     socat copies the file over a loopback TCP connection into an empty folder (receiver and
#           sender in one measured command; no encryption, no framing)
#   ab      a session A -> B through `ciphersync relay` on 127.0.0.1 (bench/session-run.sh, mirror)
#   fanout  a session A -> B, C, D, E (5 members, mirror): one upload for four recipients
# The file (SIZE_MIB of random data) is generated once, as BENCH_DATA/relay/src-SIZE_MIB/big.bin, and reused.
# Rows are appended to RESULTS/throughput.tsv; the medians and ratios of this run are printed.
# cpu_s is the measured command (members, or both socat processes), server_cpu_s the relay's CPU meanwhile,
# other_cpu_s the CPU the rest of the machine used meanwhile (noise).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${BENCH_DATA:?set BENCH_DATA to a scratch folder with room for 6 copies of the file}/relay
SIZE_MIB=${SIZE_MIB:-1024} REPS=${REPS:-3}
OUT=${RESULTS:-$HERE/results/sessions}
command -v socat >/dev/null || { echo "relay-throughput.sh: socat is missing (apt-get install socat)" >&2; exit 1; }
source "$HERE/ciphersync.sh"          # frozen distribution, relay helpers, clean-up at exit
SRCDIR=$DATA/src-$SIZE_MIB BIG=$DATA/src-$SIZE_MIB/big.bin   # the source folder holds this one file
mkdir -p "$OUT" "$SRCDIR" || exit 1
OUT=$(cd "$OUT" && pwd)
if [[ ! -f $BIG ]]; then
  echo "generating $BIG ($SIZE_MIB MiB of random data)" >&2
  openssl rand -out "$BIG.tmp" $(( SIZE_MIB << 20 )) && mv "$BIG.tmp" "$BIG" || exit 1
fi
BYTES=$(stat -c %s "$BIG")
cs_relay_up || exit 1

TSV=$OUT/throughput.tsv
[[ -f $TSV ]] || printf 'date\tcase\trep\tmembers\tbytes\twall_s\tmib_s\tcpu_s\tserver_cpu_s\tother_cpu_s\trelay_parts\trelay_down\trelay_frames\tnote\n' >"$TSV"
NOW=$(date -u +%FT%TZ)
{ echo "# $NOW relay-throughput size=$BYTES reps=$REPS"
  echo "# $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr); $("$CS_BIN" --version); $(socat -V | sed -n 2p)"
} | tee -a "$OUT/runs.log"

busy() { awk -v hz=$(getconf CLK_TCK) '/^cpu /{print ($2+$3+$4+$7+$8+$9)/hz}' /proc/stat; }
# measure CASE MEMBERS DST... -- CMD...: one measured command; appends a row; verifies every DST
measure() {
  local name=$1 members=$2; shift 2
  local dsts=(); while [[ $1 != -- ]]; do dsts+=("$1"); shift; done; shift
  local log=$DATA/$name-r$REP.log r0 r1 b0 b1 s e rc note=verify=ok d
  cat "$BIG" >/dev/null; sync
  r0=$(cs_relay_counters); b0=$(busy); s=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$DATA/time.out" "$@" >"$log" 2>&1; rc=$?
  sync; e=$(date +%s%N); b1=$(busy); r1=$(cs_relay_counters)
  for d in "${dsts[@]}"; do cmp -s "$BIG" "$d/$(basename "$BIG")" || note=verify=DIFF; done
  (( rc == 0 )) || note="FAILED:rc=$rc $note"
  [[ $r0 == NA || $r1 == NA || ${r0##* } != "${r1##* }" ]] && note="$note relay_counters=lost"
  awk -v c=$name -v rep=$REP -v m=$members -v n=$BYTES -v w=$(( e - s )) -v b0=$b0 -v b1=$b1 -v r0="$r0" -v r1="$r1" \
      -v note="$note" -v now=$NOW '{cpu = $(NF-1) + $NF} END{
    split(r0, x, " "); split(r1, y, " "); wall = w / 1e9; srv = y[4] - x[4]; other = b1 - b0 - cpu - srv
    printf "%s\t%s\t%d\t%d\t%.0f\t%.3f\t%.1f\t%.2f\t%.2f\t%.2f\t%.0f\t%.0f\t%.0f\t%s\n", now, c, rep, m, n, wall, n / 1048576 / wall,
      cpu, srv, (other > 0 ? other : 0), y[1]-x[1], y[2]-x[2], y[3]-x[3], note}' "$DATA/time.out" | tee -a "$TSV"
}

for REP in $(seq $REPS); do
  echo "== rep $REP/$REPS" >&2
  rm -rf "$DATA/tcp" "$DATA/ab" "$DATA/fanout" && mkdir -p "$DATA/tcp" "$DATA"/ab/{b,state} "$DATA"/fanout/{b,c,d,e,state}
  port=$(cs_free_port)
  measure tcp 2 "$DATA/tcp" -- sh -c 'socat -u TCP-LISTEN:$1,bind=127.0.0.1,reuseaddr OPEN:$2,creat,trunc & r=$!
    socat -u OPEN:$3 TCP:127.0.0.1:$1,retry=200,interval=0.01 && wait $r' sh $port "$DATA/tcp/$(basename "$BIG")" "$BIG"
  measure ab 2 "$DATA/ab/b" -- "$HERE/session-run.sh" $CS_RELAY_URL "$DATA/ab/state" "$SRCDIR" "$DATA/ab/b"
  measure fanout 5 "$DATA"/fanout/{b,c,d,e} -- "$HERE/session-run.sh" $CS_RELAY_URL "$DATA/fanout/state" "$SRCDIR" \
    "$DATA"/fanout/{b,c,d,e}
done
rm -rf "$DATA/tcp" "$DATA/ab/b" "$DATA"/fanout/{b,c,d,e}   # the copies; each case's state/run/ (events) stays

# medians of this run, and the ratios the goals are stated in
awk -F'\t' -v now=$NOW '$1 == now && $14 == "verify=ok" {w[$2] = w[$2] " " $6; c[$2]++}
  $1 == now && $14 != "verify=ok" {bad[$2]++}
  function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
      if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END { mib = '$BYTES' / 1048576
    for (k in bad) printf "%-7s FAILED in %d rep(s): not in the medians (see %s/%s/state/run/)\n", k, bad[k], "'"$DATA"'", k
    for (k in w) printf "%-7s median wall %.2f s, %.0f MiB/s (%d reps)\n", k, med(w[k]), mib / med(w[k]), c[k]
    if (("tcp" in w) && ("ab" in w)) printf "relay A -> B throughput: %.0f %% of the plain TCP copy (goal >= 70 %%)\n", 100 * med(w["tcp"]) / med(w["ab"])
    if (("ab" in w) && ("fanout" in w)) printf "fan-out A -> B, C, D, E: %.2fx the wall time of A -> B\n", med(w["fanout"]) / med(w["ab"]) }' "$TSV" \
  | tee -a "$OUT/runs.log"
