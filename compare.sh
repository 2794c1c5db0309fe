#!/usr/bin/env bash
# Compares speed and memory at real model size, in one invocation: llama.cpp's llama-bench, llama-jvm
# (the public API) and java-llama.cpp (de.kherud:llama 4.2.0), interleaved, on the same model files
# and threads: prompt processing (pp512) and generation (tg128), RUNS runs each. The models are
# random-weight GGUFs with exactly Llama 3.2 1B's (or 3B's) shape and metadata, in Q8_0 and Q4_K_M,
# made through our bindings and quantized by llama-quantize (cached outside the clone, ~1 minute
# the first time). Prints the table (tokens/s with spread, ratios, peak RSS) and writes CSV + PNG to
# benchmarks/target/compare/<time>/ (and benchmarks/target/compare/latest/).
#
#   usage: ./compare.sh [--runs N] [--threads N] [--size 1b|3b] [--seed N]
# Defaults: 5 runs, 2 threads, 1b, seed 1. Takes about 15 minutes for 1b on 2 cores.
# Speed figures are only as good as the machine is quiet: the load average is printed with them.
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

runs=5; threads=2; size=1b; seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see ./compare.sh --help)" ;;
  esac
done
case "$size" in 1b|3b) ;; *) die "--size must be 1b or 3b, not '$size'" ;; esac
[ "$runs" -ge 1 ] 2>/dev/null || die "--runs needs a positive number, not '$runs'"

ensure_build_tools
ensure_packages time   # GNU time: peak RSS of each measured process
natives="$("$ROOT/native/scripts/build-natives.sh" --tools)"
src="$("$ROOT/native/scripts/materialize-source.sh")"
log "building the benchmarks jar"
maven -Dmaven.test.skip=true -Dllama.jvm.natives.dir="$natives" -pl benchmarks -am package
java="$(find_jdk)/bin/java"
classpath="$ROOT/benchmarks/target/llama-jvm-benchmarks.jar:$ROOT/benchmarks/target/lib/*"

log "making (or finding) the $size-shaped models"
mapfile -t models < <("$java" --enable-native-access=ALL-UNNAMED -Dllama.jvm.library.path="$natives/lib" \
  -cp "$classpath" dev.llamajvm.benchmarks.compare.BenchModels "$src" "$natives/bin" "$CACHE_DIR/bench-models" "$size" "$seed")
[ ${#models[@]} -gt 0 ] || die "making the benchmark models failed"

out="$ROOT/benchmarks/target/compare/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

# Some machines advertise an instruction set their (virtual) CPU then refuses: ggml picks the CPU
# variant by what cpuid says, and llama.cpp itself dies of SIGILL (seen: AMX on a VM). Probe with
# llama-bench on a quantized model and drop each variant that dies, for every contender alike.
measured="$out/natives"
mkdir -p "$measured"
cp -al "$natives/lib" "$measured/lib" && cp -al "$natives/bin" "$measured/bin"
for attempt in 1 2 3 4; do
  probe="$("$measured/bin/llama-bench" -m "${models[0]}" -t "$threads" -p 16 -n 0 -r 1 2>&1)" && break
  code=$?
  variant="$(printf '%s\n' "$probe" | sed -n 's|.*loaded CPU backend from .*/\(libggml-cpu-[a-z0-9_]*\.so\).*|\1|p' | tail -1)"
  [ "$code" -eq 132 ] && [ -n "$variant" ] || { printf '%s\n' "$probe" | tail -5 >&2; die "llama-bench failed on ${models[0]}"; }
  log "ggml's CPU variant $variant dies of an illegal instruction on this machine; measuring every contender without it"
  rm -f "$measured/lib/$variant" "$measured/bin/$variant"
  echo "$variant" >> "$out/skipped-cpu-variants.txt"
done
used="$(printf '%s\n' "$probe" | sed -n 's|.*loaded CPU backend from .*/libggml-cpu-\([a-z0-9_]*\)\.so.*|\1|p' | tail -1)"
log "ggml CPU variant measured: ${used:-unknown}; $runs runs, $threads threads, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$java" -cp "$classpath" dev.llamajvm.benchmarks.compare.Compare "$out" "$measured/bin" "$measured/lib" "$java" \
  "$classpath" "$runs" 512 128 "$threads" "${models[@]}"
rm -rf "$ROOT/benchmarks/target/compare/latest" && cp -r "$out" "$ROOT/benchmarks/target/compare/latest"
log "load average afterwards $(cut -d' ' -f1-3 /proc/loadavg); results in $out"
