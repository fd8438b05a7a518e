# Session adapters (sourced by bench/ciphersync.sh; needs its CS_BIN, CS_REPO, cs_env, cs_verify, cs_cleanup_add).
#
#   rsync_ssh   rsync through a real OpenSSH server on 127.0.0.1 (a private sshd on a free port, own
#               host key, client key, authorized_keys and known_hosts; OpenSSH's default cipher):
#               first `rsync -a -e "ssh …" SRC/ localhost:DST/`, incr the same with
#               `--delete --no-whole-file --stats` (delta transfer; the note gives literal and matched bytes).
#   cs_session  a session A -> B through a real `ciphersync relay` on a free loopback port: leader
#               `session start --members 2 --preset mirror --sync --json` and member `session join`
#               in one measured command (bench/session-run.sh); first into an empty folder, incr
#               after mutate. The note gives the bytes the members sent through the relay.
# The server side (sshd with the receiving rsync, or the relay) runs outside the measured command: its
# CPU is not in cpu_s but in other_cpu_s; the note's server_cpu gives it, so other_cpu_s - server_cpu
# is the noise of the shared machine. Both servers start once, on first use, and stop when the run ends.

# ---- shared helpers -------------------------------------------------------------------------
cs_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# CPU seconds of process PID: own (utime+stime) or, with "children", of its reaped children (cutime+cstime)
cs_proc_cpu() {
  awk -v hz=$(getconf CLK_TCK) -v which=${2:-self} '{sub(/^.*\) /, ""); \
    printf "%.2f\n", (which == "children" ? $14 + $15 : $12 + $13) / hz}' /proc/$1/stat 2>/dev/null || echo 0
}

# The relay: `ciphersync relay` on 127.0.0.1, a free port, parts under a private folder.
cs_relay_up() {
  [[ -n ${CS_RELAY_PID:-} ]] && kill -0 $CS_RELAY_PID 2>/dev/null && return 0
  CS_RELAY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ciphersync-relay.XXXXXX"); cs_cleanup_add dir $CS_RELAY_DIR
  "$CS_BIN" relay --bind 127.0.0.1 --port 0 --data $CS_RELAY_DIR/parts >$CS_RELAY_DIR/relay.log 2>&1 &
  CS_RELAY_PID=$!; cs_cleanup_add pid $CS_RELAY_PID
  local port= i
  for i in $(seq 300); do
    port=$(sed -nE 's/^ciphersync relay listening on [^ ]*:([0-9]+) .*/\1/p' $CS_RELAY_DIR/relay.log)
    [[ -n $port ]] && break
    kill -0 $CS_RELAY_PID 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $port ]] || { echo "ciphersync relay did not start:" >&2; cat $CS_RELAY_DIR/relay.log >&2; return 1; }
  CS_RELAY_URL=ws://127.0.0.1:$port/ws CS_RELAY_METRICS=http://127.0.0.1:$port/metrics
}
# "part_bytes_uploaded part_bytes_downloaded frame_bytes_received relay_cpu_s relay_pid" right now ("NA" if unreadable)
cs_relay_counters() {
  local m; m=$(curl -fsS $CS_RELAY_METRICS 2>/dev/null) || { echo NA; return; }
  awk -v cpu=$(cs_proc_cpu $CS_RELAY_PID) -v pid=$CS_RELAY_PID '$1 == "relay_part_bytes_uploaded_total"{u=$2}
    $1 == "relay_part_bytes_downloaded_total"{d=$2} $1 == "relay_bytes_received_total"{f=$2}
    END{printf "%.0f %.0f %.0f %s %s\n", u, d, f, cpu, pid}' <<<"$m"
}
# the difference of two cs_relay_counters lines as a note: relay_parts= relay_down= relay_frames= server_cpu=
cs_relay_delta() {
  awk -v a="$1" -v b="$2" 'BEGIN{n = split(a, x, " "); m = split(b, y, " ")
    if (n < 5 || m < 5 || x[5] != y[5]) { printf "relay_counters=lost (the relay stopped during the phase)"; exit }
    printf "relay_parts=%.0f relay_down=%.0f relay_frames=%.0f server_cpu=%.2f", y[1]-x[1], y[2]-x[2], y[3]-x[3], y[4]-x[4]}'
}

# ---- rsync_ssh: rsync over a private OpenSSH server ----------------------------------------
cs_sshd_up() {
  [[ -n ${CS_SSHD_PID:-} ]] && kill -0 $CS_SSHD_PID 2>/dev/null && return 0
  local d port i
  d=$(mktemp -d "${TMPDIR:-/tmp}/bench-sshd.XXXXXX"); cs_cleanup_add dir $d
  ssh-keygen -q -t ed25519 -N '' -C bench-host -f $d/host_key && ssh-keygen -q -t ed25519 -N '' -C bench-client -f $d/client_key || return 1
  cp $d/client_key.pub $d/authorized_keys && chmod 600 $d/authorized_keys
  port=$(cs_free_port)
  cat >$d/sshd_config <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
AllowUsers $(id -un)
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
LogLevel ERROR
EOF
  echo "[localhost]:$port $(cut -d' ' -f1,2 $d/host_key.pub)" >$d/known_hosts
  # sshd started as root needs its privilege-separation folder (an empty root-owned folder that the
  # system's ssh service creates at boot; missing where no ssh service runs)
  [[ $EUID -eq 0 && ! -d /run/sshd ]] && mkdir -p -m 0755 /run/sshd
  /usr/sbin/sshd -D -e -f $d/sshd_config 2>$d/sshd.log &
  CS_SSHD_PID=$!; cs_cleanup_add pid $CS_SSHD_PID
  CS_SSH="ssh -F /dev/null -p $port -i $d/client_key -o IdentitiesOnly=yes -o BatchMode=yes -o AddressFamily=inet \
-o UserKnownHostsFile=$d/known_hosts -o StrictHostKeyChecking=yes"
  for i in $(seq 100); do $CS_SSH localhost true 2>/dev/null && break; sleep 0.1; done
  $CS_SSH -v localhost true 2>$d/ssh-v.log || { echo "sshd on port $port refused the test login:" >&2; cat $d/sshd.log $d/ssh-v.log >&2; return 1; }
  CS_SSH_CIPHER=$(sed -nE 's/.*kex: client->server cipher: ([^ ]+) MAC: ([^ ]+).*/\1 (MAC \2)/p' $d/ssh-v.log | head -1)
  CS_SSH_KEX=$(sed -nE 's/.*kex: algorithm: ([^ ]+).*/\1/p' $d/ssh-v.log | head -1)
  echo "# rsync_ssh: $(ssh -V 2>&1); cipher $CS_SSH_CIPHER; kex $CS_SSH_KEX" | tee -a $OUT/runs.log >&2
}
cs_rsync_stats() { awk -F': ' '/^(Literal|Matched) data|^Total bytes sent/{gsub(/,/, "", $2); sub(/ .*/, "", $2);
  n = tolower($1); sub(/ data$/, "", n); sub(/^total bytes /, "", n); printf " %s=%s", n, $2}' $LOG; }

rsync_ssh_mark()  { CS_SSHD_CPU0=$(cs_proc_cpu $CS_SSHD_PID children); }
rsync_ssh_first() { cs_sshd_up || return; rsync_ssh_mark; t rsync -a -e "$CS_SSH" $SRC/ localhost:$W/rsync_ssh/; }
rsync_ssh_incr()  { cs_sshd_up || return; rsync_ssh_mark
                    t rsync -a --delete --no-whole-file --stats -e "$CS_SSH" $SRC/ localhost:$W/rsync_ssh/; }
rsync_ssh_store() { echo $W/rsync_ssh; }
rsync_ssh_note()  {
  [[ $1 == first || $1 == incr ]] || return 0
  echo "$(verify $W/rsync_ssh)$([[ $1 == incr ]] && cs_rsync_stats)$(awk -v a=$CS_SSHD_CPU0 -v b=$(cs_proc_cpu $CS_SSHD_PID children) \
    'BEGIN{printf " server_cpu=%.2f", b-a}')"
}

# ---- cs_session: a session A -> B through a loopback relay ---------------------------------
cs_session_run() {
  cs_env; cs_relay_up || return; mkdir -p $W/cs_session.dst
  CS_RELAY0=$(cs_relay_counters)
  t "$CS_REPO/bench/session-run.sh" $CS_RELAY_URL $W/cs_session.state $SRC $W/cs_session.dst
}
cs_session_first() { cs_session_run; }
cs_session_incr()  { cs_session_run; }
cs_session_store() { echo $W/cs_session.dst; }
cs_session_note()  {
  [[ $1 == first || $1 == incr ]] || return 0
  echo "$(cs_verify $W/cs_session.dst) $(cs_relay_delta "$CS_RELAY0" "$(cs_relay_counters)") $(grep -o 'phases=[0-9./]*' $LOG)"
}
