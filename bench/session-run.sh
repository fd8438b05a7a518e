#!/usr/bin/env bash
# session-run.sh RELAY_URL STATE_DIR SRC DST [DST...] -- one non-interactive session, as a script would run it.
#
# Member A (the leader) runs `ciphersync session start --relay RELAY_URL --source SRC --members N
# --preset mirror --sync --json`; as soon as its first JSON event (sessionId, password) appears, one
# member per DST (up to 4) runs `ciphersync session join ID --relay RELAY_URL --source DST
# --password-file F --json`. The password goes through a 0600 file, never an argument. Each member keeps
# its profile in STATE_DIR/profile-<letter> (reused by a later run with the same STATE_DIR). The JSON
# events of the last run, each line prefixed with the second it arrived, and the error output are in
# STATE_DIR/run/. PRESET=update|two-way changes the preset.
#
# Prints each member's exit status, the leader's summary event and where the wall time went:
#   phases=START/JOIN/INVENTORY/SYNC/CLOSE seconds: leader start-up until the session exists; members
#   joining (PAKE, key rotation) until the inventory starts; inventory and comparison; plan and transfer
#   until the leader's summary; closing until every process exited.
# Exits with the leader's status (or, when the leader succeeded, with the first failing member's).
set -uo pipefail
[[ $# -ge 4 ]] || { echo "usage: session-run.sh RELAY_URL STATE_DIR SRC DST [DST...]" >&2; exit 2; }
URL=$1 STATE=$2 SRC=$3; shift 3
(( $# <= 4 )) || { echo "session-run.sh: at most 4 destinations (5 members)" >&2; exit 2; }
CS=${CS_BIN:-$(cd "$(dirname "$0")/.." && pwd)/ciphersync}
RUN=$STATE/run LETTERS=(A B C D E) T0=$EPOCHREALTIME
rm -rf "$RUN" && mkdir -p "$RUN" || exit 1

stamp() { local l; while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }
declare -A who   # pipeline pid -> letter
# member LETTER CMD...: runs CMD; its events go time-stamped to RUN/LETTER.jsonl, its pid and exit
# status to RUN/LETTER.pid and RUN/LETTER.rc
member() {
  local l=$1; shift
  { "$@" 2>"$RUN/$l.err" & echo $! >"$RUN/$l.pid"; wait $!; echo $? >"$RUN/$l.rc"; } | stamp >"$RUN/$l.jsonl" &
  who[$!]=$l
}
rc_of() { cat "$RUN/$1.rc" 2>/dev/null || echo 1; }

member A "$CS" session start --relay "$URL" --source "$SRC" --members $(( $# + 1 )) --preset "${PRESET:-mirror}" \
  --sync --json --profile "$STATE/profile-A" --machine A
leader=$!
first=
until first=$(grep -m1 '"sessionId"' "$RUN/A.jsonl" 2>/dev/null); do
  if ! kill -0 $leader 2>/dev/null; then
    wait $leader; echo "session-run.sh: the leader exited ($(rc_of A)) before creating the session" >&2
    cat "$RUN/A.err" >&2; exit 1
  fi
  sleep 0.02
done
id=$(sed -E 's/.*"sessionId":"([^"]+)".*/\1/' <<<"$first")
(umask 077; sed -E 's/.*"password":"([^"]+)".*/\1/' <<<"$first" >"$RUN/password")

i=1
for dst in "$@"; do
  member ${LETTERS[$i]} "$CS" session join "$id" --relay "$URL" --source "$dst" --password-file "$RUN/password" --json \
    --profile "$STATE/profile-${LETTERS[$i]}" --machine ${LETTERS[$i]}
  i=$(( i + 1 ))
done

# Collect every exit. A member that fails makes the leader stop waiting for it; members still
# running 30 s after the leader ended are stopped.
deadline=
while (( ${#who[@]} > 0 )); do
  if [[ -z $deadline ]]; then
    wait -n -p done "${!who[@]}"
    [[ -n ${done:-} ]] || break
  else
    done=
    for p in "${!who[@]}"; do kill -0 $p 2>/dev/null || { done=$p; break; }; done
    if [[ -z $done ]]; then
      (( SECONDS < deadline )) && { sleep 0.05; continue; }
      for p in "${!who[@]}"; do
        echo "session-run.sh: member ${who[$p]} still running 30 s after the leader ended; stopping it" >&2
        kill "$(cat "$RUN/${who[$p]}.pid")" 2>/dev/null; wait $p; unset "who[$p]"
      done
      continue
    fi
    wait $done
  fi
  l=${who[$done]}; unset "who[$done]"
  if [[ $l == A ]]; then
    deadline=$(( SECONDS + 30 ))
  elif [[ $(rc_of $l) != 0 && -n ${who[$leader]:-} ]]; then
    echo "session-run.sh: member $l exited with $(rc_of $l); stopping the leader" >&2
    kill "$(cat "$RUN/A.pid")" 2>/dev/null
  fi
done
T1=$EPOCHREALTIME
rm -f "$RUN/password"

status=$(rc_of A)
for l in "${LETTERS[@]:1:$#}"; do
  echo "member $l: exit $(rc_of $l)"
  [[ $status == 0 && $(rc_of $l) != 0 ]] && status=$(rc_of $l)
done
echo "leader A: exit $(rc_of A)"
grep -h '"event":"synchronized","succeeded"\|"event":"failed"' "$RUN/A.jsonl" | cut -d' ' -f2-
awk -v t0=$T0 -v t1=$T1 '
  /"event":"session"/ && !s {s = $1}  /"status":"inventory"/ && !i {i = $1}  /"event":"comparison"/ && !c {c = $1}
  /"event":"synchronized","succeeded"/ {y = $1}
  END { if (!s) s = t1; if (!i) i = s; if (!c) c = i; if (!y) y = c
        printf "phases=%.1f/%.1f/%.1f/%.1f/%.1f\n", s - t0, i - s, c - i, y - c, t1 - y }' "$RUN/A.jsonl"
(( status == 0 )) || tail -n 5 "$RUN"/*.err >&2
exit $status
