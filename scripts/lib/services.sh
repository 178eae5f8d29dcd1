#!/usr/bin/env bash
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
#
# Helpers shared by run.sh and test.sh: Debian packages, a private PostgreSQL 15 and a
# private Redis with ACLs, each living entirely under one directory.
# Source this file; every function fails loudly (non-zero exit and a message on stderr).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_RUN_USER=${PG_RUN_USER:-postgres}

die() { echo "error: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }

# Installs the Debian packages named as arguments that are not installed yet.
ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (run as root or install them)"
    note "installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
}

BASE_PACKAGES=(postgresql-15 postgresql-client-15 postgresql-contrib libpq-dev redis-server redis-tools
    libhiredis-dev libyaml-dev libcurl4-openssl-dev libssl-dev openssl pkg-config curl python3 python3-venv)

# Prints a free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Makes sure the unprivileged account that runs PostgreSQL exists.
ensure_pg_user() {
    id "$PG_RUN_USER" >/dev/null 2>&1 && return 0
    useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_RUN_USER" || die "cannot create user $PG_RUN_USER"
}

# run_as_pg CMD...: runs a command as the PostgreSQL account (the server refuses root).
run_as_pg() {
    if [ "$(id -u)" = 0 ]; then setpriv --reuid="$PG_RUN_USER" --regid="$(id -g "$PG_RUN_USER")" --init-groups -- "$@"
    else "$@"; fi
}

# ensure_traversable DIR: the PostgreSQL account must be able to reach DIR (a checkout under
# /root is not reachable by other users). Grants only "search" (x) on each ancestor that blocks
# it, through a POSIX ACL for that one account; nothing becomes readable by anyone else.
ensure_traversable() {
    local dir; dir=$(realpath -m "$1")
    local p=""
    local part
    IFS='/' read -ra parts <<< "${dir#/}"
    for part in "${parts[@]}"; do
        p="$p/$part"
        [ -d "$p" ] || break
        if ! run_as_pg test -x "$p" 2>/dev/null; then
            command -v setfacl >/dev/null || ensure_packages acl
            setfacl -m "u:$PG_RUN_USER:--x" "$p" || die "cannot let $PG_RUN_USER reach $p (setfacl failed)"
            note "granted $PG_RUN_USER search access to $p (ACL)"
        fi
    done
}

# pg_start DIR PORT: initialises (first time) and starts a PostgreSQL 15 cluster in DIR/pgdata
# listening on 127.0.0.1:PORT. The superuser is "postgres" with the password kept in DIR/pg-superuser.pw.
pg_start() {
    local dir=$1 port=$2
    [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 binaries not found in $PG_BIN (apt-get install postgresql-15)"
    ensure_pg_user
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && ensure_traversable "$dir"
    if [ ! -f "$dir/pgdata/PG_VERSION" ]; then
        note "initialising PostgreSQL cluster in $dir/pgdata"
        [ -f "$dir/pg-superuser.pw" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/pg-superuser.pw")
        mkdir -p "$dir/pgdata" "$dir/pgsock"
        chown "$PG_RUN_USER" "$dir/pgdata" "$dir/pgsock"
        chmod 700 "$dir/pgdata"
        local pwfile; pwfile=$(mktemp); cp "$dir/pg-superuser.pw" "$pwfile"; chown "$PG_RUN_USER" "$pwfile"
        run_as_pg "$PG_BIN/initdb" -D "$dir/pgdata" -U postgres --pwfile="$pwfile" --auth-local=scram-sha-256 \
            --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { rm -f "$pwfile"; cat "$dir/initdb.log" >&2; die "initdb failed"; }
        rm -f "$pwfile"
        cat >> "$dir/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/pgsock'
max_connections = 500
shared_buffers = 256MB
log_min_messages = warning
CONF
    fi
    sed -i "s/^port = .*//" "$dir/pgdata/postgresql.conf"
    echo "port = $port" >> "$dir/pgdata/postgresql.conf"
    chown "$PG_RUN_USER" "$dir/pgdata/postgresql.conf"
    touch "$dir/postgres.log"; chown "$PG_RUN_USER" "$dir/postgres.log"
    run_as_pg "$PG_BIN/pg_ctl" -D "$dir/pgdata" -l "$dir/postgres.log" -w -t 60 start >/dev/null \
        || { tail -20 "$dir/postgres.log" >&2; die "PostgreSQL did not start (log: $dir/postgres.log)"; }
    echo "$port" > "$dir/pg.port"
}

pg_stop() {
    local dir=$1
    [ -f "$dir/pgdata/postmaster.pid" ] || return 0
    run_as_pg "$PG_BIN/pg_ctl" -D "$dir/pgdata" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_superuser_url DIR: libpq connection string for the superuser.
pg_superuser_url() {
    local dir=$1
    echo "host=127.0.0.1 port=$(cat "$dir/pg.port") user=postgres password=$(cat "$dir/pg-superuser.pw") dbname=postgres"
}

# redis_start DIR PORT: starts a private Redis with ACLs kept in DIR/users.acl. The default user is
# disabled; the administrative user "csms_admin" has the password kept in DIR/redis-admin.pw.
redis_start() {
    local dir=$1 port=$2
    command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
    mkdir -p "$dir"
    [ -f "$dir/redis-admin.pw" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/redis-admin.pw")
    if [ ! -f "$dir/users.acl" ]; then
        (umask 077; printf 'user default off\nuser csms_admin on >%s ~* &* +@all\n' "$(cat "$dir/redis-admin.pw")" > "$dir/users.acl")
    fi
    cat > "$dir/redis.conf" <<CONF
bind 127.0.0.1
port $port
dir $dir
aclfile $dir/users.acl
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
save ""
appendonly no
maxclients 10000
CONF
    redis-server "$dir/redis.conf" || die "redis-server did not start (log: $dir/redis.log)"
    local i
    for i in $(seq 1 100); do
        REDISCLI_AUTH="$(cat "$dir/redis-admin.pw")" redis-cli --user csms_admin -p "$port" ping 2>/dev/null | grep -q PONG && { echo "$port" > "$dir/redis.port"; return 0; }
        sleep 0.1
    done
    tail -20 "$dir/redis.log" >&2; die "Redis did not answer on port $port"
}

redis_stop() {
    local dir=$1
    [ -f "$dir/redis.pid" ] || return 0
    local pid; pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || true
    local i; for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}

# Creates (or reuses) a Python venv at $1 with the pinned packages of requirements file $2.
# The venv is rebuilt when the requirements change.
ensure_python_venv() {
    local venv=$1 requirements=$2 want
    want=$(sha256sum "$requirements" | cut -d' ' -f1)
    if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
        rm -rf "$venv"
        mkdir -p "$(dirname "$venv")"
        python3 -m venv "$venv" || die "cannot create a Python venv at $venv (is python3-venv installed?)"
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" \
            || die "pip could not install $requirements"
        echo "$want" >"$venv/.requirements.sha256"
    fi
}
