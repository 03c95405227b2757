#!/usr/bin/env bash
# Builds the pinned k6 into .tiergate/bin/k6 (git-ignored), where tiergate's k6 engine looks
# after PATH. Needs Go >= 1.25 and the Go module proxy. Nothing is done when k6 is already on
# PATH (set K6_FORCE=1 to build anyway).
#
# Pinned: go.k6.io/k6 at K6_PINNED_VERSION in runner/engines/k6/pinned.ts (the newest k6 release
# on the module proxy tiergate was built against; k6 v2 moved to the module path
# go.k6.io/k6/v2). To build another version:
#   K6_MODULE=go.k6.io/k6/v2 K6_VERSION=v2.2.0 bash scripts/install-k6.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.tiergate/bin"

pinned="$(sed -n "s/^export const K6_PINNED_VERSION = '\(.*\)';$/\1/p" "$root/runner/engines/k6/pinned.ts")"
K6_MODULE="${K6_MODULE:-go.k6.io/k6}"
K6_VERSION="${K6_VERSION:-$pinned}"
GO_MIN_MINOR=25

say() { printf 'install-k6: %s\n' "$*" >&2; }

if [[ -z "$K6_VERSION" ]]; then
  say "no K6_PINNED_VERSION found in runner/engines/k6/pinned.ts: set K6_VERSION=v1.x.y"
  exit 1
fi

if [[ -z "${K6_FORCE:-}" ]] && command -v k6 >/dev/null 2>&1; then
  say "k6 is already on PATH: $(command -v k6) ($(k6 version 2>/dev/null | head -n1))"
  exit 0
fi

if [[ -x "$bin_dir/k6" ]] && "$bin_dir/k6" version 2>/dev/null | grep -q "k6 $K6_VERSION "; then
  say "k6 $K6_VERSION is already built: $bin_dir/k6"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed, and k6 is not on PATH."
  say "Either install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/: packages, Docker,"
  say "or a release binary on PATH), or install Go >= 1.$GO_MIN_MINOR (https://go.dev/dl/) and run"
  say "this script again."
  exit 1
fi

go_version="$(go env GOVERSION)" # go1.26.8
minor="$(sed -E 's/^go1\.([0-9]+).*/\1/' <<<"$go_version")"
if [[ ! "$minor" =~ ^[0-9]+$ ]] || ((minor < GO_MIN_MINOR)); then
  say "k6 $K6_VERSION needs Go >= 1.$GO_MIN_MINOR; this machine has $go_version."
  say "Upgrade Go (https://go.dev/dl/), or install k6 itself (https://grafana.com/docs/k6/latest/set-up/install-k6/)."
  exit 1
fi

mkdir -p "$bin_dir"
say "building $K6_MODULE@$K6_VERSION with $go_version into $bin_dir (takes a few minutes the first time)"
started=$SECONDS
# -modcacherw: a module cache the user can delete without chmod.
GOFLAGS="${GOFLAGS:-} -modcacherw" GOBIN="$bin_dir" go install "$K6_MODULE@$K6_VERSION"
say "built in $((SECONDS - started)) s: $("$bin_dir/k6" version | head -n1)"
say "tiergate finds it there; to run k6 yourself: $bin_dir/k6 run scenarios/ecommerce.ts ..."
