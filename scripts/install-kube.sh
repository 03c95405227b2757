#!/usr/bin/env bash
# Builds the kube-apiserver the Kubernetes tests run against into .tiergate/bin (git-ignored),
# from the Go module k8s.io/kubernetes (scripts/kube/go.mod pins the version and points its
# staging modules at the matching releases; several minutes the first time). Test setup only:
# tiergate itself talks to whatever cluster the kubeconfig names. etcd comes from Debian
# (apt-get install etcd-server).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cached-go-build.sh"

KUBE_VERSION="v1.34.3"

is_version() { "$1" --version 2>/dev/null | grep -qx "Kubernetes $KUBE_VERSION"; }

build_into() {
  local pkg="k8s.io/component-base/version" out="$1"
  local ldflags="-s -w -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=34 -X $pkg.gitTreeState=clean"
  (cd "$(dirname "${BASH_SOURCE[0]}")/kube" && GOFLAGS="${GOFLAGS:-} -modcacherw" go build -trimpath \
    -ldflags "$ldflags" -o "$out" k8s.io/kubernetes/cmd/kube-apiserver)
}

install_cached kube-apiserver "$KUBE_VERSION"
