# Builds test/promrules/ (its own Go module: Prometheus' rule evaluation, PromQL engine and TSDB, as promtool and
# Prometheus use them) from the Go module proxy into ~/.cache/rbi-operator/bin/ on first use and prints the binary's
# path (e2e/build-go-program.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../../e2e/build-go-program.sh" promrules "$here" github.com/prometheus/prometheus
