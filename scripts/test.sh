#!/usr/bin/env bash
#
# scripts/test.sh - THE test command of AuthService.
#
#   bash scripts/test.sh                      # everything
#   bash scripts/test.sh --filter "FullyQualifiedName~Token"   # extra args go to `dotnet test`
#
# What it does:
#   1. Unless AUTHSERVICE_TEST_PG is already set, starts a throwaway PostgreSQL cluster
#      (installing Debian's postgresql package first if there are no server binaries;
#      see scripts/lib/postgres.sh) and exports
#        AUTHSERVICE_TEST_PG="Host=127.0.0.1;Port=...;Username=postgres;Database=postgres;..."
#      Tests use it as an admin connection and create their own databases.
#   2. Builds AuthService.sln in Release once.
#   3. Runs tests/Domain.Tests, tests/Application.Tests, tests/ResourceServer.Tests, tests/Integration.Tests in that
#      order (all of them, even if one fails), each writing a .trx file into
#      .testrun/results/ (wiped at every run).
#   4. Stops the cluster, sums the .trx counters and prints, as the very last line,
#        N passed, N failed
#      A project that produced no .trx (crash, build failure) counts as 1 failed.
#
# Exit code: 0 only if nothing failed and at least one test passed.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The integration tests start some 300 servers in one test process, and each start compiles its own EF Core, DI and
# routing delegates: the JIT was a quarter of the suite's CPU. Without tiered PGO's instrumented tier, and without the
# W^X double mapping of every method the JIT writes, a run took about a quarter less (docs/benchmarks.md "The test
# suite's time"). Both are runtime switches for this command's processes only; the server's own settings are unchanged.
export DOTNET_TieredPGO=0
export DOTNET_EnableWriteXorExecute=0

TEST_PROJECTS=(tests/Domain.Tests tests/Application.Tests tests/ResourceServer.Tests tests/Integration.Tests)

RUN_DIR="$REPO_ROOT/.testrun"
RESULTS_DIR="$RUN_DIR/results"
rm -rf "$RUN_DIR"
mkdir -p "$RESULTS_DIR"

# shellcheck source=scripts/lib/postgres.sh
source "$REPO_ROOT/scripts/lib/postgres.sh"

# ---------------------------------------------------------------------------------------
# Cleanup: runs on any exit (including errors and Ctrl-C). Prints nothing on stdout.
# It is also called explicitly before the summary, so nothing can follow the last line.
# ---------------------------------------------------------------------------------------
cleanup() {
    pg_stop_throwaway >/dev/null 2>&1 || true
    # In CI, do not leave MSBuild / compiler server processes behind.
    if [[ -n "${CI:-}" ]]; then
        dotnet build-server shutdown >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------
# 1. PostgreSQL
# ---------------------------------------------------------------------------------------
if [[ -n "${AUTHSERVICE_TEST_PG:-}" ]]; then
    echo "Using the PostgreSQL given in AUTHSERVICE_TEST_PG (no throwaway cluster started)." >&2
else
    PG_APT_LOG="$RUN_DIR/apt.log"
    if ! pg_start_throwaway; then
        echo "Could not start a throwaway PostgreSQL cluster (see above)." >&2
        echo "Set AUTHSERVICE_TEST_PG to a server's admin connection string to use your own." >&2
        exit 1
    fi
    export AUTHSERVICE_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
fi
export AUTHSERVICE_TEST_PG

# ---------------------------------------------------------------------------------------
# 1b. Chromium for the browser tests (tests/Integration.Tests/Browser): Debian's package at
#     /usr/bin/chromium, driven by Playwright (no browser of Playwright's own can be downloaded).
#     If it cannot be installed, those tests fail and say why; nothing is skipped.
# ---------------------------------------------------------------------------------------
if [[ ! -x /usr/bin/chromium ]]; then
    CHROMIUM_APT_LOG="$RUN_DIR/chromium-apt.log"
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "[chromium] /usr/bin/chromium not found; installing Debian's chromium package with apt-get (log: $CHROMIUM_APT_LOG) ..." >&2
        if {
            apt-get update &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation
        } >"$CHROMIUM_APT_LOG" 2>&1; then
            echo "[chromium] installed." >&2
        else
            echo "[chromium] apt-get failed; the browser tests will fail. Its output is in $CHROMIUM_APT_LOG" >&2
        fi
    else
        echo "[chromium] /usr/bin/chromium not found, and cannot apt-get install it (not root, or no apt-get); the browser tests will fail." >&2
    fi
fi

# ---------------------------------------------------------------------------------------
# 1c. The npm packages of the interop tests (tests/Integration.Tests/Interop: oauth4webapi, openid-client, jose, the
#     MCP TypeScript SDK and playwright-core), of the samples the tests start (samples/McpServer, and the guides'
#     samples/NodeResourceServer, samples/NextAuth, samples/Spa), of the generated TypeScript SDK (sdk/typescript) and of
#     newman for the Postman collection (tools/postman), each installed from its committed package-lock.json (npm's own
#     cache keeps the downloads; a stamp skips a folder already installed from that lock). The folders install side by
#     side and while the solution builds; the tests start only after every install ended. If Node.js/npm are missing or
#     an install fails, those tests fail and say why; nothing is skipped.
# ---------------------------------------------------------------------------------------
NPM_DIRS=("$REPO_ROOT/tests/Integration.Tests/Interop" "$REPO_ROOT/samples/McpServer" "$REPO_ROOT/samples/NodeResourceServer"
    "$REPO_ROOT/samples/NextAuth" "$REPO_ROOT/samples/Spa" "$REPO_ROOT/sdk/typescript"
    "$REPO_ROOT/tools/postman")
# These machines come with Node.js 20 and npm; on one without them, try Debian's packages.
if { ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; } && [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "[interop] node/npm not found; installing Debian's nodejs and npm (log: $RUN_DIR/node-apt.log) ..." >&2
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm; } >"$RUN_DIR/node-apt.log" 2>&1 || true
fi

npm_install() {
    local dir="$1" log="$RUN_DIR/npm-$(basename "$1").log" sum
    # node_modules is (re)installed when absent or installed from another package-lock.json (stamp below).
    sum="$(sha256sum "$dir/package-lock.json" 2>/dev/null | cut -d' ' -f1 || true)"
    if [[ ! -f "$dir/package-lock.json" || "$(cat "$dir/node_modules/.authservice-lock-sha256" 2>/dev/null)" == "$sum" ]]; then
        return 0
    fi
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "[interop] node or npm not found; the tests using $dir will fail." >&2
    elif ! (cd "$dir" && npm ci --no-audit --no-fund) >"$log" 2>&1; then
        echo "[interop] npm ci failed in $dir; the tests using it will fail. Its output is in $log" >&2
    else
        echo "$sum" >"$dir/node_modules/.authservice-lock-sha256"
    fi
}

NPM_PIDS=()
for NPM_DIR in "${NPM_DIRS[@]}"; do
    npm_install "$NPM_DIR" &
    NPM_PIDS+=("$!")
done

# ---------------------------------------------------------------------------------------
# 2. Build once
# ---------------------------------------------------------------------------------------
echo "Building AuthService.sln (Release) ..." >&2
# If the solution does not build, each test project is still tried on its own
# (without --no-build, so stale binaries are never run): projects that do build still
# report, and those that don't produce no .trx and count as failed.
NO_BUILD=(--no-build)
if ! dotnet build AuthService.sln -c Release -nologo -v q 2>&1 | tee "$RUN_DIR/build.log"; then
    NO_BUILD=()
    echo "BUILD FAILED (output above and in .testrun/build.log); building each test project on its own." >&2
fi

for NPM_PID in "${NPM_PIDS[@]}"; do
    wait "$NPM_PID" || true
done

# ---------------------------------------------------------------------------------------
# 3. Test projects, one after the other, all of them
# ---------------------------------------------------------------------------------------
declare -A TEST_RC=()
for proj in "${TEST_PROJECTS[@]}"; do
    name="$(basename "$proj")"
    echo "=== $name ===" >&2
    rc=0
    # xUnit runs as many tests at once as there are cores. AUTHSERVICE_TEST_THREADS sets another number for the integration
    # tests; twice the cores was measured on 2 cores and gained nothing (the suite is CPU-bound there: docs/benchmarks.md
    # "The test suite's time").
    RUNNER_ARGS=()
    if [[ "$name" == "Integration.Tests" && -n "${AUTHSERVICE_TEST_THREADS:-}" ]]; then
        RUNNER_ARGS=(-- "xUnit.MaxParallelThreads=$AUTHSERVICE_TEST_THREADS")
    fi
    # A test that hangs must fail the run, not stall it until CI's own limit: vstest's blame
    # collector stops the test host when one test runs longer than 10 minutes and names it
    # (the slowest test takes well under a minute); `timeout` is the backstop for the runner.
    timeout --kill-after=30s 40m \
        dotnet test "$proj" -c Release "${NO_BUILD[@]}" -nologo \
        --logger "trx;LogFileName=$name.trx" \
        --results-directory "$RESULTS_DIR" \
        --blame-hang-timeout 10m --blame-hang-dump-type none \
        "$@" "${RUNNER_ARGS[@]}" || rc=$?
    TEST_RC[$name]="$rc"
done

# ---------------------------------------------------------------------------------------
# 4. Stop PostgreSQL now, so nothing is printed after the summary; then sum the .trx files
# ---------------------------------------------------------------------------------------
cleanup
trap - EXIT INT TERM

# trx_attr TAG NAME: the number in NAME="..." inside TAG (0 if absent).
trx_attr() {
    printf '%s' "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9][0-9]*' || echo 0
}

# trx_counts FILE: print "passed failed" from <ResultSummary><Counters .../>.
# "failed" also includes the error, timeout and aborted counters.
trx_counts() {
    local file="$1"
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$file" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
counters = None
for el in root.iter():
    if el.tag.endswith("}ResultSummary") or el.tag == "ResultSummary":
        for child in el:
            if child.tag.endswith("}Counters") or child.tag == "Counters":
                counters = child
if counters is None:
    sys.exit(1)

def num(name):
    try:
        return int(counters.get(name, "0"))
    except ValueError:
        return 0

print(num("passed"), num("failed") + num("error") + num("timeout") + num("aborted"))
PY
    else
        # Fallback without python: pull the attributes out of the <Counters .../> tag.
        local tag passed failed n
        tag="$(tr '\n' ' ' <"$file" | grep -o '<Counters [^>]*>' || true)"
        tag="${tag%%$'\n'*}"          # first match only
        [[ -n "$tag" ]] || return 1
        passed="$(trx_attr "$tag" passed)"
        failed=0
        for n in failed error timeout aborted; do
            failed=$((failed + $(trx_attr "$tag" "$n")))
        done
        echo "$passed $failed"
    fi
}

total_passed=0
total_failed=0
summary_lines=()
for proj in "${TEST_PROJECTS[@]}"; do
    name="$(basename "$proj")"
    rc="${TEST_RC[$name]}"
    trx="$RESULTS_DIR/$name.trx"
    if [[ ! -f "$trx" ]] || ! counts="$(trx_counts "$trx")"; then
        summary_lines+=("$name: no test results ($trx missing or unreadable; dotnet test exit $rc), counted as 1 failed")
        total_failed=$((total_failed + 1))
        continue
    fi
    read -r p f <<<"$counts"
    if (( f == 0 && rc != 0 )); then
        # The runner failed without a failed test (e.g. the test host crashed).
        summary_lines+=("$name: $p passed, 0 failed, but dotnet test exited $rc: counted as 1 failed")
        f=1
    else
        summary_lines+=("$name: $p passed, $f failed")
    fi
    total_passed=$((total_passed + p))
    total_failed=$((total_failed + f))
done

echo
echo "Test results: $RESULTS_DIR"
for line in "${summary_lines[@]}"; do
    echo "$line"
done
echo "$total_passed passed, $total_failed failed"

if (( total_failed == 0 && total_passed > 0 )); then
    exit 0
fi
exit 1
