#!/bin/sh
# quickstart.sh: installs what is missing, builds, then either runs replicant or its tests.
#
#   ./quickstart.sh [--replicaof HOST PORT] [replicant options...]
#       With no --replicaof: starts a local redis-server primary on a free loopback port, puts
#       sample data in it, and runs replicant following it in the foreground (Ctrl-C stops
#       both). With --replicaof: follows that primary.
#   ./quickstart.sh check
#       Runs the test suite (make check).
set -eu
cd "$(dirname "$0")"

PACKAGES="build-essential autoconf automake pkgconf libevent-dev libhiredis-dev liblua5.1-0-dev
check libzstd-dev redis-server redis-tools python3 valgrind"

install_missing() {
	missing=""
	for p in $PACKAGES; do
		dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "quickstart: installing$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -q
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
}

build() {
	[ -x configure ] || ./bootstrap
	[ -f Makefile ] || ./configure ${CONFIGURE_FLAGS:-}
	make -j"$(nproc)"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

install_missing
build

if [ "${1:-}" = "check" ]; then
	shift
	exec make -j"$(nproc)" check "$@"
fi

upstream=""
for a in "$@"; do
	case "$a" in --replicaof|--slaveof) upstream=yes ;; esac
done

if [ -n "$upstream" ]; then
	exec ./replicant --port "${PORT:-6380}" "$@"
fi

# No upstream named: a local primary with sample data.
workdir=$(mktemp -d)
primary_port=$(free_port)
replica_port=${PORT:-$(free_port)}
redis-server --port "$primary_port" --bind 127.0.0.1 --save '' --appendonly no \
	--dir "$workdir" --daemonize yes --pidfile "$workdir/primary.pid" \
	--logfile "$workdir/primary.log"
primary_pid=""
for _ in $(seq 50); do
	[ -s "$workdir/primary.pid" ] && redis-cli -p "$primary_port" ping >/dev/null 2>&1 && break
	sleep 0.1
done
primary_pid=$(cat "$workdir/primary.pid")
cleanup() {
	[ -n "$primary_pid" ] && kill "$primary_pid" 2>/dev/null || true
	rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

redis-cli -p "$primary_port" >/dev/null <<'DATA'
SET greeting "hello from the primary"
SET counter 42
SETEX session:1 3600 alice
RPUSH queue job:1 job:2 job:3
HSET user:1 name Ada lang C
SADD tags redis replica c
ZADD scores 1 alice 2 bob 3.5 carol
XADD events * type login user alice
PFADD visitors a b c d
SETBIT flags 7 1
GEOADD places 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
DATA

cat <<MSG
quickstart: primary redis-server on 127.0.0.1:$primary_port (pid $primary_pid) with sample data.
quickstart: replicant on 127.0.0.1:$replica_port following it. Try:
    redis-cli -p $replica_port ping
    redis-cli -p $replica_port info replication
    redis-cli -p $replica_port get greeting
Ctrl-C stops replicant and the primary.
MSG
./replicant --port "$replica_port" --replicaof 127.0.0.1 "$primary_port" "$@" || true
