#!/usr/bin/env bash
# Builds the benchmark's kstatus peer (bench/peers/kstatus-poller/, its own Go module) from the Go module proxy into
# a cache outside the checkout, and prints the binary's path. The cache key is the cli-utils version and a hash of
# the program's source (main.go, go.mod, go.sum): a changed program or version builds again, anything else is reused.
#
#   bench/peers/build-kstatus-poller.sh        build if missing, print the path
#   RBI_CACHE_DIR=/x bench/peers/build-kstatus-poller.sh
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/kstatus-poller" && pwd)
cache=${RBI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rbi-operator}
if ! command -v go >/dev/null 2>&1; then
  echo "error: Go (1.22 or newer) is needed to build the benchmark's kstatus peer; install it from https://go.dev/dl/" >&2
  exit 2
fi
version=$(sed -n 's#^[[:space:]]*sigs.k8s.io/cli-utils \(v[^[:space:]]*\).*#\1#p' "$src/go.mod" | head -n 1)
[ -n "$version" ] || { echo "error: no sigs.k8s.io/cli-utils version in $src/go.mod" >&2; exit 1; }
hash=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)
out="$cache/bin/kstatus-poller-$version-$hash"
if [ -x "$out/kstatus-poller" ]; then
  echo "$out/kstatus-poller"
  exit 0
fi
mkdir -p "$cache/bin" "$cache/logs"
log="$cache/logs/build-kstatus-poller-$version-$hash.log"
scratch=$(mktemp -d "$cache/build-kstatus-poller.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
echo "building kstatus-poller (cli-utils $version, source $hash; log: $log)" >&2
start=$(date +%s)
# Reproducible and self-contained, as e2e/build-binaries.sh: no workspace, no toolchain switching, go.sum as committed.
if ! (cd "$src" && GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly \
  go build -trimpath -ldflags "-s -w" -o "$scratch/kstatus-poller" .) >"$log" 2>&1; then
  echo "error: building kstatus-poller failed; last lines of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"
mv "$scratch/kstatus-poller" "$out/kstatus-poller"
echo "built kstatus-poller in $(($(date +%s) - start))s" >&2
echo "$out/kstatus-poller"
