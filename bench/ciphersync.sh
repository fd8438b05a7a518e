# ciphersync adapters for the shared macro benchmark harness (anchors.sh sources this file).
#
#   ADAPTERS=bench/ciphersync.sh RESULTS=bench/results \
#     ../shared/bench/anchors.sh small floor rsync unison restic borg ciphersync cs_inventory cs_vault
#
# Tools defined here:
#   ciphersync    `ciphersync local SRC DST --preset mirror`: first sync into an empty folder, then
#                 the same after `mutate` (compare with rsync -a / rsync -a --delete).
#   cs_vault      the vault on a local folder: init, up-sync, up-sync after mutate, restore, check
#                 (compare with restic and borg).
#   cs_vault_sftp, cs_vault_s3, cs_vault_webdav, cs_vault_rclone, restic_sftp, restic_s3, restic_rclone
#                 the vault and restic on storage servers on 127.0.0.1 (bench/backends.sh, sourced below).
#   rsync_ssh, cs_session  rsync over a private sshd against a session A -> B through a loopback
#                 relay (bench/sessions.sh; use RESULTS=bench/results/sessions).
#   cs_inventory  inventory only (checksum mode: every file chunked and hashed), with a fresh
#                 cache in the `init` phase and the warm cache in the `first` phase
#                 (re-inventory of an unchanged tree; compare with floor/sha256x2).
# The distribution is built and frozen before the run (no phase pays for a build); JVM start-up and JIT
# warm-up count in every phase, as they do for a user. The destination's `.ciphersync/` folder
# (versions area and sync state, never synchronized) is left out of the verification diff.

CS_REPO=${CS_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
# Servers and scratch folders the adapters start or create: stopped and removed when the run ends.
CS_CLEANUP_PIDS=() CS_CLEANUP_DIRS=()
cs_cleanup_add() { if [[ $1 == pid ]]; then CS_CLEANUP_PIDS+=("$2"); else CS_CLEANUP_DIRS+=("$2"); fi; }
cs_cleanup() {
  local p
  for p in "${CS_CLEANUP_PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  for p in "${CS_CLEANUP_DIRS[@]}"; do rm -rf "$p"; done
  if declare -F bk_stop >/dev/null; then bk_stop; fi   # storage servers of bench/backends.sh
}
trap cs_cleanup EXIT
trap 'exit 130' INT TERM
CS_BIN="$CS_REPO/ciphersync"
"$CS_BIN" --version >/dev/null || { echo "ciphersync: build failed" >&2; exit 1; }
# Freeze the distribution for the whole run: later source edits or builds in the work tree must
# not change (or rebuild) what the measured phases run.
export CIPHERSYNC_DIST=$(mktemp -d "${TMPDIR:-/tmp}/ciphersync-bench.XXXXXX")
cp -r "$CS_REPO/cli/target/dist/lib" "$CIPHERSYNC_DIST/"
cs_cleanup_add dir "$CIPHERSYNC_DIST"
"$CS_BIN" --version >/dev/null   # prepares the start-up cache (training run) outside the measured phases

cs_env() { export XDG_CACHE_HOME=$W/cs.cache XDG_CONFIG_HOME=$W/cs.config XDG_DATA_HOME=$W/cs.data; }
cs_verify() { diff -rq --no-dereference -x .ciphersync $SRC "$1" >/dev/null 2>&1 && echo verify=ok || echo verify=DIFF; }

ciphersync_first()  { cs_env; mkdir -p $W/cs.dst; t "$CS_BIN" local $SRC $W/cs.dst --preset mirror --force; }
ciphersync_incr()   { cs_env; t "$CS_BIN" local $SRC $W/cs.dst --preset mirror; }
ciphersync_store()  { echo $W/cs.dst; }
ciphersync_note()   { [[ $1 == first || $1 == incr ]] && cs_verify $W/cs.dst; }

cs_inventory_init()  { cs_env; rm -rf $W/cs.cache; t "$CS_BIN" inventory $SRC --checksum; }
cs_inventory_first() { cs_env; t "$CS_BIN" inventory $SRC --checksum; }
cs_inventory_store() { echo $W/cs.cache; }

# cs_vault: the vault on a local folder, against restic's rows (issue 6). The source is under the
# computer's home ($W), so it is stored home-relative; `restore --at latest` writes TARGET/home/src.
# The master password comes from a 0600 file (never an argument or environment variable); Argon2id
# is calibrated at init on this machine (restic likewise pays its KDF in every command).
cs_vopts() { echo --password-file $W/cs.pw --home $W --state-dir $W/cs.vstate; }
cs_vault_init()    { cs_env; umask 077; echo "$PW" > $W/cs.pw; t "$CS_BIN" vault init $W/cs.vault $(cs_vopts); }
cs_vault_first()   { cs_env; t "$CS_BIN" vault up $SRC $(cs_vopts); }
cs_vault_incr()    { cs_vault_first; }
cs_vault_restore() { cs_env; t "$CS_BIN" vault restore --at latest --target $W/cs.vout $(cs_vopts); }
cs_vault_check()   { cs_env; t "$CS_BIN" vault check $(cs_vopts); }
cs_vault_store()   { echo $W/cs.vault; }
cs_vault_note()    { [[ $1 == restore ]] && verify $W/cs.vout/home/src; }

# Storage backends: servers and the cs_vault_<backend> / restic_<backend> tools.
source "$CS_REPO/bench/backends.sh"
# rsync_ssh and cs_session (sessions through a relay, against rsync over ssh): bench/sessions.sh
source "$CS_REPO/bench/sessions.sh"
