#!/usr/bin/env bash
# Prints the directory of the pinned llama.cpp source, materialising it first if needed.
#  1. native/llama.cpp, when it is a checkout (e.g. a submodule of upstream at the pinned tag);
#  2. otherwise the git bundle inside the pinned npm package, cloned into the cache.
# Either way the source tree hash must equal source.tree from native/llama.cpp.lock.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

tree="$(lock_value source.tree)"
tag="$(lock_value upstream.tag)"

tree_of() { git -C "$1" rev-parse 'HEAD^{tree}' 2>/dev/null || true; }

# A checkout with local edits would build something other than the pin.
require_clean() {
  [ -z "$(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null)" ] \
    || die "$1 has local changes; the pinned source must be unmodified"
}

checkout="$ROOT/native/llama.cpp"
if [ -e "$checkout/.git" ]; then
  actual="$(tree_of "$checkout")"
  [ "$actual" = "$tree" ] || die "native/llama.cpp has source tree $actual, but native/llama.cpp.lock pins $tree (tag $tag). Check out $tag there, or remove it to use the registry bundle."
  require_clean "$checkout"
  printf '%s\n' "$checkout"; exit 0
fi

dest="$CACHE_DIR/src/llama.cpp-$tree"
if [ -d "$dest/.git" ] && [ "$(tree_of "$dest")" = "$tree" ]; then
  printf '%s\n' "$dest"; exit 0
fi

ensure_commands git:git
pkg="$(lock_value npm.package)"; ver="$(lock_value npm.version)"; bundle="$(lock_value npm.bundle)"
tgz="$(npm_fetch "$pkg" "$ver" "$(lock_value npm.integrity)")"

work="$(mktemp -d)"
tar -xzf "$tgz" -C "$work" "$bundle"
rm -rf "$dest.tmp"; mkdir -p "$(dirname "$dest")"
git clone --quiet "$work/$bundle" "$dest.tmp" 2>/dev/null || die "cloning the llama.cpp bundle from $pkg@$ver failed"
rm -rf "$work"
actual="$(tree_of "$dest.tmp")"
if [ "$actual" != "$tree" ]; then
  rm -rf "$dest.tmp"
  die "the bundle in $pkg@$ver has source tree $actual, but native/llama.cpp.lock pins $tree; refusing to build it"
fi
rm -rf "$dest"; mv "$dest.tmp" "$dest"
log "llama.cpp $tag (tree $tree) materialised in $dest"
printf '%s\n' "$dest"
