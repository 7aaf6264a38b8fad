#!/bin/sh
# Scores model.awk: how closely its predictions follow a hidden curve. POSIX sh and awk only.
#
# The last line printed is the result Kaizen reads:
#   {"score": ..., "correct": ..., "metrics": {...}, "feedback": "..."}
# score is 1 / (1 + mean squared error): 1.0 is a perfect fit, 0.0 a program that fails to run.

cd "$(dirname -- "$0")" || exit 1
LC_ALL=C
export LC_ALL

points=21

# fail MESSAGE: prints a failed result (the message escaped as a JSON string) and exits.
fail() {
    printf '%s\n' "$1" | awk '
        function esc(s,    out, i, c) {
            out = ""
            for (i = 1; i <= length(s); i++) {
                c = substr(s, i, 1)
                if (c == "\\") out = out "\\\\"
                else if (c == "\"") out = out "\\\""
                else if (c == "\t") out = out "\\t"
                else if (c ~ /[[:cntrl:]]/) out = out " "
                else out = out c
            }
            return out
        }
        { msg = msg (NR > 1 ? "\\n" : "") esc($0) }
        END { printf "{\"score\": 0, \"correct\": false, \"metrics\": {}, \"feedback\": \"%s\"}\n", msg }'
    exit 0
}

xs=$(awk -v n="$points" 'BEGIN { for (i = 0; i < n; i++) printf "%.2f\n", -1 + 0.2 * i }')
if ! predictions=$(printf '%s\n' "$xs" | awk -f model.awk 2>&1); then
    fail "model.awk failed:
$predictions"
fi

# Each prediction must be a plain finite number; line i answers x = -1 + 0.2 * (i - 1).
result=$(printf '%s\n' "$predictions" | awk -v n="$points" '
    function hidden(x) { return 0.5 * x * x - 1.5 * x + 2 }
    $0 !~ /^[ \t]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?[ \t]*$/ {
        bad = "line " NR " of the output is not a number: " substr($0, 1, 80); exit
    }
    {
        x = sprintf("%.2f", -1 + 0.2 * (NR - 1)) + 0
        e = $1 - hidden(x); sq = e * e; sum += sq; count++
        if (count == 1 || sq > worst) { worst = sq; wx = x; wy = $1 + 0 }
    }
    END {
        if (bad != "") { print "FAIL " bad; exit }
        if (count != n) { print "FAIL model.awk printed " count " numbers for " n " inputs"; exit }
        mse = sum / count
        if (!(mse < 1e300)) { print "FAIL the errors are too large to add up; model.awk prints huge values"; exit }
        maxabs = sqrt(worst)
        printf "{\"score\": %.12g, \"correct\": true, \"metrics\": {\"mse\": %.12g, \"max_abs_error\": %.12g}, ", 1 / (1 + mse), mse, maxabs
        printf "\"feedback\": \"mean squared error %.6g over %d points; the largest error, %.4g, is at x = %g (predicted %.4g, expected %.4g)\"}\n", mse, count, maxabs, wx, wy, hidden(wx)
    }')
case $result in
    FAIL\ *) fail "${result#FAIL }" ;;
esac
printf '%s\n' "$result"
