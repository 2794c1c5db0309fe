#!/usr/bin/env bash
# Prints the folder of node-llama-cpp's prebuilt llama.cpp libraries for one natives classifier,
# fetched from npm (native/prebuilt.lock pins each package by integrity) and extracted into the
# cache; for CUDA also the ext package's module and the CUDA runtime from Debian (pinned by sha256).
#   usage: fetch-prebuilt.sh <classifier: linux-arm64, linux-x86_64-cuda, macosx-arm64, windows-x86_64>
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

platform="${1:?usage: fetch-prebuilt.sh <classifier, e.g. linux-arm64>}"
lock="$ROOT/native/prebuilt.lock"
has() { grep -q "^$platform\.$1=" "$lock"; }
value() { lock_file_value "$lock" "$platform.$1"; }

dest="$CACHE_DIR/prebuilt/$platform-$(grep "^$platform\." "$lock" | sha256sum | cut -c1-12)"
if [ ! -f "$dest/.complete" ]; then
  rm -rf "$dest"; mkdir -p "$dest"
  tgz="$(npm_fetch "$(value package)" "$(value version)" "$(value integrity)")"
  tar -xzf "$tgz" -C "$dest" --strip-components 3 "package/bins/$(value bins)" \
    || die "$(value package)@$(value version) has no bins/$(value bins)"
  tag="$(lock_value upstream.tag)"
  grep -q "\"release\":\"$tag\"" "$dest/_nlcBuildMetadata.json" \
    || die "$(value package)@$(value version) was not built from llama.cpp $tag: $(cat "$dest/_nlcBuildMetadata.json")"
  if has ext.package; then
    # A file of the ext package replaces the main package's one of the same name.
    ext="$(npm_fetch "$(value ext.package)" "$(value ext.version)" "$(value ext.integrity)")"
    file="$(value ext.file)"
    tar -xzf "$ext" -C "$dest" --strip-components "$(tr -cd / <<< "$file" | wc -c)" "$file" \
      || die "$(value ext.package) has no $file"
  fi
  if has deb; then
    debs="$(mktemp -d)"
    while read -r pkg version sum; do
      debian_package "$(value debian.suite)" amd64 "$pkg" "$version" "$sum" "$debs" "$lock"
    done < <(sed -n "s/^$platform\.deb=//p" "$lock")
    for lib in $(value extras); do
      found="$(find "$debs" -name "$lib" | head -1)"
      [ -n "$found" ] || die "no $lib in the Debian packages $platform takes"
      cp -L "$found" "$dest/$lib"
    done
    rm -rf "$debs"
  fi
  touch "$dest/.complete"
fi
printf '%s\n' "$dest"
