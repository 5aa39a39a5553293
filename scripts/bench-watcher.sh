#!/bin/sh
# IMAP watcher benchmark against a private Dovecot (needs root and dovecot-imapd):
#   latency MOVE -> learn (median/p99 over MOVES moves), moves/s sustained, memory per idle account (ACCOUNTS accounts),
#   and, when RSPAMC=host:port of a running rspamd controller is given (RSPAMC_PASSWORD), the same moves learned the
#   Rspamd way: Dovecot IMAPSieve piping to rspamc (docs/peers/start-rspamd.sh starts one on 127.0.0.1:21334).
# Usage: [LATENCY=false] [RSPAMC=127.0.0.1:21334 RSPAMC_PASSWORD=peers-secret] scripts/bench-watcher.sh [MOVES] [ACCOUNTS]
set -e
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
MOVES=${1:-200}
ACCOUNTS=${2:-200}
mvn -q -o -pl imap-watcher test -Dtest=WatcherBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmailsift.bench=true -Dbench.latency="${LATENCY:-true}" -Dbench.moves="$MOVES" -Dbench.accounts="$ACCOUNTS" \
  -Dbench.rspamc="${RSPAMC:-}" -Dbench.rspamc.password="${RSPAMC_PASSWORD:-}"
grep -h '^BENCH' imap-watcher/target/surefire-reports/*WatcherBenchmark-output.txt
