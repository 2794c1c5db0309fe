#!/usr/bin/env bash
# Checks that the llama-jvm-platform aggregator brings the API and every natives jar, and that
# -Dllama.jvm.platform=<classifier> trims it to that one jar (Maven's effective POM, which is what a
# build depending on it resolves). ./test.sh runs it.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
ensure_commands python3:python3

dependencies() {
  local pom; pom="$(mktemp)"
  maven help:effective-pom -pl platforms/platform -Dllama.jvm.all.natives=true "$@" -Doutput="$pom" >/dev/null \
    || die "effective-pom of platforms/platform failed"
  # The project's own <dependencies> (not its profiles'): artifactId:classifier, one per line.
  python3 -c '
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
for d in ET.parse(sys.argv[1]).getroot().find("m:dependencies", ns):
    c = d.find("m:classifier", ns)
    print(d.find("m:artifactId", ns).text + ":" + (c.text if c is not None else ""))
' "$pom"
  rm -f "$pom"
}

all="$(dependencies | LC_ALL=C sort | tr '\n' ' ')"
expected="llama-jvm-natives:linux-arm64 llama-jvm-natives:linux-x86_64 llama-jvm-natives:linux-x86_64-cuda llama-jvm-natives:linux-x86_64-vulkan llama-jvm-natives:macosx-arm64 llama-jvm-natives:windows-x86_64 llama-jvm: "
[ "$all" = "$expected" ] || die "llama-jvm-platform brings [$all], expected [$expected]"
trimmed="$(dependencies -Dllama.jvm.platform=linux-arm64 | LC_ALL=C sort | tr '\n' ' ')"
[ "$trimmed" = "llama-jvm-natives:linux-arm64 llama-jvm: " ] || die "-Dllama.jvm.platform=linux-arm64 leaves [$trimmed]"
log "llama-jvm-platform: every natives jar by default, one with -Dllama.jvm.platform"
