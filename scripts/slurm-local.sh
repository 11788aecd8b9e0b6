#!/usr/bin/env bash
# A private single-node Slurm on localhost, for the sweep tests (docs/sweeps.md):
#   scripts/slurm-local.sh start DIR   writes DIR/slurm.conf, starts munged, slurmctld and slurmd
#                                      with their state in DIR, records their PIDs in DIR/pids,
#                                      and waits until the node is idle; prints `export SLURM_CONF=…`
#   scripts/slurm-local.sh stop DIR    stops exactly the recorded PIDs (never by name), then
#                                      removes DIR's state (and /run/munge if start made it)
# Needs root (munged runs as the munge user, slurmd as root), slurm-wlm and munge (scripts/setup.sh).
# /etc/slurm is never read or written: everything goes through SLURM_CONF=DIR/slurm.conf. An
# already running munged (its socket answers) is used as it is and not stopped.
set -euo pipefail

action="${1:-}"; dir="${2:-}"
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 64; }

stop() {
  local pids="$dir/pids"
  [ -f "$pids" ] || return 0
  # Reverse order of starting: slurmd, slurmctld, then munged (if we started it).
  tac "$pids" | while read -r name pid; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$pids"
}

case "$action" in
  stop)
    stop
    # The socket folder, if this script made it (munged, now stopped, leaves its socket there).
    if [ -f "$dir/created" ]; then rm -rf "$(cat "$dir/created")"; rm -f "$dir/created"; fi
    rm -rf "$dir/state" "$dir/spool" "$dir"/*.log "$dir"/*.pid
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 64 ;;
esac

for program in /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd sbatch scontrol sinfo; do
  command -v "$program" >/dev/null || { echo "slurm-local: $program is missing (bash scripts/setup.sh installs slurm-wlm and munge)" >&2; exit 69; }
done
[ "$(id -u)" -eq 0 ] || { echo "slurm-local: must run as root (slurmd and munged need it)" >&2; exit 77; }

mkdir -p "$dir/state" "$dir/spool"
dir="$(cd "$dir" && pwd)"
host="$(hostname -s)"
conf="$dir/slurm.conf"
cat > "$conf" <<CONF
ClusterName=psychrnn-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldPort=${SLURM_LOCAL_CTLD_PORT:-16817}
SlurmdPort=${SLURM_LOCAL_D_PORT:-16818}
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MaxArraySize=${SLURM_LOCAL_MAX_ARRAY_SIZE:-100001}
SchedulerParameters=batch_sched_delay=0
SchedulerTimeSlice=5
KillWait=5
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=2000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"
: > "$dir/pids"

# munge: reuse one that answers, else start our own (it needs its key and socket folder).
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || { /usr/sbin/mungekey --create 2>/dev/null || /usr/sbin/create-munge-key -f; chown munge:munge /etc/munge/munge.key; }
  [ -d /run/munge ] || { install -d -o munge -g munge -m 0755 /run/munge; echo /run/munge > "$dir/created"; }
  runuser -u munge -- /usr/sbin/munged -F > "$dir/munged.log" 2>&1 &
  echo "munged $!" >> "$dir/pids"
  for _ in $(seq 1 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi
/usr/sbin/slurmctld -D -c -f "$conf" > "$dir/slurmctld.out" 2>&1 &
echo "slurmctld $!" >> "$dir/pids"
/usr/sbin/slurmd -D -f "$conf" > "$dir/slurmd.out" 2>&1 &
echo "slurmd $!" >> "$dir/pids"

# The node is idle about a second later.
for _ in $(seq 1 150); do
  state="$(sinfo -h -o %t 2>/dev/null | head -1 || true)"
  if [ "$state" = "idle" ] || [ "$state" = "mix" ]; then
    echo "export SLURM_CONF=$conf"
    exit 0
  fi
  sleep 0.2
done
echo "slurm-local: the node did not become idle; sinfo says '${state:-nothing}'" >&2
tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 2>/dev/null || true
stop
exit 70
