#!/usr/bin/env bash
# The benchmark: builds the release binary, seeds synthetic databases, serves each one and measures it on
# loopback with wrk (installed with apt-get if missing). Writes a Markdown table to bench/results/.
#
#   bash bench/run.sh                       # SQLite and PostgreSQL, 1 000 and 100 000 missions
#   bash bench/run.sh --quick               # SQLite, 1 000 missions, 4 s per page: the table in ~3 minutes
#   BENCH_SIZES="1000" BENCH_BACKENDS=sqlite bash bench/run.sh
#
# A full run writes bench/results/DATE.md (DATE-2.md … when the day has one); --quick prints its table only.
# Every table names the commit it measured.
#
# Environment: BENCH_SIZES, BENCH_BACKENDS (sqlite postgres), BENCH_DURATION (seconds per page, default 10),
# BENCH_CONNECTIONS (32), BENCH_PG (admin URL of the PostgreSQL server, default
# postgres://postgres@127.0.0.1:5432/postgres), BENCH_SKIP_BUILD=1 to reuse target/release/giamsat.
# Absolute figures on a shared machine are noise: every page is also given as a ratio to /healthz measured in
# the same run, a minute apart at most.
set -euo pipefail

cd "$(dirname "$0")/.."
QUICK=
case ${1:-} in
    --quick) QUICK=1 ;;
    "") ;;
    *) echo "usage: bench/run.sh [--quick]" >&2; exit 2 ;;
esac
if [ -n "$QUICK" ]; then
    SIZES=${BENCH_SIZES:-1000}
    BACKENDS=${BENCH_BACKENDS:-sqlite}
    DURATION=${BENCH_DURATION:-4}
else
    SIZES=${BENCH_SIZES:-"1000 100000"}
    BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
    DURATION=${BENCH_DURATION:-10}
fi
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PG_ADMIN=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=${BENCH_PORT:-3917}
BASE="http://127.0.0.1:$PORT"
BIN=${BENCH_BIN:-target/release/giamsat}
# Paths of pages other branches add; a page that answers 404 is skipped with a note.
LEDGER_PATH=${BENCH_LEDGER_PATH:-/ledger?status=in_progress}
# The public article page is the first article linked from the portal's index (/tin-tuc), when there is one.
ARTICLE_PATH=${BENCH_ARTICLE_PATH:-}
FEED_PATH=${BENCH_FEED_PATH:-/feed.atom}
# The organisation whose staff member the rows marked "staff" sign in as: the synthetic data's largest owner.
STAFF_ORG=${BENCH_STAFF_ORG:-Quận ủy Hoàn Kiếm}
STAFF_COOKIE=

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y wrk >/dev/null
    else
        echo "wrk is missing: apt-get install wrk (as root)" >&2
        exit 1
    fi
fi
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    cargo build --release -p giamsat-web
fi

WORK=$(mktemp -d)
SERVER_PID=
PG_DBS=()
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    for db in "${PG_DBS[@]}"; do
        psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

STAMP=$(date -u +%Y-%m-%d)
if [ -n "$QUICK" ]; then
    OUT=$WORK/quick.md
else
    mkdir -p bench/results
    OUT=bench/results/$STAMP.md
    n=2
    while [ -e "$OUT" ]; do OUT=bench/results/$STAMP-$n.md; n=$((n + 1)); done
fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
{
    echo "# Benchmark $(date -u '+%Y-%m-%d %H:%M') UTC${QUICK:+ (--quick)}"
    echo
    echo "- Machine: $(uname -sr), $(nproc) cores ($cpu), $mem RAM; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with local changes)'); $(rustc -V)"
    echo "- PostgreSQL: $(psql "$PG_ADMIN" -Atc 'SHOW server_version' 2>/dev/null || echo 'not reachable'), over loopback TCP without TLS (\`sslmode=disable\`)."
    echo "- wrk $CONNECTIONS connections, 2 threads, ${DURATION} s per page, \`Accept-Encoding: gzip\`, signed in as an administrator (sees everything), and in the rows marked staff as a staff member of $STAFF_ORG (its missions and what is addressed to it)."
    echo "- Ratios: the page's requests/s divided by the mean of \`/healthz\`'s runs in the same section, at its start and at its end: \"of bare\" to \`/healthz\` without a cookie (what the targets are stated against), \"of signed in\" to \`/healthz\` with the session cookie (the same session lookup as every signed-in page)."
    echo "- Targets (issue 18): mission page >= 15 %, dashboard and lists >= 10 %, public pages >= 60 % of bare; search p99 < 50 ms, other pages p99 < 20 ms; each checked in the last column."
    echo
} >"$OUT"

# "1.23ms" / "850.00us" / "1.02s" → milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
        else printf "%s", v }'
}

COOKIE=
# measure NAME PATH TARGET [bare]: one wrk run, kept in $WORK/rows until write_table turns the section's runs
# into rows. TARGET is what the issue asks of the page: "ratio:N" (at least N % of bare /healthz) with p99 < 20 ms,
# "p99:N" (p99 under N ms), or "-" (a reference). "bare" sends no session cookie.
measure() {
    local name=$1 path=$2 target=$3 cookie=$COOKIE status
    [ "${4:-}" = bare ] && cookie=
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$BASE$path")
    if [ "$status" = 404 ]; then
        printf '%s\t%s\t-\t-\t-\tskipped\t-\t-\t%s\n' "$name" "${path:0:60}" "$target" >>"$WORK/rows"
        echo "  $name: 404, skipped"
        return
    fi
    local report rps p50 p99 errors bytes
    bytes=$(curl -s --compressed -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "$BASE$path")
    report=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie" -H "Accept-Encoding: gzip" "$BASE$path")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$report")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$report")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$report")")
    errors=$(awk '/Non-2xx/ {print $NF}' <<<"$report")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${path:0:60}" "$rps" "$p50" "$p99" "$status" "$bytes" \
        "${errors:-0}" "$target" >>"$WORK/rows"
    echo "  $name: $rps req/s, p50 $p50 ms, p99 $p99 ms"
}

# write_table: the section's rows, each page's rate as a share of /healthz's, bare and signed in: the mean of
# its runs at the start and at the end of the section, so that the machine's drift during a section (up to a
# quarter of the rate on this shared machine) is split rather than all counted against the pages.
write_table() {
    awk -F'\t' -v section="$1" -v all="$WORK/all" '
        { name[NR] = $1; path[NR] = $2; rps[NR] = $3; p50[NR] = $4; p99[NR] = $5; status[NR] = $6
          bytes[NR] = $7; errors[NR] = $8; target[NR] = $9 }
        $1 ~ /^\/healthz, bare/ && $3 != "-" { bare += $3; bare_runs++ }
        $1 ~ /^\/healthz, signed in/ && $3 != "-" { signed += $3; signed_runs++ }
        END {
            b = bare_runs ? bare / bare_runs : 0
            s = signed_runs ? signed / signed_runs : 0
            for (i = 1; i <= NR; i++) {
                if (status[i] == "skipped") {
                    printf "| %s | `%s` | – | – | – | – | – | not served by this build (404): skipped |\n", name[i], path[i]
                    continue
                }
                of_bare = b > 0 ? 100 * rps[i] / b : 0
                verdict = "–"
                split(target[i], t, ":")
                if (t[1] == "ratio") {
                    ok = of_bare >= t[2] && p99[i] < 20
                    verdict = (ok ? "met" : "missed") " (>= " t[2] " %, p99 < 20 ms)"
                } else if (t[1] == "p99") {
                    verdict = (p99[i] < t[2] ? "met" : "missed") " (p99 < " t[2] " ms)"
                }
                if (target[i] != "-") printf "%s\t%s\t%s\n", section, name[i], rps[i] >> all
                note = "HTTP " status[i] ", " bytes[i] " B" (errors[i] > 0 ? ", " errors[i] " non-2xx" : "")
                printf "| %s | `%s` | %s | %s | %s | %s | %s | %s; %s |\n", name[i], path[i], rps[i], p50[i], p99[i],
                    (b > 0 ? sprintf("%.1f %%", of_bare) : "–"), (s > 0 ? sprintf("%.1f %%", 100 * rps[i] / s) : "–"),
                    verdict, note
            }
        }' "$WORK/rows" >>"$OUT"
    rm -f "$WORK/rows"
}

# verdict VALUE LIMIT: "met" when VALUE < LIMIT.
verdict() {
    awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 < l + 0 ? "met" : "missed") }'
}

# form_field HTML NAME: the value of the hidden input NAME.
form_field() {
    grep -o "name=\"$2\" value=\"[^\"]*\"" <<<"$1" | head -1 | sed 's/.*value="//; s/"$//'
}

# login URL [ROLE ORG]: signs in as a new account (an administrator unless ROLE and ORG are given) and sets
# COOKIE to its session.
login() {
    local url=$1 role=${2:-admin} org=${3:-} jar=$WORK/jar html csrf password=bench-password-123456
    local link email=bench-$role@bench.local
    link=$("$BIN" --database-url "$url" user add "$email" --role "$role" ${org:+--org "$org"} --name Bench 2>/dev/null | tail -1)
    link="$BASE$(sed -E 's#^https?://[^/]+##' <<<"$link")"
    rm -f "$jar"
    html=$(curl -s -c "$jar" -b "$jar" "$link")
    csrf=$(form_field "$html" _csrf)
    curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "password=$password" \
        --data-urlencode "confirm=$password" "$link"
    html=$(curl -s -c "$jar" -b "$jar" "$BASE/login")
    csrf=$(form_field "$html" _csrf)
    curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "email=$email" \
        --data-urlencode "password=$password" --data-urlencode "next=/" "$BASE/login"
    COOKIE=$(awk '!/^#/ && NF >= 7 {c = $6 "=" $7} /^#HttpOnly_/ {c = $6 "=" $7} END {print c}' "$jar")
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE/missions")" != 200 ]; then
        echo "could not sign in as $role" >&2
        exit 1
    fi
}

# The URL of the missions list's page N (or the last page, if fewer), by following the "next" links.
page_url() {
    local want=$1 path=/missions page=1 next
    while [ "$page" -lt "$want" ]; do
        next=$(curl -s -H "Cookie: $COOKIE" "$BASE$path" | grep -o 'rel="next" href="[^"]*"' | sed 's/.*href="//; s/"$//; s/&amp;/\&/g' || true)
        [ -n "$next" ] || break
        path=$next
        page=$((page + 1))
    done
    echo "$page $path"
}

start_server() {
    local url=$1 start
    start=$(date +%s%N)
    GIAMSAT_PAGE_CACHE_MB=${PAGE_CACHE_MB:-32} GIAMSAT_DEMO=0 RUST_LOG=warn "$BIN" --database-url "$url" serve --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    until curl -s -o /dev/null "$BASE/healthz"; do sleep 0.005; done
    COLD_MS=$((($(date +%s%N) - start) / 1000000))
}

stop_server() {
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

# table_head TITLE: a section's heading and its table's header.
table_head() {
    {
        echo "$1"
        echo
        [ -z "${2:-}" ] || { echo "$2"; echo; }
        echo "| page | path | req/s | p50 ms | p99 ms | of bare | of signed in | target; notes |"
        echo "|---|---|---:|---:|---:|---:|---:|---|"
    } >>"$OUT"
}

# signed_in_pages [NAME PATH]: the signed-in pages, with the missions list's page NAME at PATH when given.
signed_in_pages() {
    measure "dashboard" "/" ratio:10
    measure "missions, page 1" "/missions" ratio:10
    [ -z "${1:-}" ] || measure "$1" "$2" ratio:10
    measure "mission page" "/missions/$mission" ratio:15
    measure "search «hang bac»" "/search?q=hang+bac" p99:50
    measure "search, rare word «thổ châu»" "/search?q=th%E1%BB%95+ch%C3%A2u" p99:50
    measure "search, common word «công tác»" "/search?q=c%C3%B4ng+t%C3%A1c" p99:50
    measure "ledger, filtered" "$LEDGER_PATH" ratio:10
    measure "recommendation page" "/recommendations/$recommendation" p99:20
    # An organisation's staff: its missions and what is addressed to it, not everything.
    local admin=$COOKIE
    COOKIE=$STAFF_COOKIE
    measure "dashboard, staff" "/" ratio:10
    measure "Việc của tôi, staff" "/my-work" ratio:10
    measure "ledger, filtered, staff" "$LEDGER_PATH" ratio:10
    COOKIE=$admin
}

for backend in $BACKENDS; do
    for n in $SIZES; do
        echo "== $backend, $n missions"
        case $backend in
            sqlite) url="sqlite://$WORK/bench-$n.db?mode=rwc" ;;
            postgres)
                db="giamsat_bench_${n}_$$"
                psql "$PG_ADMIN" -qc "CREATE DATABASE $db" >/dev/null
                PG_DBS+=("$db")
                # TLS on loopback protects nothing and costs the cold start about 200 ms: sqlx does not set
                # TCP_NODELAY, so its handshake waits twice on Nagle's algorithm per connection (see README).
                url="${PG_ADMIN%/*}/$db?sslmode=disable"
                ;;
            *) echo "unknown backend $backend" >&2; exit 1 ;;
        esac
        seed_line=$("$BIN" --database-url "$url" seed synthetic --missions "$n" --seed 1 2>/dev/null | tail -1)
        echo "  seed: $seed_line"
        # The first start applies nothing (the seed migrated); it is the cold start the issue means.
        start_server "$url"
        login "$url" staff "$STAFF_ORG"
        STAFF_COOKIE=$COOKIE
        login "$url"
        read -r reached page_path < <(page_url 1000)
        mission=$((n / 2))
        recommendation=$(curl -s -H "Cookie: $COOKIE" "$BASE/missions/$mission" | grep -o 'href="/recommendations/[0-9]*"' | head -1 | grep -o '[0-9]*' || true)
        table_head "## $backend, $n missions" "Seeding: $seed_line. Cold start to first response: $COLD_MS ms."
        # Unrecorded warm-up: the first seconds after a start answered /healthz at a fifth of its later rate,
        # which flattered every ratio of the run.
        wrk -t2 -c"$CONNECTIONS" -d3s "$BASE/healthz" >/dev/null
        measure "/healthz, bare" "/healthz" - bare
        measure "/healthz, signed in" "/healthz" -
        signed_in_pages "missions, page $reached" "$page_path"
        article=${ARTICLE_PATH:-$(curl -s "$BASE/tin-tuc" | grep -o 'href="/tin-tuc/[^"/]*"' | grep -v chuyen-muc | head -1 | sed 's/href="//; s/"$//' || true)}
        measure "public article" "${article:-/tin-tuc/none}" ratio:60 bare
        measure "portal index" "/tin-tuc" ratio:60 bare
        measure "Atom feed" "$FEED_PATH" ratio:60 bare
        measure "/healthz, signed in (again)" "/healthz" -
        measure "/healthz, bare (again)" "/healthz" - bare
        write_table "$backend"
        rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
        seed_s=$(grep -o 'in [0-9.]* s' <<<"$seed_line" | grep -o '[0-9.]*' || echo 0)
        {
            echo
            echo "- Peak RSS of the server (VmHWM) after the run: $rss MB ($(verdict "$rss" 200) < 200 MB)."
            echo "- Cold start: $COLD_MS ms ($(verdict "$COLD_MS" 300) < 300 ms)."
            echo "- Seeding: $seed_s s for $n missions$( [ "$n" -ge 100000 ] && echo " ($(verdict "$seed_s" 120) < 120 s)")."
            echo
        } >>"$OUT"
        stop_server
        # The same signed-in pages rendered on every request: the page cache kept them above, which measures
        # a page read again while nothing changed, not what a page costs after a write.
        PAGE_CACHE_MB=0 start_server "$url"
        table_head "### $backend, $n missions, every page rendered (\`GIAMSAT_PAGE_CACHE_MB=0\`)"
        wrk -t2 -c"$CONNECTIONS" -d3s "$BASE/healthz" >/dev/null
        measure "/healthz, bare" "/healthz" - bare
        measure "/healthz, signed in" "/healthz" -
        signed_in_pages
        measure "/healthz, signed in (again)" "/healthz" -
        measure "/healthz, bare (again)" "/healthz" - bare
        write_table "$backend, rendered"
        echo >>"$OUT"
        stop_server
    done
done

# Growth: each page's rate at the smallest size over its rate at the largest, per backend (target <= 2).
if [ -s "$WORK/all" ] && [ "$(wc -w <<<"$SIZES")" -gt 1 ]; then
    {
        echo "## Growth from $(awk '{print $1}' <<<"$SIZES") to $(awk '{print $NF}' <<<"$SIZES") missions (target: at most 2x slower)"
        echo
        echo "| backend | page | slowdown |"
        echo "|---|---|---:|"
        awk -F'\t' '
            { key = $1 "\t" $2; if (!(key in first)) { first[key] = $3; order[++n] = key } last[key] = $3 }
            END { for (i = 1; i <= n; i++) { k = order[i]; split(k, f, "\t")
                  r = last[k] > 0 ? first[k] / last[k] : 0
                  printf "| %s | %s | %.2fx (%s) |\n", f[1], f[2], r, r <= 2 ? "met" : "missed" } }' "$WORK/all"
        echo
    } >>"$OUT"
fi

echo
cat "$OUT"
[ -n "$QUICK" ] || echo "written to $OUT"
