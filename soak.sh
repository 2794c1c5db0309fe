#!/usr/bin/env bash
# Soak: THREADS threads for MINUTES minutes open sessions, chats and embedders on stories260K and the
# random-weight tiny Llama 3, generate with random options (sampling chains, stop strings, token
# limits, grammars, JSON formats, tools, images), cancel and interrupt calls mid-prompt and mid-reply,
# close sessions and models under threads streaming from them, and reload the models. Meanwhile the
# process's memory (resident size, malloc's bytes in use), threads and open file descriptors are
# measured with every thread paused between operations (after a warm-up, then after every SAMPLE
# seconds of work) and printed as a table; they must stay flat (the limits are printed at the end).
# Exits non-zero on growth, on any unexpected exception or wrong result, on a hang, or if the JVM
# dies. The log is kept in java-api/target/soak/<time>/soak.log (with any JVM crash file).
#
#   usage: ./soak.sh [--minutes 30] [--threads 8] [--seed N] [--warmup-seconds S] [--sample-seconds S]
#                    [--engine panama|jni]
# Defaults: 30 minutes, 8 threads, seed 1; warm-up a tenth of the run (at least 30 s, at most 3 min);
# SAMPLE (run - warm-up) / 24 seconds, at least 5; the JDK's default engine (Panama on 22+). CI
# runs --minutes 2 on each engine.
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

minutes=30; threads=8; seed=1; warmup=""; sample=""; engine=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --warmup-seconds) warmup="$2"; shift 2 ;;
    --sample-seconds) sample="$2"; shift 2 ;;
    --engine) engine=(-Dllama.jvm.engine="$2"); shift 2 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see ./soak.sh --help)" ;;
  esac
done
awk -v m="$minutes" 'BEGIN { exit !(m > 0) }' 2>/dev/null || die "--minutes needs a positive number, not '$minutes'"
total_s="$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')"
[ -n "$warmup" ] || warmup="$(awk -v t="$total_s" 'BEGIN { w = t / 10; if (w < 30) w = 30; if (w > 180) w = 180; printf "%d", w }')"
[ -n "$sample" ] || sample="$(awk -v t="$total_s" -v w="$warmup" 'BEGIN { s = (t - w) / 24; if (s < 5) s = 5; printf "%d", s }')"

ensure_build_tools
natives="$("$ROOT/native/scripts/build-natives.sh")"
source_dir="$("$ROOT/native/scripts/materialize-source.sh")"
log "building the library and its test classes (the soak lives among them)"
# build-classpath writes each module's test class path into its own target/ folder; the reactor
# resolves our modules to the jars this same build packages.
maven -DskipTests -Dllama.jvm.natives.dir="$natives" -pl java-api -am package \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/soak-classpath.txt >&2
classpath="$ROOT/java-api/target/test-classes:$ROOT/java-api/target/classes:$(cat "$ROOT/java-api/target/soak-classpath.txt")"

out="$ROOT/java-api/target/soak/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
java="$(find_jdk)/bin/java"
# A fixed, pre-touched heap and fixed JVM thread pools: what moves is then the library's doing.
# A backstop past the soak's own hang detection (5 minutes) in case the JVM itself wedges.
backstop=$(( total_s + 900 ))
log "soak: $minutes minutes, $threads threads${engine[0]:+, ${engine[0]#-D}} (log: $out/soak.log)"
set +e
timeout -k 30 "$backstop" "$java" --enable-native-access=ALL-UNNAMED \
  -Xms256m -Xmx256m -XX:+AlwaysPreTouch \
  -XX:-UseDynamicNumberOfCompilerThreads -XX:-UseDynamicNumberOfGCThreads \
  -XX:ErrorFile="$out/hs_err_pid%p.log" ${engine[@]+"${engine[@]}"} \
  -Dllama.jvm.library.path="$natives/lib" \
  -Dllama.jvm.shared.dir="${LLAMA_JVM_SHARED_DIR:-$ROOT/../shared}" \
  -Dllama.jvm.source.dir="$source_dir" \
  -Dllama.jvm.cache.dir="$ROOT/java-api/target/llama-jvm-cache" \
  -cp "$classpath" dev.llamajvm.soak.Soak \
  --minutes "$minutes" --threads "$threads" --seed "$seed" --warmup-seconds "$warmup" --sample-seconds "$sample" \
  2>&1 | tee "$out/soak.log"
status=${PIPESTATUS[0]}
set -e
case "$status" in
  0) log "soak passed" ;;
  124|137) die "the soak ran past its backstop of $backstop s and was killed (log: $out/soak.log)" ;;
  *)
    for crash in "$out"/hs_err_pid*.log; do
      [ -f "$crash" ] && { log "the JVM crashed: $crash"; head -30 "$crash" >&2; }
    done
    [ "$status" -gt 128 ] && log "the JVM died of signal $(( status - 128 ))"
    die "soak failed (exit $status; log: $out/soak.log)" ;;
esac
