#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, only what is missing:
#   - OpenBLAS (CBLAS + LAPACK) and libedit development files, pkg-config and tmux (apt-get);
#   - numpy 2.4 and scipy for python3 (the tests use them as independent oracles);
#   - Slurm (slurm-wlm) and munge: the sweep tests start a private single-node Slurm
#     (scripts/slurm-local.sh) and submit real job arrays to it; services are not started here;
# then builds the package. Swift itself (6.0 or newer) must already be on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -f /usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h ] || pkg-config --exists openblas 2>/dev/null || need+=(libopenblas-dev)
[ -f /usr/include/editline/readline.h ] || need+=(libedit-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v tmux >/dev/null || need+=(tmux)   # the tests drive the shell in a pseudo-terminal
if ! command -v python3 >/dev/null; then need+=(python3 python3-numpy); fi
command -v sbatch >/dev/null && [ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] || need+=(slurm-wlm)
[ -x /usr/sbin/munged ] || need+=(munge)
if ((${#need[@]})); then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # Packages must not start services (munge, slurmd): on a machine without a policy that forbids it,
  # one is put in place for the install and removed afterwards; the tests start their own daemons.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod 755 "$policy"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ -z "$policy" ] || $SUDO rm -f "$policy"
fi
# The oracles compare to the last bit (numpy's pairwise sums, its legacy random streams), so the
# tests expect the numpy the fixtures were made with: 2.4.x (another package's pin can change it).
if ! python3 -c 'import numpy, sys; sys.exit(0 if numpy.__version__.startswith("2.4.") else 1)' 2>/dev/null; then
  echo "setup: installing numpy 2.4.6 for $(command -v python3)" >&2
  python3 -m pip install -q "numpy==2.4.6" 2>/dev/null || {
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get install -y -qq python3-numpy >/dev/null
  }
fi
if ! python3 -c 'import scipy' 2>/dev/null; then  # the psychometric fit's oracle in the tests
  echo "setup: installing scipy for $(command -v python3)" >&2
  python3 -m pip install -q scipy 2>/dev/null || {
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get install -y -qq python3-scipy >/dev/null
  }
fi
command -v swift >/dev/null || { echo "setup: Swift 6 is required (swift not found on PATH)" >&2; exit 1; }
swift build -c release --product psychrnn >&2
