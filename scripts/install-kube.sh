#!/usr/bin/env bash
# Builds the kube-apiserver the Kubernetes tests run against into .tiergate/bin (git-ignored),
# from the Go module k8s.io/kubernetes (scripts/kube/go.mod pins the version and points its
# staging modules at the matching releases). Test setup only: tiergate itself talks to whatever
# cluster the kubeconfig names. etcd comes from Debian (apt-get install etcd-server).
#
# Go's build cache makes a rebuild a link step; a built binary is also kept in
# ${XDG_CACHE_HOME:-~/.cache}/tiergate, so a fresh clone on the same machine copies it.
set -euo pipefail

KUBE_VERSION="v1.34.3"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tiergate/bin/kube-apiserver"
cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/tiergate"
cached="$cache_dir/kube-apiserver-$KUBE_VERSION"

say() { printf 'install-kube: %s\n' "$*" >&2; }

if [[ -x "$bin" ]] && "$bin" --version 2>/dev/null | grep -qx "Kubernetes $KUBE_VERSION"; then
  say "kube-apiserver $KUBE_VERSION is already built: $bin"
  exit 0
fi

mkdir -p "$(dirname "$bin")" "$cache_dir"
if [[ -x "$cached" ]] && "$cached" --version 2>/dev/null | grep -qx "Kubernetes $KUBE_VERSION"; then
  cp "$cached" "$bin"
  say "kube-apiserver $KUBE_VERSION copied from $cached"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed: install Go >= 1.24 (https://go.dev/dl/) and run this script again."
  exit 1
fi

say "building k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION with $(go env GOVERSION) (several minutes the first time)"
started=$SECONDS
pkg="k8s.io/component-base/version"
ldflags="-s -w -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=34 -X $pkg.gitTreeState=clean"
(cd "$root/scripts/kube" && GOFLAGS="${GOFLAGS:-} -modcacherw" go build -trimpath -ldflags "$ldflags" \
  -o "$cached.tmp" k8s.io/kubernetes/cmd/kube-apiserver)
mv "$cached.tmp" "$cached"
cp "$cached" "$bin"
say "built in $((SECONDS - started)) s: $("$bin" --version)"
