# shellcheck shell=bash
#
# scripts/lib/postgres.sh - a throwaway PostgreSQL cluster for tests and benchmarks.
#
# Source this file from a bash script, then:
#
#   pg_start_throwaway            # installs PostgreSQL if needed, starts a private cluster
#   echo "$PG_PORT" "$PG_DIR"     # TCP port on 127.0.0.1, and the temp dir holding everything
#   ...
#   pg_stop_throwaway             # stops the cluster and deletes $PG_DIR (safe to call twice)
#
# The cluster:
#   - lives entirely in a fresh temp dir (mktemp -d /tmp/authservice-pg.XXXXXX):
#       $PG_DIR/data          the data directory (initdb)
#       $PG_DIR/postgres.log  the server log
#       $PG_DIR/.s.PGSQL.*    the unix socket
#   - listens on 127.0.0.1:$PG_PORT only (first free port from 55432 upward),
#   - has one superuser "postgres" with trust auth (no password),
#   - runs with fsync/synchronous_commit/full_page_writes off: fast, and not crash-safe,
#     which is fine for data that is deleted afterwards.
#
# Debian's own system cluster (/etc/postgresql/NN/main, service "postgresql") is never
# started or touched: only the server binaries in /usr/lib/postgresql/NN/bin are used.
#
# initdb and postgres refuse to run as root. When the caller is root, every server command
# runs as the "postgres" OS user (created by the Debian package); otherwise as the caller.
#
# Variables the functions set (all global):
#   PG_BINDIR   directory holding initdb, pg_ctl, postgres
#   PG_DIR      temp dir of the running throwaway cluster ("" when none)
#   PG_PORT     its TCP port
#   PG_LOG      its server log file
#
# Variables read (all optional):
#   PG_PREFERRED_VERSION   major version to prefer (default 15)
#   PG_PORT_FIRST          first port to try (default 55432)
#   PG_APT_LOG             where apt-get's output goes (default: a temp file)
#
# Functions print progress to stderr only, so the caller's stdout stays its own.

PG_BINDIR="${PG_BINDIR:-}"
PG_DIR=""
PG_PORT=""
PG_LOG=""

# Print a message to stderr.
_pg_say() {
    printf '[postgres] %s\n' "$*" >&2
}

# pg_find_bindir: set PG_BINDIR to a directory with initdb and pg_ctl.
# Looks in /usr/lib/postgresql/<version>/bin (Debian's layout), preferring
# $PG_PREFERRED_VERSION, else the highest version found; then falls back to
# initdb on PATH. Returns 1 if nothing is found.
pg_find_bindir() {
    local preferred="${PG_PREFERRED_VERSION:-15}"
    local dir best="" best_ver=-1 ver

    if [[ -x "/usr/lib/postgresql/$preferred/bin/initdb" && -x "/usr/lib/postgresql/$preferred/bin/pg_ctl" ]]; then
        PG_BINDIR="/usr/lib/postgresql/$preferred/bin"
        return 0
    fi

    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] || continue
        ver="${dir#/usr/lib/postgresql/}"
        ver="${ver%/bin}"
        ver="${ver%%.*}"                  # old layouts had "9.6"; compare the major part
        [[ "$ver" =~ ^[0-9]+$ ]] || continue
        if (( ver > best_ver )); then
            best_ver="$ver"
            best="$dir"
        fi
    done
    if [[ -n "$best" ]]; then
        PG_BINDIR="$best"
        return 0
    fi

    # Not Debian's layout (e.g. a developer's machine): use whatever is on PATH.
    local initdb_path
    if initdb_path="$(command -v initdb 2>/dev/null)" && command -v pg_ctl >/dev/null 2>&1; then
        PG_BINDIR="$(dirname "$(readlink -f "$initdb_path")")"
        return 0
    fi
    return 1
}

# pg_ensure_installed: make sure PG_BINDIR is set, installing Debian's "postgresql"
# package with apt-get if no server binaries exist (root only).
# apt-get's output goes to $PG_APT_LOG and is shown only on failure.
pg_ensure_installed() {
    if pg_find_bindir; then
        return 0
    fi

    if [[ "$(id -u)" -ne 0 ]]; then
        _pg_say "PostgreSQL server binaries (initdb, pg_ctl) not found, and not root so cannot apt-get install."
        _pg_say "Install PostgreSQL, or point the tests at an existing server with AUTHSERVICE_TEST_PG."
        return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        _pg_say "PostgreSQL server binaries not found and apt-get is not available."
        return 1
    fi

    local log="${PG_APT_LOG:-}"
    if [[ -z "$log" ]]; then
        log="$(mktemp /tmp/authservice-apt.XXXXXX.log)"
    fi
    _pg_say "PostgreSQL not found; installing it with apt-get (log: $log) ..."

    # The package's maintainer scripts would start Debian's system cluster. The standard
    # Debian way to stop packages from starting services is /usr/sbin/policy-rc.d exiting
    # 101. Many container images already have one; if not, put one in place for the
    # duration of the install only.
    local made_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\n# temporary, from authservice scripts/lib/postgres.sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        made_policy=1
    fi

    local rc=0
    {
        apt-get update &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
    } >"$log" 2>&1 || rc=$?

    if (( made_policy )); then
        rm -f /usr/sbin/policy-rc.d
    fi

    if (( rc != 0 )); then
        _pg_say "apt-get failed (exit $rc); its output:"
        cat "$log" >&2
        return 1
    fi
    if ! pg_find_bindir; then
        _pg_say "apt-get installed postgresql but no initdb was found in /usr/lib/postgresql/*/bin."
        return 1
    fi
    _pg_say "installed; using $PG_BINDIR"
}

# _pg_run CMD ARGS...: run a command as the cluster's owner. As root that is the
# "postgres" user (initdb/postgres refuse root); otherwise the current user.
# The command runs with $PG_DIR as working directory, because the postgres user
# may not be allowed into the caller's directory (e.g. /root/...).
_pg_run() {
    if [[ "$(id -u)" -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd "$PG_DIR" && runuser -u postgres -- "$@")
        else
            # su needs a single command string: quote each argument.
            local quoted
            quoted="$(printf '%q ' "$@")"
            (cd "$PG_DIR" && su postgres -s /bin/sh -c "$quoted")
        fi
    else
        (cd "$PG_DIR" && "$@")
    fi
}

# _pg_port_in_use PORT: true if something listens on 127.0.0.1:PORT.
_pg_port_in_use() {
    local port="$1"
    if command -v ss >/dev/null 2>&1; then
        # Any listener on that port (any address) counts as taken.
        if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
            return 0
        fi
    fi
    # A TCP connect that succeeds means someone is listening.
    if command -v timeout >/dev/null 2>&1; then
        timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && return 0
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    fi
    return 1
}

# _pg_free_port [FIRST]: print the first free port from FIRST (default 55432) upward.
_pg_free_port() {
    local port="${1:-${PG_PORT_FIRST:-55432}}"
    local last=$((port + 200))
    while (( port <= last )); do
        if ! _pg_port_in_use "$port"; then
            echo "$port"
            return 0
        fi
        port=$((port + 1))
    done
    _pg_say "no free TCP port found in ${1:-${PG_PORT_FIRST:-55432}}..$last"
    return 1
}

# pg_start_throwaway: install if needed, initdb a fresh cluster in a temp dir, start it.
# Sets PG_DIR, PG_PORT, PG_LOG, PG_BINDIR. On failure prints the logs, cleans up,
# and returns 1.
pg_start_throwaway() {
    pg_ensure_installed || return 1

    PG_DIR="$(mktemp -d /tmp/authservice-pg.XXXXXX)"
    PG_LOG="$PG_DIR/postgres.log"
    local data="$PG_DIR/data"

    if [[ "$(id -u)" -eq 0 ]]; then
        if ! id postgres >/dev/null 2>&1; then
            # The Debian package creates this user; binaries from elsewhere may not have.
            _pg_say "creating system user 'postgres'"
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
        fi
        chown postgres: "$PG_DIR"
    fi

    # initdb: C.UTF-8 locale when the machine has it, else plain C (still UTF8 encoding).
    local initdb_log="$PG_DIR/initdb.log"
    if ! _pg_run "$PG_BINDIR/initdb" -D "$data" --auth=trust --username=postgres \
            -E UTF8 --locale=C.UTF-8 >"$initdb_log" 2>&1; then
        rm -rf "$data"
        if ! _pg_run "$PG_BINDIR/initdb" -D "$data" --auth=trust --username=postgres \
                -E UTF8 --locale=C >"$initdb_log" 2>&1; then
            _pg_say "initdb failed; its output:"
            cat "$initdb_log" >&2
            pg_stop_throwaway
            return 1
        fi
    fi

    # Start on the first free port. Another process could take the port between the
    # check and the bind, so a failed start is retried on the next ports a few times.
    local port=$(( ${PG_PORT_FIRST:-55432} - 1 ))
    for _ in 1 2 3 4 5; do
        port="$(_pg_free_port $((port + 1)))" || { pg_stop_throwaway; return 1; }
        if _pg_run "$PG_BINDIR/pg_ctl" -D "$data" -l "$PG_LOG" -w -t 60 \
                -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
                start >"$PG_DIR/pg_ctl.log" 2>&1; then
            PG_PORT="$port"
            _pg_say "throwaway cluster up on 127.0.0.1:$PG_PORT ($PG_BINDIR, dir $PG_DIR)"
            return 0
        fi
        if grep -qi 'could not bind\|address already in use' "$PG_LOG" 2>/dev/null; then
            _pg_say "port $port could not be used; trying the next one. Server said:"
            grep -i 'could not bind\|address already in use' "$PG_LOG" >&2 || true
            # pg_ctl may have left a dead postmaster.pid; make sure nothing is running.
            _pg_run "$PG_BINDIR/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
            continue
        fi
        break
    done

    _pg_say "pg_ctl start failed; pg_ctl output and server log:"
    cat "$PG_DIR/pg_ctl.log" >&2 2>/dev/null || true
    cat "$PG_LOG" >&2 2>/dev/null || true
    pg_stop_throwaway
    return 1
}

# pg_stop_throwaway: stop the cluster (immediate mode: no checkpoint, the data is
# thrown away anyway) and delete PG_DIR. Prints nothing on stdout; safe to call when
# nothing was started, or twice.
pg_stop_throwaway() {
    [[ -n "${PG_DIR:-}" ]] || return 0
    local data="$PG_DIR/data"

    if [[ -f "$data/postmaster.pid" ]]; then
        local pid
        pid="$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)"
        _pg_run "$PG_BINDIR/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        # If pg_ctl could not stop it, kill the postmaster we started, by its pid.
        if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi

    rm -rf "$PG_DIR"
    PG_DIR=""
    PG_PORT=""
    PG_LOG=""
    return 0
}
