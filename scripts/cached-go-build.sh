# Sourced by the scripts that build a test tool from its Go module (install-kube.sh,
# install-actionlint.sh). The tool goes into .tiergate/bin (git-ignored); a built binary is also
# kept in ${XDG_CACHE_HOME:-~/.cache}/tiergate, so a fresh clone on the same machine copies it and
# a tool already in place is skipped at once. Go's build cache makes a rebuild a link step.
#
# install_cached NAME VERSION, with two functions defined by the caller:
#   is_version FILE   true when FILE is NAME at VERSION
#   build_into FILE   builds NAME at VERSION into FILE

say() { printf '%s: %s\n' "$(basename "$0" .sh)" "$*" >&2; }

install_cached() {
  local name="$1" version="$2"
  local root bin cache_dir cached started
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  bin="$root/.tiergate/bin/$name"
  cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/tiergate"
  cached="$cache_dir/$name-$version"

  if [[ -x "$bin" ]] && is_version "$bin"; then
    say "$name $version is already built: $bin"
    return 0
  fi
  mkdir -p "$(dirname "$bin")" "$cache_dir"
  if [[ -x "$cached" ]] && is_version "$cached"; then
    cp "$cached" "$bin"
    say "$name $version copied from $cached"
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    say "Go is not installed: install Go >= 1.24 (https://go.dev/dl/) and run this script again."
    return 1
  fi
  say "building $name $version with $(go env GOVERSION)"
  started=$SECONDS
  build_into "$cached.tmp"
  mv "$cached.tmp" "$cached"
  cp "$cached" "$bin"
  say "built in $((SECONDS - started)) s: $bin"
}
