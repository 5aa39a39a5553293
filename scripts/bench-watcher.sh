#!/bin/sh
# IMAP watcher benchmark against a private Dovecot (needs root and dovecot-imapd):
#   latency MOVE -> learn (median/p99 over MOVES moves), moves/s sustained, memory per idle account (ACCOUNTS accounts).
# Usage: scripts/bench-watcher.sh [MOVES] [ACCOUNTS]      e.g. scripts/bench-watcher.sh 200 1000
set -e
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
MOVES=${1:-200}
ACCOUNTS=${2:-200}
mvn -q -o -pl imap-watcher test -Dtest=WatcherBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmailsift.bench=true -Dbench.latency=${LATENCY:-true} -Dbench.moves="$MOVES" -Dbench.accounts="$ACCOUNTS"
grep -h '^BENCH' imap-watcher/target/surefire-reports/*WatcherBenchmark-output.txt
