#!/usr/bin/env bash
# Builds test/k8splugin-client/ (its own Go module: an ONAP k8splugin Go client's decoding of the read API, on
# k8s.io/apimachinery) from the Go module proxy into ~/.cache/rbi-operator/bin/ on first use and prints the binary's
# path (e2e/build-go-program.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../../e2e/build-go-program.sh" k8splugin-client "$here" k8s.io/apimachinery
