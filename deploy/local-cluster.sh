#!/usr/bin/env bash
# A 3-node Sluice cluster on loopback, for trying things out and for fault drills by hand.
#
#   deploy/local-cluster.sh start [N]    start every node (or node N) that is not running
#   deploy/local-cluster.sh stop [N]     SIGTERM (sluiced drains), wait, SIGKILL after $STOP_TIMEOUT s
#   deploy/local-cluster.sh status       which nodes run, then Metadata (kcat -L, else python3)
#   deploy/local-cluster.sh kill N       kill -9 node N (a crash)
#   deploy/local-cluster.sh restart N    stop node N, then start it
#
# Node N (1..3) uses deploy/config/nodeN.properties: clients on 127.0.0.1:(9090+2N), inter-node
# (Raft) on 127.0.0.1:(9091+2N). Data, pid file and log: $CLUSTER_DIR/nodeN, nodeN.pid, nodeN.log
# (CLUSTER_DIR defaults to data/cluster in the repository). The binary is $SLUICED, default
# .build/debug/sluiced (`make cluster` builds it and starts the nodes).
#
# SECURE=1 starts the nodes secured: clients on SASL_SSL (SCRAM, TLS), the nodes on mutual TLS
# with each other, ACLs enforced with User:admin as the super user. It makes a private authority
# and certificates (tools/tls/make-certs.sh, in $CLUSTER_DIR/certs), the admin's password
# ($CLUSTER_DIR/admin.password) and a librdkafka client config ($CLUSTER_DIR/client.properties)
# once, and reuses them after.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SLUICED="${SLUICED:-$ROOT/.build/debug/sluiced}"
CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/data/cluster}"
CONFIG_DIR="$ROOT/deploy/config"
NODES=(1 2 3)
READY_TIMEOUT="${READY_TIMEOUT:-30}"
STOP_TIMEOUT="${STOP_TIMEOUT:-30}"

die() { echo "local-cluster: $*" >&2; exit 1; }
client_port() { echo $((9090 + 2 * $1)); }
raft_port() { echo $((9091 + 2 * $1)); }
pid_file() { echo "$CLUSTER_DIR/node$1.pid"; }
log_file() { echo "$CLUSTER_DIR/node$1.log"; }

check_node() {
  [[ "$1" =~ ^[123]$ ]] || die "node must be 1, 2 or 3, got '$1'"
}

# The shared secret the nodes authenticate each other with: made once, readable by this user only.
ensure_secret() {
  local secret="$CLUSTER_DIR/cluster.secret"
  [[ -s "$secret" ]] && return 0
  mkdir -p "$CLUSTER_DIR"
  # 32 random bytes as hex (what `openssl rand -hex 32` makes), from coreutils alone.
  (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$secret" && echo >> "$secret") || die "cannot make $secret"
  echo "made the cluster secret $secret"
}

# The pid of node N if it is running (and is a sluiced), else nothing.
running_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q sluiced "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  fi
}

# The certificates, the first administrator and a client config for SECURE=1, made once.
ensure_security() {
  local certs="$CLUSTER_DIR/certs" password
  mkdir -p "$CLUSTER_DIR"
  [[ -s "$certs/server.pem" ]] || "$ROOT/tools/tls/make-certs.sh" "$certs" admin > /dev/null || die "cannot make certificates in $certs"
  if [[ ! -s "$CLUSTER_DIR/admin.password" ]]; then
    (umask 077 && od -An -tx1 -N12 /dev/urandom | tr -d ' \n' > "$CLUSTER_DIR/admin.password")
  fi
  password="$(cat "$CLUSTER_DIR/admin.password")"
  (umask 077 && printf 'admin:%s\n' "$password" > "$CLUSTER_DIR/users")
  (umask 077 && printf '%s\n' "security.protocol=sasl_ssl" "ssl.ca.location=$certs/ca.pem" "sasl.mechanisms=SCRAM-SHA-512" \
    "sasl.username=admin" "sasl.password=$password" > "$CLUSTER_DIR/client.properties")
}

# The flags that secure node N (SECURE=1).
security_flags() {
  local n=$1 certs="$CLUSTER_DIR/certs"
  printf '%s\n' "--listeners=SASL_SSL://127.0.0.1:$(client_port "$n"),CONTROLLER://127.0.0.1:$(raft_port "$n")" \
    "--advertised.listeners=SASL_SSL://127.0.0.1:$(client_port "$n")" \
    "--listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL" \
    "--ssl.keystore.location=$certs/server.pem" "--ssl.truststore.location=$certs/ca.pem" \
    "--sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256" "--sasl.bootstrap.users.file=$CLUSTER_DIR/users" \
    "--authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer" "--super.users=User:admin"
}

declare -A LAUNCHED_PID LAUNCH_OFFSET

# Starts node N in the background without waiting (a clustered node may wait for its peers).
launch_node() {
  local n=$1 pid log
  pid="$(running_pid "$n")"
  if [[ -n "$pid" ]]; then echo "node $n: already running (pid $pid)"; return 0; fi
  [[ -x "$SLUICED" ]] || die "no broker binary at $SLUICED (swift build --product sluiced, or set SLUICED)"
  mkdir -p "$CLUSTER_DIR/node$n"
  log="$(log_file "$n")"
  echo "=== $(date -u +%FT%TZ) local-cluster: start node $n" >> "$log"
  LAUNCH_OFFSET[$n]=$(stat -c %s "$log")
  ensure_secret
  local secure=()
  if [[ "${SECURE:-0}" == 1 ]]; then
    ensure_security
    mapfile -t secure < <(security_flags "$n")
  fi
  # Flags win over the file: the data directory and the secret are made absolute so any working
  # directory works.
  nohup "$SLUICED" --config "$CONFIG_DIR/node$n.properties" --log.dirs="$CLUSTER_DIR/node$n" \
    --cluster.secret.file="$CLUSTER_DIR/cluster.secret" "${secure[@]}" \
    >> "$log" 2>&1 < /dev/null &
  LAUNCHED_PID[$n]=$!
  echo "${LAUNCHED_PID[$n]}" > "$(pid_file "$n")"
}

# Waits (bounded) for a node launch_node started to print its ready line.
wait_node() {
  local n=$1 pid log deadline
  pid="${LAUNCHED_PID[$n]:-}"
  [[ -n "$pid" ]] || return 0
  log="$(log_file "$n")"
  deadline=$((SECONDS + READY_TIMEOUT))
  until tail -c +$((LAUNCH_OFFSET[$n] + 1)) "$log" | grep -q "listening on"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$(pid_file "$n")"
      echo "node $n: exited before it was ready; last lines of $log:" >&2
      tail -n 15 "$log" >&2
      return 1
    fi
    if (( SECONDS >= deadline )); then
      echo "node $n: not ready after ${READY_TIMEOUT}s (pid $pid still running); see $log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "node $n: started (pid $pid), clients on 127.0.0.1:$(client_port "$n"), inter-node 127.0.0.1:$(raft_port "$n"), log $log"
}

start_nodes() {
  local n failed=0
  for n in "$@"; do launch_node "$n"; done
  for n in "$@"; do wait_node "$n" || failed=1; done
  return $failed
}

stop_node() {
  local n=$1 pid deadline
  pid="$(running_pid "$n")"
  if [[ -z "$pid" ]]; then echo "node $n: not running"; rm -f "$(pid_file "$n")"; return 0; fi
  kill -TERM "$pid"
  deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      echo "node $n: still running ${STOP_TIMEOUT}s after SIGTERM; kill -9" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  rm -f "$(pid_file "$n")"
  echo "node $n: stopped"
}

kill_node() {
  local n=$1 pid
  pid="$(running_pid "$n")"
  if [[ -z "$pid" ]]; then echo "node $n: not running"; return 0; fi
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$(pid_file "$n")"
  echo "node $n: killed (SIGKILL, pid $pid)"
}

status() {
  local n pid up=() bootstrap
  for n in "${NODES[@]}"; do
    pid="$(running_pid "$n")"
    if [[ -n "$pid" ]]; then
      echo "node $n: up (pid $pid), clients 127.0.0.1:$(client_port "$n")"
      up+=("127.0.0.1:$(client_port "$n")")
    else
      echo "node $n: down"
    fi
  done
  (( ${#up[@]} )) || return 0
  bootstrap="$(IFS=,; echo "${up[*]}")"
  echo
  if [[ -s "$CLUSTER_DIR/client.properties" && "${SECURE:-0}" == 1 ]]; then
    kcat -F "$CLUSTER_DIR/client.properties" -b "$bootstrap" -L -m 5 || true
  elif command -v kcat >/dev/null 2>&1; then
    kcat -b "$bootstrap" -L -m 5 || true
  else
    python3 "$ROOT/tools/faults/cluster.py" metadata "${up[@]}" || true
  fi
}

# The node named (checked) or every node.
pick_nodes() {
  if [[ $# -gt 0 ]]; then check_node "$1"; echo "$1"; else echo "${NODES[@]}"; fi
}

case "${1:-}" in
  start)   shift; start_nodes $(pick_nodes "$@") ;;
  stop)    shift; for n in $(pick_nodes "$@"); do stop_node "$n"; done ;;
  status)  status ;;
  kill)    [[ $# -eq 2 ]] || die "usage: $0 kill N"; check_node "$2"; kill_node "$2" ;;
  restart) [[ $# -eq 2 ]] || die "usage: $0 restart N"; check_node "$2"; stop_node "$2"; start_nodes "$2" ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
