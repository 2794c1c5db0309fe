#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/ module, Jazzer) longer than CI does, each in child JVMs:
#   ./fuzz.sh [--seconds N] [target...]      (default: 600 s per target, every target)
# Targets: model-loading projector-loading image-decoding grammar json-schema chat-template
# tool-call-parsing. Crashing inputs are kept in fuzz/target/fuzz/crashes/<target>/ with a report;
# the summary is printed and written to fuzz/target/fuzz/report.txt. The corpus grows in
# fuzz/target/fuzz/corpus/<target>/ and is reused by the next run (until mvn clean).
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

seconds=600
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) [ $# -ge 2 ] || die "--seconds needs a number"; seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#--seconds=}"; shift ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see ./fuzz.sh --help)" ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || die "--seconds must be a positive number of seconds, not '$seconds'"

ensure_build_tools
source_dir="$("$ROOT/native/scripts/materialize-source.sh")"
natives="$("$ROOT/native/scripts/build-natives.sh")"

list="$(IFS=,; printf '%s' "${targets[*]:-}")"
log "fuzzing ${list:-every target} for $seconds s each (JDK: $(find_jdk))"
MAVEN_VERBOSE=1 maven verify -pl fuzz -am \
  -Dtest=FuzzCampaignTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dllama.jvm.natives.dir="$natives" \
  -Dllama.jvm.source.dir="$source_dir" \
  -Dllama.jvm.fuzz.seconds="$seconds" \
  -Dllama.jvm.fuzz.targets="$list"
log "report: $ROOT/fuzz/target/fuzz/report.txt"
