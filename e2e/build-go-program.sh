#!/usr/bin/env bash
# Builds one of the project's small Go programs (its own module: the benchmark's kstatus peer, Argo CD's Lua VM for
# the health check's tests) from the Go module proxy into a cache outside the checkout, and prints the binary's
# path. The cache key is the version of the program's main dependency and a hash of its source (main.go, go.mod,
# go.sum): a changed program or version builds again, anything else is reused.
#
#   e2e/build-go-program.sh <name> <source dir> <main module>   e.g. kstatus-poller bench/peers/kstatus-poller sigs.k8s.io/cli-utils
#   RBI_CACHE_DIR=/x e2e/build-go-program.sh …
set -euo pipefail

name=$1
src=$(cd "$2" && pwd)
module=$3
cache=${RBI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rbi-operator}
if ! command -v go >/dev/null 2>&1; then
  echo "error: Go (1.23 or newer) is needed to build $name ($src); install it from https://go.dev/dl/" >&2
  exit 2
fi
version=$(sed -n "s#^[[:space:]]*$module \\(v[^[:space:]]*\\).*#\\1#p" "$src/go.mod" | head -n 1)
[ -n "$version" ] || { echo "error: no $module version in $src/go.mod" >&2; exit 1; }
hash=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)
out="$cache/bin/$name-$version-$hash"
if [ -x "$out/$name" ]; then
  echo "$out/$name"
  exit 0
fi
mkdir -p "$cache/bin" "$cache/logs"
log="$cache/logs/build-$name-$version-$hash.log"
scratch=$(mktemp -d "$cache/build-$name.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
echo "building $name ($module $version, source $hash; log: $log)" >&2
start=$(date +%s)
# Reproducible and self-contained, as e2e/build-binaries.sh: no workspace, no toolchain switching, go.sum as committed.
if ! (cd "$src" && GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly \
  go build -trimpath -ldflags "-s -w" -o "$scratch/$name" .) >"$log" 2>&1; then
  echo "error: building $name failed; last lines of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"
mv "$scratch/$name" "$out/$name"
echo "built $name in $(($(date +%s) - start))s" >&2
echo "$out/$name"
