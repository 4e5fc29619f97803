#!/usr/bin/env bash
# The peers the test suite talks to, in one list for `npm test` (its pretest step) and `.ci/run`.
# On a fresh Debian machine as root it installs what is missing, saying what it installs; elsewhere it
# stops before any test runs, naming everything missing and the command that installs it. It also starts
# the machine's PostgreSQL when it is installed but not running. Nothing here runs a test.
set -uo pipefail

# Debian (bookworm) packages: Prometheus 2.42 with promtool, node_exporter 1.5.0, OpenSSH server and
# client for the rollout tests, Chromium for the browser tests, VictoriaMetrics for the scale path,
# fonts for the PDFs, poppler-utils (pdftotext) to read the statement PDFs back, dpkg-dev to build the
# agent tests' local apt repository.
packages=(prometheus prometheus-node-exporter openssh-server openssh-client chromium victoria-metrics fonts-dejavu-core poppler-utils dpkg-dev)

missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test peers: installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
      echo "test peers: apt-get could not install ${missing[*]}; install them and run npm test again" >&2
      exit 1
    fi
  else
    echo "test peers: these Debian packages are missing, and installing needs root with apt-get:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    echo "install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

# PostgreSQL on 127.0.0.1:5432 (trust, database `test`), or MUNIOPS_TEST_POSTGRES_URL: the ledger tests
# run on it beside SQLite. The Debian packages start nothing here (no systemd): start the cluster.
if [ -z "${MUNIOPS_TEST_POSTGRES_URL:-}" ] && command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | head -n1)
    echo "test peers: starting PostgreSQL ${version}"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi
if [ -z "${MUNIOPS_TEST_POSTGRES_URL:-}" ] && ! { command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; }; then
  echo "test peers: no PostgreSQL answers on 127.0.0.1:5432; start one with trust auth and a database \`test\`, or set MUNIOPS_TEST_POSTGRES_URL" >&2
  exit 1
fi
exit 0
