#!/usr/bin/env bash
# Builds the benchmark's kstatus peer (bench/peers/kstatus-poller/, its own Go module on sigs.k8s.io/cli-utils) from
# the Go module proxy into ~/.cache/rbi-operator/bin/ on first use and prints the binary's path (e2e/build-go-program.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../../e2e/build-go-program.sh" kstatus-poller "$here/kstatus-poller" sigs.k8s.io/cli-utils
