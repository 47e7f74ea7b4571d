#!/usr/bin/env bash
# Builds the pinned control-plane binaries (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
# etcd, kwok) and helm (the chart's tests) from Go modules into a cache outside the checkout, and prints the directory of each.
#
#   e2e/build-binaries.sh            build what is missing, print "name=path" lines
#   RBI_CACHE_DIR=/x e2e/build-binaries.sh
#
# Cache layout: $RBI_CACHE_DIR/bin/<component>-<version>/<binary>. A component is rebuilt only when its version
# (e2e/versions.env) changes or its binaries are missing. Build logs go to $RBI_CACHE_DIR/logs/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"

cache=${RBI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rbi-operator}
bin_root="$cache/bin"
log_dir="$cache/logs"
mkdir -p "$bin_root" "$log_dir"

if ! command -v go >/dev/null 2>&1; then
  echo "error: Go (1.26 or newer) is needed to build the local control plane; install it from https://go.dev/dl/ (or use 'make kind-up' where Docker exists)" >&2
  exit 2
fi

# Reproducible, self-contained builds: no workspace, no toolchain switching, static binaries.
export GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

now() { date +%s; }

# build_component <name> <version> <binaries...> -- <function>
# Runs <function> <outdir> in a scratch module when any binary is missing, then moves the result into place atomically.
build_component() {
  local name=$1 version=$2; shift 2
  local bins=()
  while [ "$1" != "--" ]; do bins+=("$1"); shift; done
  shift
  local fn=$1
  local out="$bin_root/$name-$version"
  local missing=0
  for b in "${bins[@]}"; do [ -x "$out/$b" ] || missing=1; done
  if [ $missing -eq 0 ]; then
    echo "$name=$out"
    return 0
  fi
  local scratch
  scratch=$(mktemp -d "$cache/build-$name.XXXXXX")
  local log="$log_dir/build-$name-$version.log"
  echo "building $name $version (log: $log)" >&2
  local start
  start=$(now)
  if ! (cd "$scratch" && "$fn" "$scratch/out" "$version") >"$log" 2>&1; then
    echo "error: building $name $version failed; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    rm -rf "$scratch"
    exit 1
  fi
  rm -rf "$out"
  mv "$scratch/out" "$out"
  rm -rf "$scratch"
  echo "built $name $version in $(($(now) - start))s" >&2
  echo "$name=$out"
}

# Kubernetes: k8s.io/kubernetes requires its staging modules at v0.0.0 with "=> ./staging/..." replaces, so it cannot be
# "go install"ed. A wrapper module replaces every staging module by its published v0.X.Y tag instead.
build_kubernetes() {
  local out=$1 version=$2
  local minor="v0.${version#v1.}"
  go mod init rbi-operator.local/controlplane
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  [ -f "$gomod" ] || { echo "cannot find go.mod of k8s.io/kubernetes@$version"; return 1; }
  local m
  for m in $(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod"); do
    go mod edit "-replace=$m=$m@$minor"
  done
  local pkgs=()
  for m in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    pkgs+=("k8s.io/kubernetes/cmd/$m")
  done
  go get "${pkgs[@]/%/@$version}"
  mkdir -p "$out"
  go build -trimpath -ldflags "-s -w \
    -X k8s.io/component-base/version.gitVersion=$version \
    -X k8s.io/component-base/version.gitMajor=1 \
    -X k8s.io/component-base/version.gitMinor=$(echo "$version" | cut -d. -f2) \
    -X k8s.io/client-go/pkg/version.gitVersion=$version" -o "$out/" "${pkgs[@]}"
}

# etcd: server/v3 carries monorepo replaces, so "go install" is refused; a wrapper main calls etcdmain like upstream's.
build_etcd() {
  local out=$1 version=$2
  go mod init rbi-operator.local/etcd
  cat >main.go <<'GO'
// Wrapper around etcd's own entry point (go.etcd.io/etcd/server/v3/main.go does the same).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  go get "go.etcd.io/etcd/server/v3@$version"
  go mod tidy
  mkdir -p "$out"
  go build -trimpath -ldflags "-s -w" -o "$out/etcd" .
}

# kwok: a plain module without replaces, so "go install" works.
build_kwok() {
  local out=$1 version=$2
  mkdir -p "$out"
  GOBIN="$out" go install -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$version" "sigs.k8s.io/kwok/cmd/kwok@$version"
}

# helm: a plain module without replaces, so "go install" works; its version is stamped as helm's own Makefile does.
build_helm() {
  local out=$1 version=$2
  mkdir -p "$out"
  GOBIN="$out" go install -trimpath -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$version -X helm.sh/helm/v4/internal/version.metadata=" "helm.sh/helm/v4/cmd/helm@$version"
}

want=${1:-all}
case "$want" in
  all)
    # The three builds run side by side: a cold build is mostly module downloads, which overlap well.
    out_dir=$(mktemp -d)
    pids=()
    for c in etcd kwok kubernetes helm; do
      bash "${BASH_SOURCE[0]}" "$c" >"$out_dir/$c" &
      pids+=($!)
    done
    rc=0
    for pid in "${pids[@]}"; do wait "$pid" || rc=$?; done
    cat "$out_dir"/etcd "$out_dir"/kwok "$out_dir"/kubernetes "$out_dir"/helm
    rm -rf "$out_dir"
    exit $rc
    ;;
  etcd) build_component etcd "$ETCD_VERSION" etcd -- build_etcd ;;
  kwok) build_component kwok "$KWOK_VERSION" kwok -- build_kwok ;;
  kubernetes) build_component kubernetes "$KUBERNETES_VERSION" kube-apiserver kube-controller-manager kube-scheduler kubectl -- build_kubernetes ;;
  helm) build_component helm "$HELM_VERSION" helm -- build_helm ;;
  *) echo "usage: $0 [all|etcd|kwok|kubernetes|helm]" >&2; exit 2 ;;
esac
