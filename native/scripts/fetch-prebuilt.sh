#!/usr/bin/env bash
# Prints the folder of node-llama-cpp's prebuilt llama.cpp libraries for one platform, fetched from
# npm (native/prebuilt.lock pins the package and its integrity) and extracted into the cache.
#   usage: fetch-prebuilt.sh <classifier: linux-arm64, macosx-arm64, windows-x86_64>
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

platform="${1:?usage: fetch-prebuilt.sh <classifier, e.g. linux-arm64>}"
lock="$ROOT/native/prebuilt.lock"
pkg="$(lock_file_value "$lock" "$platform.package")"; ver="$(lock_file_value "$lock" "$platform.version")"
dest="$CACHE_DIR/prebuilt/$platform-$ver"
if [ ! -f "$dest/.complete" ]; then
  tgz="$(npm_fetch "$pkg" "$ver" "$(lock_file_value "$lock" "$platform.integrity")")"
  rm -rf "$dest"; mkdir -p "$dest"
  bins="$(lock_file_value "$lock" "$platform.bins")"
  tar -xzf "$tgz" -C "$dest" --strip-components 3 "package/bins/$bins" || die "$pkg@$ver has no bins/$bins"
  tag="$(lock_value upstream.tag)"
  grep -q "\"release\":\"$tag\"" "$dest/_nlcBuildMetadata.json" \
    || die "$pkg@$ver was not built from llama.cpp $tag: $(cat "$dest/_nlcBuildMetadata.json")"
  touch "$dest/.complete"
fi
printf '%s\n' "$dest"
