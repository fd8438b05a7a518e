# Vault storage backends on loopback, against restic on the same backend type (sourced by ciphersync.sh).
#
#   ADAPTERS=bench/ciphersync.sh RESULTS=bench/results/backends ../shared/bench/anchors.sh mixed \
#     restic_sftp cs_vault_sftp restic_s3 cs_vault_s3 restic_rclone cs_vault_rclone cs_vault_webdav
#
# Servers: only those the tool list needs are started, once, on free 127.0.0.1 ports, before the
# first rep; the adapter's exit handler (cs_cleanup, bench/ciphersync.sh) stops them and removes their folder ($BK, under the harness's data folder).
#   sftp    OpenSSH sshd with its own config, host key, client key and known_hosts; the sftp subsystem
#           is OpenSSH's sftp-server logging every request (-l DEBUG3) into one file per session.
#   s3      s3proxy (filesystem backend, fixed test credentials given to both tools as
#           AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), its request handler logging every request.
#   webdav  `rclone serve webdav` of a local folder, logging every request (-v).
#   rclone  an rclone config with a remote `bench` of type local. Both tools start rclone themselves
#           (restic: `rclone serve restic --stdio`, ciphersync: `rclone serve webdav` on a private
#           port); they run it through a wrapper ($BK/rclone) that copies rclone's log to a file and
#           raises the log level so that every request to the rclone server is logged.
#
# Tools (phases init, first, incr, restore, check):
#   restic_sftp restic_s3 restic_rclone              restic -r sftp:… / s3:http://… / rclone:bench:…
#   cs_vault_sftp cs_vault_s3 cs_vault_webdav cs_vault_rclone   ciphersync vault on the same servers
# Every phase's note gives `requests=N` (the requests the tool made to the backend during the phase,
# with a breakdown by operation) and, for the servers started here, `server_cpu_s` (their CPU time in
# the phase: it is part of other_cpu_s, not of cpu_s). bench/README.md says exactly what is counted.

BK_TOOLS=" ${TOOLS:-} "
BK_JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
BK_USER=$(id -un)
BK_S3_ID=bench-identity BK_S3_SECRET=bench-secret-not-a-secret
S3PROXY_JAR=${S3PROXY_JAR:-$HOME/.m2/repository/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar}
[[ -f $S3PROXY_JAR ]] || S3PROXY_JAR=$CS_REPO/it/target/s3proxy/s3proxy.jar

bk_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
bk_wait() { # bk_wait PORT PID NAME: until something listens on PORT (fails if PID died or after 60 s)
  local i; for i in $(seq 600); do
    (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0
    kill -0 $2 2>/dev/null || break; sleep 0.1
  done
  echo "backends: $3 did not start; its log: $BK/$3.log" >&2; tail -5 $BK/$3.log >&2; exit 1
}
bk_stop() { # at exit (called by cs_cleanup): stop the servers started here (by process id) and remove their folder
  local p; for p in ${BK_PIDS:-}; do kill $p 2>/dev/null; done
  for p in ${BK_PIDS:-}; do for _ in $(seq 50); do kill -0 $p 2>/dev/null || break; sleep 0.1; done; kill -9 $p 2>/dev/null; done
  [[ -n ${BK:-} ]] && rm -rf "$BK"
}

bk_start_sshd() {
  local sftp_server; sftp_server=$(ls /usr/lib/openssh/sftp-server /usr/libexec/openssh/sftp-server /usr/libexec/sftp-server 2>/dev/null | head -1)
  [[ -x /usr/sbin/sshd && -n $sftp_server ]] || { echo "backends: sshd or sftp-server missing (Debian: openssh-server)" >&2; exit 1; }
  mkdir -p $BK/ssh/log
  ssh-keygen -q -t ed25519 -N '' -C bench-host -f $BK/ssh/host_key
  ssh-keygen -q -t ed25519 -N '' -C bench-user -f $BK/ssh/user_key
  cp $BK/ssh/user_key.pub $BK/ssh/authorized_keys
  BK_SSH_PORT=$(bk_port)
  echo "[127.0.0.1]:$BK_SSH_PORT $(cut -d' ' -f1,2 $BK/ssh/host_key.pub)" >$BK/ssh/known_hosts
  echo $BK/ssh/log >$BK/ssh/logdir
  # one log file per session, in the folder named by logdir (bk_mark points it at a fresh folder per phase)
  printf '#!/bin/sh\nexec %s -e -l DEBUG3 2>>"$(cat %s)/sftp.$$.log"\n' "$sftp_server" $BK/ssh/logdir >$BK/ssh/sftp-logged
  chmod +x $BK/ssh/sftp-logged
  cat >$BK/ssh/sshd_config <<EOF
Port $BK_SSH_PORT
ListenAddress 127.0.0.1
HostKey $BK/ssh/host_key
PidFile $BK/ssh/sshd.pid
AuthorizedKeysFile $BK/ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin yes
MaxSessions 30
MaxStartups 30:30:60
LogLevel ERROR
Subsystem sftp $BK/ssh/sftp-logged
EOF
  [[ $(id -u) == 0 ]] && mkdir -p /run/sshd       # privilege-separation folder sshd checks as root
  /usr/sbin/sshd -D -e -f $BK/ssh/sshd_config >$BK/sshd.log 2>&1 &
  BK_SSHD=$!; BK_PIDS+=" $BK_SSHD"; bk_wait $BK_SSH_PORT $BK_SSHD sshd
  # ssh for restic: the private key, port and known_hosts only (no user config, no agent)
  BK_SSH_CMD="ssh -F /dev/null -p $BK_SSH_PORT -i $BK/ssh/user_key -o IdentitiesOnly=yes -o IdentityAgent=none \
-o UserKnownHostsFile=$BK/ssh/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes $BK_USER@127.0.0.1 -s sftp"
}

bk_start_s3proxy() {
  [[ -f $S3PROXY_JAR ]] || { echo "backends: s3proxy jar missing ($S3PROXY_JAR; mvn -pl it process-test-resources copies it)" >&2; exit 1; }
  mkdir -p $BK/s3/data
  BK_S3_PORT=$(bk_port)
  cat >$BK/s3/s3proxy.conf <<EOF
s3proxy.endpoint=http://127.0.0.1:$BK_S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$BK_S3_ID
s3proxy.credential=$BK_S3_SECRET
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$BK/s3/data
EOF
  # only the request handler logs at DEBUG: one "request:" line per HTTP request
  cat >$BK/s3/logback.xml <<'EOF'
<configuration>
  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} %m%n</pattern></encoder>
  </appender>
  <logger name="org.gaul.s3proxy.S3ProxyHandler" level="DEBUG"/>
  <root level="WARN"><appender-ref ref="OUT"/></root>
</configuration>
EOF
  $BK_JAVA -Xmx512m -Dlogback.configurationFile=$BK/s3/logback.xml -jar $S3PROXY_JAR --properties $BK/s3/s3proxy.conf >$BK/s3proxy.log 2>&1 &
  BK_S3PROXY=$!; BK_PIDS+=" $BK_S3PROXY"; bk_wait $BK_S3_PORT $BK_S3PROXY s3proxy
  export AWS_ACCESS_KEY_ID=$BK_S3_ID AWS_SECRET_ACCESS_KEY=$BK_S3_SECRET AWS_REGION=us-east-1
}

bk_start_webdav() {
  mkdir -p $BK/dav
  BK_DAV_PORT=$(bk_port)
  rclone serve webdav --config /dev/null --addr 127.0.0.1:$BK_DAV_PORT -v $BK/dav >$BK/webdav.log 2>&1 &
  BK_WEBDAV=$!; BK_PIDS+=" $BK_WEBDAV"; bk_wait $BK_DAV_PORT $BK_WEBDAV webdav
}

bk_start_rclone() {
  mkdir -p $BK/rclone.log.d
  printf '[bench]\ntype = local\n' >$BK/rclone.conf
  # rclone as both tools run it, with its log copied to $BK_RCLONE_LOG (set per phase by bk_mark);
  # ciphersync asks for --log-level NOTICE, raised to INFO so that serve webdav logs each request
  cat >$BK/rclone <<'EOF'
#!/bin/bash
args=(); for a in "$@"; do [[ $a == NOTICE ]] && a=INFO; args+=("$a"); done
exec 2> >(exec tee -a "${BK_RCLONE_LOG:-/dev/null}" >&2)
exec rclone "${args[@]}"
EOF
  chmod +x $BK/rclone
}

bk_wants() { [[ $BK_TOOLS == *_$1\ * ]]; }   # a tool of the run uses backend $1
if bk_wants sftp || bk_wants s3 || bk_wants webdav || bk_wants rclone; then
  mkdir -p "$DATA"; BK=$(mktemp -d "$DATA/backends.XXXXXX") BK_PIDS= BK_SEQ=0
  bk_wants sftp && bk_start_sshd
  bk_wants s3 && bk_start_s3proxy
  bk_wants webdav && bk_start_webdav
  bk_wants rclone && bk_start_rclone
  mkdir -p "$OUT"   # the harness's results folder: the servers' versions go before the run's header
  echo "# backends on 127.0.0.1: $(/usr/sbin/sshd -V 2>&1 | head -1 | cut -d, -f1) sshd + sftp-server; $(basename $S3PROXY_JAR .jar) \
(filesystem-nio2) on $($BK_JAVA -version 2>&1 | head -1); $(rclone version | head -1) (serve webdav; local remote)" | tee -a "$OUT/runs.log" >&2
fi

# ---- request counting -------------------------------------------------------------------------
bk_cpu() { # CPU seconds of a server process and its reaped children (sshd: the finished sessions)
  awk -v hz=$(getconf CLK_TCK) '{sub(/.*\) /, ""); print ($12+$13+$14+$15)/hz}' /proc/$1/stat 2>/dev/null || echo 0
}
bk_server() { case $1 in sftp) echo ${BK_SSHD:-};; s3) echo ${BK_S3PROXY:-};; webdav) echo ${BK_WEBDAV:-};; esac; }
bk_mark() { # bk_mark KIND: before a measured phase, start a fresh request log (or note the offset)
  BK_SEQ=$((BK_SEQ + 1)) BK_OFF=0 BK_CPU0=0
  case $1 in
    sftp)   mkdir -p $BK/ssh/log/$BK_SEQ; echo $BK/ssh/log/$BK_SEQ >$BK/ssh/logdir;;
    s3)     BK_OFF=$(stat -c %s $BK/s3proxy.log);;
    webdav) BK_OFF=$(stat -c %s $BK/webdav.log);;
    rclone) export BK_RCLONE_LOG=$BK/rclone.log.d/$BK_SEQ.log; : >$BK_RCLONE_LOG;;
  esac
  local p=$(bk_server $1); [[ -n $p ]] && BK_CPU0=$(bk_cpu $p)
}
bk_slice() { # bk_slice KIND: the server's request log since bk_mark
  case $1 in
    sftp)   local f; for f in $BK/ssh/log/$BK_SEQ/*.log; do [[ -f $f ]] && { echo "== session ${f##*/}"; cat $f; }; done;;
    s3)     tail -c +$((BK_OFF + 1)) $BK/s3proxy.log;;
    webdav) tail -c +$((BK_OFF + 1)) $BK/webdav.log;;
    rclone) cat $BK_RCLONE_LOG;;
  esac
}
bk_requests() { # bk_requests KIND <SLICE: one operation name per request
  case $1 in
    sftp)   # sftp-server logs 1-3 lines per request, each "request ID: …"; the first names the operation
            awk '/^== session/ { delete seen } match($0, /request [0-9]+: [a-z_-]+/) {
                   split(substr($0, RSTART, RLENGTH), a, /[: ]+/); if (!(a[2] in seen)) { seen[a[2]] = 1; print a[3] } }';;
    s3)     sed -nE 's/.* request: .*\{([A-Z]+)@.*/\1/p';;
    webdav) sed -nE 's/.*: ([A-Z]+) from 127\.0\.0\.1:[0-9]+$/\1/p';;
    rclone) # restic: "rclone serve restic" logs "METHOD /path" (-vv); ciphersync: serve webdav "METHOD from ADDR" (-v)
            sed -nE -e 's/.*DEBUG : [^:]*: ([A-Z]+) \/.*/\1/p' -e 's/.*INFO  : .*: ([A-Z]+) from 127\.0\.0\.1:[0-9]+$/\1/p';;
  esac
}
bk_count() { # bk_count KIND: after the measured phase, the note fragment for it; the server's log of
             # the phase is kept beside the command's log (LOG, set by the harness) as *.requests
  sleep 0.3   # servers log a request as they answer it; sessions end just after the client
  bk_slice $1 >${LOG%.log}.requests
  BK_NOTE=$(bk_requests $1 <${LOG%.log}.requests | sort | uniq -c | sort -k1,1nr -k2 | awk '{n += $1; s = s sep tolower($2) " " $1; sep = ", "}
    END {printf "requests=%d (%s)", n, s}')
  local p=$(bk_server $1)
  [[ -n $p ]] && BK_NOTE+=$(awk -v a=$BK_CPU0 -v b=$(bk_cpu $p) 'BEGIN{printf " server_cpu_s=%.2f", b - a}')
}
bk_run() { local kind=$1; shift; bk_mark $kind; t "$@"; bk_count $kind; }   # one measured command, counted
bk_note() { local v=; [[ $1 == restore ]] && v="$(${3:-verify} $2) "; echo "$v${BK_NOTE:-}"; }

# ---- restic on each backend type ----------------------------------------------------------------
bk_restic() { # bk_restic KIND ARGS...: restic on the KIND backend's repository $W/restic_KIND
  local kind=$1; shift
  case $kind in
    sftp)   bk_run sftp restic -r sftp:$BK_USER@127.0.0.1:$W/restic_sftp -o sftp.command="$BK_SSH_CMD" "$@";;
    s3)     bk_run s3 restic -r s3:http://127.0.0.1:$BK_S3_PORT/restic-s3/repo "$@";;
    rclone) bk_run rclone restic -r rclone:bench:$W/restic_rclone -o rclone.program=$BK/rclone \
              -o rclone.args="serve restic --stdio --b2-hard-delete --config $BK/rclone.conf -vv" "$@";;
  esac
}
bk_restic_store() { case $1 in s3) echo $BK/s3/data/restic-s3;; *) echo $W/restic_$1;; esac; }
for k in sftp s3 rclone; do eval "
restic_${k}_init()    { rm -rf \$(bk_restic_store $k); bk_restic $k init; }
restic_${k}_first()   { bk_restic $k backup -q --host bench \$SRC; }
restic_${k}_incr()    { restic_${k}_first; }
restic_${k}_restore() { bk_restic $k restore latest --target \$W/restic_$k.out; }
restic_${k}_check()   { bk_restic $k check; }
restic_${k}_store()   { bk_restic_store $k; }
restic_${k}_note()    { bk_note \$1 \$W/restic_$k.out\$SRC; }"
done

# ---- the vault on each backend ------------------------------------------------------------------
# As cs_vault (ciphersync.sh), with each backend's own state, caches and restore target.
cs_bk_location() {
  case $1 in
    sftp)   echo sftp://$BK_USER@127.0.0.1:$BK_SSH_PORT/$W/cs_vault_sftp;;      # //absolute path
    s3)     echo s3://cs-vault-s3/vault;;
    webdav) echo webdav://127.0.0.1:$BK_DAV_PORT/cs_vault_webdav;;
    rclone) echo rclone:bench:$W/cs_vault_rclone;;
  esac
}
cs_bk_opts() {
  echo --password-file $W/cs.pw --home $W --state-dir $W/cs_vault_$1.state
  case $1 in
    sftp)   echo -o sftp.identity=$BK/ssh/user_key -o sftp.known-hosts=$BK/ssh/known_hosts -o sftp.no-agent=true;;
    s3)     echo -o s3.endpoint=http://127.0.0.1:$BK_S3_PORT -o s3.region=us-east-1 -o s3.path-style=true;;
    rclone) echo -o rclone.program=$BK/rclone -o rclone.config=$BK/rclone.conf;;
  esac
}
cs_bk_env() { cs_env; export XDG_CACHE_HOME=$W/cs_vault_$1.cache XDG_CONFIG_HOME=$W/cs_vault_$1.config XDG_DATA_HOME=$W/cs_vault_$1.data; }
cs_bk_store() { case $1 in s3) echo $BK/s3/data/cs-vault-s3;; webdav) echo $BK/dav/cs_vault_webdav;; *) echo $W/cs_vault_$1;; esac; }
for k in sftp s3 webdav rclone; do eval "
cs_vault_${k}_init()    { cs_bk_env $k; rm -rf \$(cs_bk_store $k); (umask 077; echo \"\$PW\" >\$W/cs.pw)
                          bk_run $k \"\$CS_BIN\" vault init \$(cs_bk_location $k) \$(cs_bk_opts $k); }
cs_vault_${k}_first()   { cs_bk_env $k; bk_run $k \"\$CS_BIN\" vault up \$SRC \$(cs_bk_opts $k); }
cs_vault_${k}_incr()    { cs_vault_${k}_first; }
cs_vault_${k}_restore() { cs_bk_env $k; bk_run $k \"\$CS_BIN\" vault restore --at latest --target \$W/cs_vault_$k.out \$(cs_bk_opts $k); }
cs_vault_${k}_check()   { cs_bk_env $k; bk_run $k \"\$CS_BIN\" vault check \$(cs_bk_opts $k); }
cs_vault_${k}_store()   { cs_bk_store $k; }
cs_vault_${k}_note()    { bk_note \$1 \$W/cs_vault_$k.out/home/src verify; }"
done
