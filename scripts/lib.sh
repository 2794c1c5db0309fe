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
  lock_file_value "$ROOT/native/llama.cpp.lock" "$1"
}

# Reads KEY from the lock file FILE (key=value lines).
lock_file_value() {
  local v
  v="$(sed -n "s/^$2=//p" "$1")"
  [ -n "$v" ] || die "$1 has no value for $2"
  printf '%s' "$v"
}

# Fetches PACKAGE@VERSION from the npm registry into the cache (once), checks it against INTEGRITY
# (npm's sha512 SRI string) and prints the .tgz path.
npm_fetch() {
  local pkg="$1" ver="$2" integrity="$3"
  ensure_commands npm:npm openssl:openssl
  local downloads="$CACHE_DIR/downloads"; mkdir -p "$downloads"
  local tgz="$downloads/$(printf '%s' "$pkg" | tr -d @ | tr / -)-$ver.tgz"
  if [ ! -f "$tgz" ] || [ "$(npm_sri "$tgz")" != "$integrity" ]; then
    log "fetching $pkg@$ver from the npm registry"
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "$pkg@$ver" >/dev/null) || { rm -rf "$tmp"; die "npm pack $pkg@$ver failed"; }
    mv "$tmp"/*.tgz "$tgz"; rm -rf "$tmp"
  fi
  local actual; actual="$(npm_sri "$tgz")"
  [ "$actual" = "$integrity" ] || { rm -f "$tgz"; die "$pkg@$ver integrity is $actual, the lock pins $integrity"; }
  printf '%s' "$tgz"
}

npm_sri() { printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 -w0)"; }

# Prints the APT configuration of a private state folder for Debian SUITE and architecture ARCH
# (reading the package lists once), so the machine's own sources stay untouched and packages of
# another suite or architecture are only ever downloaded and extracted, never installed.
debian_apt() {
  local suite="$1" arch="$2"
  # SUITE may name its components ("trixie non-free"); main by default.
  [[ "$suite" == *" "* ]] || suite="$suite main"
  local apt="$CACHE_DIR/apt/${suite// /-}-$arch"
  if [ ! -f "$apt/.updated" ]; then
    ensure_commands apt-get:apt dpkg-deb:dpkg
    mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/etc"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite" \
      > "$apt/etc/sources.list"
    touch "$apt/status"
    cat > "$apt/etc/apt.conf" <<CONF
Dir::State "$apt"; Dir::State::Lists "$apt/lists"; Dir::State::status "$apt/status";
Dir::Cache "$apt"; Dir::Cache::archives "$apt/archives";
Dir::Etc::SourceList "$apt/etc/sources.list"; Dir::Etc::SourceParts "/nonexistent";
APT::Architecture "$arch"; APT::Architectures { "$arch"; };
CONF
    APT_CONFIG="$apt/etc/apt.conf" apt-get update -q >"$apt/update.log" 2>&1 \
      || die "could not read Debian $suite's package lists (log: $apt/update.log)"
    touch "$apt/.updated"
  fi
  printf '%s' "$apt/etc/apt.conf"
}

# Downloads PACKAGE=VERSION of Debian SUITE for ARCH, checks its SHA256 (from a lock file named in
# messages as LOCK) and extracts it into DEST.
debian_package() {
  local suite="$1" arch="$2" pkg="$3" version="$4" sum="$5" dest="$6" lock="$7"
  local conf; conf="$(debian_apt "$suite" "$arch")"
  local archives; archives="$(dirname "$(dirname "$conf")")/archives"
  local deb="$archives/${pkg}_${version/:/%3a}_$arch.deb"  # apt-get download escapes the epoch
  if [ ! -f "$deb" ] || ! echo "$sum  $deb" | sha256sum -c --quiet >/dev/null 2>&1; then
    log "fetching $pkg $version ($arch) from Debian $suite (extracted, not installed)"
    # Package lists read on an earlier day may not name a version pinned since: read them again once.
    (cd "$archives" && APT_CONFIG="$conf" apt-get download -q "$pkg:$arch=$version" >download.log 2>&1) \
      || { APT_CONFIG="$conf" apt-get update -q >"$archives/update.log" 2>&1 \
           && (cd "$archives" && APT_CONFIG="$conf" apt-get download -q "$pkg:$arch=$version" >download.log 2>&1); } \
      || die "Debian $suite no longer serves $pkg $version (log: $archives/download.log); pin the version it has in $lock"
  fi
  echo "$sum  $deb" | sha256sum -c --quiet >/dev/null 2>&1 || die "$deb does not match the sha256 in $lock"
  mkdir -p "$dest"
  dpkg-deb -x "$deb" "$dest" || die "could not extract $deb"
}

# Extracts the one Debian package a lock file names (package, version, suite, sha256; amd64) into
# the cache and prints that folder.
debian_extract() {
  local lock="$1" pkg version
  pkg="$(lock_file_value "$lock" package)"; version="$(lock_file_value "$lock" version)"
  local dir="$CACHE_DIR/debian/$pkg-$version"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    debian_package "$(lock_file_value "$lock" suite)" amd64 "$pkg" "$version" "$(lock_file_value "$lock" sha256)" "$dir" "$lock"
    touch "$dir/.complete"
  fi
  printf '%s' "$dir"
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

# Prints the home of the newest JDK at or above MIN (default 22: the Panama engine needs
# java.lang.foreign final); the project builds on 17 too, without the Panama engine. LLAMA_JVM_JDK,
# when set, is the only candidate (to build and run as a machine with that JDK alone would).
find_jdk() {
  local min="${1:-22}" candidates=() c v best="" best_v=0
  if [ -n "${LLAMA_JVM_JDK:-}" ]; then
    candidates=("$LLAMA_JVM_JDK")
  else
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    for c in /usr/lib/jvm/*; do candidates+=("$c"); done
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    v="$(jdk_version "$c")"
    if [ -n "$v" ] && [ "$v" -ge "$min" ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then best="$c"; best_v="$v"; fi
  done
  [ -n "$best" ] || die "no JDK $min or newer found (looked at ${LLAMA_JVM_JDK:-\$JAVA_HOME and /usr/lib/jvm/*}); install one, e.g. Temurin 25 or Debian's openjdk-17-jdk-headless"
  printf '%s' "$best"
}

# Prints the home of a JDK of exactly feature version N (17: Debian's openjdk-17, installed when
# missing), for running the suite on the JNI engine as a Java 17 user would.
find_jdk_exact() {
  local want="$1" c
  for c in /usr/lib/jvm/*; do
    [ -x "$c/bin/javac" ] && [ ! -L "$c" ] || continue
    if [ "$(jdk_version "$c")" = "$want" ]; then printf '%s' "$c"; return 0; fi
  done
  ensure_packages "openjdk-$want-jdk-headless"
  for c in /usr/lib/jvm/*; do
    [ -x "$c/bin/javac" ] && [ ! -L "$c" ] || continue
    if [ "$(jdk_version "$c")" = "$want" ]; then printf '%s' "$c"; return 0; fi
  done
  die "no JDK $want found after installing openjdk-$want-jdk-headless"
}

# A property of the root pom (<name>value</name>), e.g. javacpp.version.
maven_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -1
}

# Prints the local path of the jar of a Maven artifact (group:artifact:version), fetching it
# from Maven Central when missing.
jar_path() {
  local g a v f
  IFS=: read -r g a v <<< "$1"
  f="${MAVEN_REPOSITORY:-$HOME/.m2/repository}/${g//.//}/$a/$v/$a-$v.jar"
  if [ ! -f "$f" ]; then
    maven -N dependency:get -Dartifact="$1" -Dtransitive=false >&2 || die "could not fetch $1 from Maven Central"
  fi
  printf '%s' "$f"
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

# Runs Maven on the project with the newest JDK >= 17 (quiet unless MAVEN_VERBOSE=1); on a JDK
# below 22 the Panama engine and the modules that need it are left out (the root pom's profiles).
maven() {
  local jdk; jdk="${MAVEN_JDK:-$(find_jdk 17)}"
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
