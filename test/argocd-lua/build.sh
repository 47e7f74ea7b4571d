#!/usr/bin/env bash
# Builds test/argocd-lua/ (its own Go module: Argo CD's Lua VM for health checks, on gopher-lua) from the Go module
# proxy into ~/.cache/rbi-operator/bin/ on first use and prints the binary's path (e2e/build-go-program.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../../e2e/build-go-program.sh" argocd-lua "$here" github.com/yuin/gopher-lua
