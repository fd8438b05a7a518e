#!/usr/bin/env bash
# million-files.sh [N]: peak memory and wall time of ciphersync on a tree of N small files
# (default 1,000,000 in 1,000 folders): inventory (smart mode: metadata, no content read), vault up-sync (first and unchanged),
# preview, and with RESTORE=1 a full restore. Figures go to bench/results/million/results.tsv (one row per command).
#   env: BENCH_DATA (scratch parent, default /tmp/bench-data)
set -euo pipefail
N=${1:-1000000}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$REPO/bench/results/million; mkdir -p "$OUT"
W=${BENCH_DATA:-/tmp/bench-data}/million; rm -rf "$W"; mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
"$REPO/ciphersync" --version >/dev/null
export CIPHERSYNC_DIST=$W/dist; mkdir -p "$CIPHERSYNC_DIST"; cp -r "$REPO/cli/target/dist/lib" "$CIPHERSYNC_DIST/"
"$REPO/ciphersync" --version >/dev/null   # start-up cache, outside the measured commands
export XDG_CACHE_HOME=$W/cache XDG_CONFIG_HOME=$W/config XDG_DATA_HOME=$W/data

python3 - "$W/src" "$N" <<'PY'
import os, sys, random
root, n = sys.argv[1], int(sys.argv[2]); rnd = random.Random(1); per = 1000
for d in range((n + per - 1) // per):
    folder = os.path.join(root, "d%04d" % d); os.makedirs(folder)
    for f in range(min(per, n - d * per)):
        with open(os.path.join(folder, "f%04d.txt" % f), "w") as fh:
            fh.write("file %d/%d %x\n" % (d, f, rnd.getrandbits(64)) * rnd.randint(1, 4))
PY
umask 077; echo "million-files benchmark password" >"$W/pw"
V="--password-file $W/pw --home $W --state-dir $W/vstate"
[[ -f $OUT/results.tsv ]] || printf 'date\tfiles\tcommand\twall_s\tcpu_s\tmax_rss_mib\n' >"$OUT/results.tsv"
m() { # m LABEL CMD...: run one command, append wall, CPU and peak RSS
  local label=$1; shift; sync; local s=$(date +%s%N)
  /usr/bin/time -f '%U %S %M' -o "$W/time" "$@" >"$W/out" 2>&1 || { echo "$label failed:"; cat "$W/out"; exit 1; }
  local wall=$(( ($(date +%s%N) - s) / 1000000 ))
  read -r u s2 rss <"$W/time"
  printf '%s\t%d\t%s\t%.2f\t%.2f\t%d\n' "$(date -u +%F)" "$N" "$label" "$(echo "$wall/1000" | bc -l)" \
    "$(echo "$u+$s2" | bc -l)" $((rss / 1024)) | tee -a "$OUT/results.tsv"
}
m "inventory (smart mode, first run)" "$REPO/ciphersync" inventory "$W/src"
m "inventory (smart mode, second run)" "$REPO/ciphersync" inventory "$W/src"
m "vault init" "$REPO/ciphersync" vault init "$W/vault" $V
m "vault up (first)" "$REPO/ciphersync" vault up "$W/src" $V
m "vault up (unchanged)" "$REPO/ciphersync" vault up "$W/src" $V
m "vault preview" "$REPO/ciphersync" vault preview $V
if [[ ${RESTORE:-0} == 1 ]]; then   # a million small files written and forced one by one takes long
  m "vault restore" "$REPO/ciphersync" vault restore --at latest --target "$W/restored" $V
  diff -rq "$W/src" "$W/restored/home/src" >/dev/null && echo "restore verify=ok" || echo "restore verify=DIFF"
fi
