#!/usr/bin/env bash
# Prints a Linux arm64 root folder holding a JDK 25 and the C and C++ runtimes it needs, for running
# a JVM under qemu-aarch64 (qemu-aarch64 -L <root> <root>/usr/lib/jvm/java-25-openjdk-arm64/bin/java).
# The packages are Debian trixie's, pinned by sha256 in scripts/arm64-sysroot.lock.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

lock="$ROOT/scripts/arm64-sysroot.lock"
suite="$(lock_file_value "$lock" suite)"; arch="$(lock_file_value "$lock" arch)"
root="$CACHE_DIR/sysroot/$arch-$(sha256sum "$lock" | cut -c1-12)"
if [ ! -f "$root/.complete" ]; then
  rm -rf "$root"; mkdir -p "$root"
  while read -r pkg version sum; do
    debian_package "$suite" "$arch" "$pkg" "$version" "$sum" "$root" "$lock"
  done < <(sed -n 's/^deb=//p' "$lock")
  # Debian's merged /usr: the dynamic loader is looked up under /lib.
  [ -e "$root/lib" ] || ln -s usr/lib "$root/lib"
  # The kernel resolves symbolic links itself, outside qemu's -L root: absolute ones (the JDK's
  # conf/ points into /etc) must name their target inside this root.
  while IFS= read -r link; do
    ln -sfn "$root$(readlink "$link")" "$link"
  done < <(find "$root" -type l -lname '/*')
  java="$(ls "$root"/usr/lib/jvm/*/bin/java 2>/dev/null | head -1)"
  [ -x "$java" ] || die "no java in the arm64 root $root"
  touch "$root/.complete"
fi
printf '%s\n' "$root"
