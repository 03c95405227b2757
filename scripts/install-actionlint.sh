#!/usr/bin/env bash
# Builds actionlint, which the tests run on the GitHub Actions workflow `tiergate init` writes,
# into .tiergate/bin (git-ignored) from its Go module github.com/rhysd/actionlint. Test setup
# only: tiergate never runs it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cached-go-build.sh"

ACTIONLINT_VERSION="v1.7.12"

is_version() { [[ "$("$1" -version 2>/dev/null | head -n 1)" == "$ACTIONLINT_VERSION" ]]; }

build_into() {
  local gobin
  gobin="$(mktemp -d)"
  GOBIN="$gobin" GOFLAGS="${GOFLAGS:-} -modcacherw" go install -trimpath -ldflags "-s -w" \
    "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  mv "$gobin/actionlint" "$1"
  rmdir "$gobin"
}

install_cached actionlint "$ACTIONLINT_VERSION"
