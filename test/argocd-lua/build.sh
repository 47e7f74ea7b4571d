#!/usr/bin/env bash
# Builds test/argocd-lua/ (its own Go module: Argo CD's Lua VM for health checks, gopher-lua) from the Go module proxy
# into a cache outside the checkout, and prints the binary's path. The cache key is the gopher-lua version and a hash
# of the program's source (main.go, go.mod, go.sum): a changed program or version builds again, anything else is
# reused. Modelled on bench/peers/build-kstatus-poller.sh.
#
#   test/argocd-lua/build.sh        build if missing, print the path
#   RBI_CACHE_DIR=/x test/argocd-lua/build.sh
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${RBI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rbi-operator}
if ! command -v go >/dev/null 2>&1; then
  echo "error: Go (1.23 or newer) is needed to build test/argocd-lua (Argo CD's Lua VM, for the health check's tests); install it from https://go.dev/dl/" >&2
  exit 2
fi
version=$(sed -n 's#^[[:space:]]*github.com/yuin/gopher-lua \(v[^[:space:]]*\).*#\1#p' "$src/go.mod" | head -n 1)
[ -n "$version" ] || { echo "error: no github.com/yuin/gopher-lua version in $src/go.mod" >&2; exit 1; }
hash=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)
out="$cache/bin/argocd-lua-$version-$hash"
if [ -x "$out/argocd-lua" ]; then
  echo "$out/argocd-lua"
  exit 0
fi
mkdir -p "$cache/bin" "$cache/logs"
log="$cache/logs/build-argocd-lua-$version-$hash.log"
scratch=$(mktemp -d "$cache/build-argocd-lua.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
echo "building argocd-lua (gopher-lua $version, source $hash; log: $log)" >&2
start=$(date +%s)
# Reproducible and self-contained, as e2e/build-binaries.sh: no workspace, no toolchain switching, go.sum as committed.
if ! (cd "$src" && GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly \
  go build -trimpath -ldflags "-s -w" -o "$scratch/argocd-lua" .) >"$log" 2>&1; then
  echo "error: building argocd-lua failed; last lines of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"
mv "$scratch/argocd-lua" "$out/argocd-lua"
echo "built argocd-lua in $(($(date +%s) - start))s" >&2
echo "$out/argocd-lua"
