# Builds test/kstatus/ (its own Go module: cli-utils' kstatus status.Compute, what Flux and kpt judge health with)
# from the Go module proxy into ~/.cache/rbi-operator/bin/ on first use and prints the binary's path
# (e2e/build-go-program.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../../e2e/build-go-program.sh" kstatus "$here" sigs.k8s.io/cli-utils
