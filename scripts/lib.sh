# Shared helpers for the project's scripts. Source it; do not run it.
# Everything here finds tools itself: nobody has to export anything by hand.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Native builds and downloads are cached outside the clone so a fresh clone stays warm.
CACHE_DIR="${LLAMA_JVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llama-jvm}"

log() { printf '[llama-jvm] %s\n' "$*" >&2; }
die() { printf '[llama-jvm] error: %s\n' "$*" >&2; exit 1; }

# Reads KEY from native/llama.cpp.lock.
lock_value() {
  local v
  v="$(sed -n "s/^$1=//p" "$ROOT/native/llama.cpp.lock")"
  [ -n "$v" ] || die "native/llama.cpp.lock has no value for $1"
  printf '%s' "$v"
}

# Installs missing Debian packages when we may (root or passwordless sudo); otherwise names them.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else
      die "missing Debian packages: ${missing[*]} (install them: apt-get install ${missing[*]})"
    fi
  fi
  log "installing Debian packages: ${missing[*]}"
  $sudo apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
    || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q "${missing[@]}" >/dev/null; } \
    || die "could not install: ${missing[*]}"
}

# Prints the feature version (22, 25, ...) of the JDK at home $1, or nothing if it has none.
jdk_version() {
  local v
  v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  printf '%s' "${v%%.*}"
}

# Prints the home of a JDK >= 22 (the Panama path needs java.lang.foreign final).
find_jdk() {
  local candidates=() c v
  [ -n "${LLAMA_JVM_JDK:-}" ] && candidates+=("$LLAMA_JVM_JDK")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/*; do candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    v="$(jdk_version "$c")"
    if [ -n "$v" ] && [ "$v" -ge 22 ] 2>/dev/null; then printf '%s' "$c"; return 0; fi
  done
  die "no JDK 22 or newer found (looked at \$LLAMA_JVM_JDK, \$JAVA_HOME, /usr/lib/jvm/*); install one, e.g. Temurin 25"
}

# Installs the Debian package for each missing command; args are command:package pairs.
ensure_commands() {
  local pair pkgs=()
  for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || pkgs+=("${pair#*:}"); done
  [ ${#pkgs[@]} -eq 0 ] || ensure_packages "${pkgs[@]}"
}

# Build tools every native build needs (npm may come from Node.js rather than Debian).
ensure_build_tools() {
  ensure_commands cmake:cmake ninja:ninja-build g++:g++ git:git npm:npm ccache:ccache openssl:openssl
}

# Runs Maven on the project with a JDK >= 22 (quiet unless MAVEN_VERBOSE=1).
maven() {
  local jdk; jdk="$(find_jdk)"
  ensure_commands mvn:maven
  local quiet=(-q)
  [ "${MAVEN_VERBOSE:-0}" = 1 ] && quiet=(--no-transfer-progress)
  # Maven 3.8 on JDK 24+ warns about sun.misc.Unsafe on every run; that noise is not ours. The
  # option that silences it exists from JDK 23 on: JDK 22 refuses to start with it.
  local opts="${MAVEN_OPTS:-}"
  if [ "$(jdk_version "$jdk")" -ge 23 ]; then opts="$opts --sun-misc-unsafe-memory-access=allow"; fi
  JAVA_HOME="$jdk" MAVEN_OPTS="$opts" \
    mvn -B -Dstyle.color=never "${quiet[@]}" -f "$ROOT/pom.xml" "$@"
}
