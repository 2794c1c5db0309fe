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

tag="$(lock_value upstream.tag)"
# Keyed by the platform's lock lines, the llama.cpp tag and this script: a change to any of them
# fetches again (and checks the tag again).
dest="$CACHE_DIR/prebuilt/$platform-$({ grep "^$platform\." "$lock"; echo "$tag"; cat "${BASH_SOURCE[0]}"; } | sha256sum | cut -c1-12)"
if [ ! -f "$dest/.complete" ]; then
  rm -rf "$dest"; mkdir -p "$dest"
  tgz="$(npm_fetch "$(value package)" "$(value version)" "$(value integrity)")"
  tar -xzf "$tgz" -C "$dest" --strip-components 3 "package/bins/$(value bins)" \
    || die "$(value package)@$(value version) has no bins/$(value bins)"
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
  # node-llama-cpp's Linux libraries carry RUNPATH "$ORIGIN:", whose empty element is the working
  # directory: a libcuda.so.1 there would be loaded. Only their own folder is searched.
  if [[ "$platform" == linux-* ]]; then
    ensure_commands patchelf:patchelf
    for f in "$dest"/*.so*; do
      if [ -n "$(patchelf --print-rpath "$f" 2>/dev/null)" ]; then
        patchelf --set-rpath '$ORIGIN' "$f" || die "patchelf could not set the RUNPATH of $f"
      fi
    done
  fi
  touch "$dest/.complete"
fi
printf '%s\n' "$dest"
