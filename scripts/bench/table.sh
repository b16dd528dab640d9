#!/usr/bin/env bash
# table.sh RESULTS "SERVERS": the median of every headline figure per server from chat-bench's
# result lines, as a Markdown table with the ratio chat-server / best peer.
# A server with any failed run of a scenario shows FAIL for it: a lossy run is not a figure.
# In the roster storm a peer that watched nothing (mode none) is shown but not used as "best".
set -euo pipefail
results=$1
servers=${2:-"chat-server ngircd inspircd"}
awk -v servers="$servers" '
function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    if (n == 0) return ""
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function show(v) {
    if (v == "") return "–"
    if (v + 0 >= 100000) return sprintf("%.2f M", v / 1e6)
    if (v + 0 >= 1000) return sprintf("%.0f", v)
    return sprintf("%.3g", v)
}
{
    delete f
    for (i = 1; i <= NF; i++) { k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v); f[k] = v }
    key = f["scenario"] SUBSEP f["server"]
    if (f["kind"] != "result") { failed[key]++; next }
    for (k in f) vals[key, k] = vals[key, k] " " f[k]
}
END {
    ns = split(servers, names, " ")
    rows = "dm msgs_per_s hi DM_throughput_(msgs/s);" \
           "fanout deliveries_per_s hi Fan-out_500_members_(deliveries/s);" \
           "latency p50_ms lo Latency_p50_at_20k_msg/s_(ms);" \
           "latency p99_ms lo Latency_p99_at_20k_msg/s_(ms);" \
           "latency p999_ms lo Latency_p999_at_20k_msg/s_(ms);" \
           "idle bytes_per_conn lo Memory_per_idle_connection_(bytes);" \
           "idle reg_p50_ms lo Registration_p50_with_10k_online_(ms);" \
           "join seconds lo Join_storm_1000_(s);" \
           "join bytes lo Join_storm_1000_(bytes_received);" \
           "roster seconds lo Roster_storm_1000_(s);" \
           "roster bytes lo Roster_storm_1000_(bytes_received);" \
           "roster mode lo Roster_storm_watch_mode"
    header = "| figure |"; line = "|---|"
    for (s = 1; s <= ns; s++) { header = header " " names[s] " |"; line = line "---:|" }
    print header " chat-server / best peer |"; print line "---:|"
    nr = split(rows, row, ";")
    for (r = 1; r <= nr; r++) {
        split(row[r], p, " "); scen = p[1]; metric = p[2]; dir = p[3]; label = p[4]; gsub(/_/, " ", label)
        out = "| " label " |"; best = ""; mine = ""
        for (s = 1; s <= ns; s++) {
            key = scen SUBSEP names[s]
            if (metric == "mode") { v = vals[key, metric]; sub(/^ /, "", v); sub(/ .*/, "", v); out = out " " (v == "" ? "–" : v) " |"; continue }
            if (failed[key] > 0) { out = out " FAIL (" failed[key] ") |"; continue }
            m = median(vals[key, metric])
            out = out " " show(m) " |"
            if (m == "") continue
            mode = vals[key, "mode"]; sub(/^ /, "", mode); sub(/ .*/, "", mode)
            if (names[s] == "chat-server") mine = m
            else if (scen == "roster" && mode == "none") continue  # no notifications: not comparable
            else if (best == "" || (dir == "hi" && m + 0 > best + 0) || (dir == "lo" && m + 0 < best + 0)) best = m
        }
        ratio = (metric == "mode" || mine == "" || best == "" || best + 0 == 0) ? "–" : sprintf("%.2f×", mine / best)
        print out " " ratio " |"
    }
}' "$results"
