#!/usr/bin/env bash
# Measures generation speed against llama.cpp itself, on the same model, threads and token count,
# and prints the ratios (ours / native) that the README reports:
#   (i)   ours: greedy streaming generation through the public API (benchmarks/ StreamingThroughput),
#         after a JIT warm-up, RUNS measured runs in one JVM: median, min, max; once per engine
#         (Panama, then JNI: -Dllama.jvm.engine);
#   (ii)  llama-completion's own "eval time ... tokens per second" (common_perf_print), RUNS runs
#         (one unmeasured run first);
#   (iii) llama-bench tg<TOKENS> (-p 0 -n TOKENS -r RUNS): its average and standard deviation.
# Writes the table as CSV to benchmarks/target/bench/bench-<time>.csv (and bench-latest.csv).
# With --jmh it then runs the JMH benchmarks too (benchmarks/target/bench/jmh-<time>.csv).
#
#   usage: ./bench.sh [--jmh] [--runs N] [--threads N] [--tokens N] [--model FILE] [-- JMH ARGS...]
# Defaults: ../shared/models/stories260K.gguf, 2 threads, 128 tokens, 5 runs. Builds the natives,
# llama.cpp's tools and the benchmarks jar first (cached; installs what is missing).
# Speed figures are only as good as the machine is quiet: the load average is printed with them.
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

runs=5; threads=2; tokens=128; jmh=0
model="${LLAMA_JVM_SHARED_DIR:-$ROOT/../shared}/models/stories260K.gguf"
prompt="Once upon a time"
jmh_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jmh) jmh=1; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --tokens) tokens="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --) shift; jmh_args=("$@"); break ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see ./bench.sh --help)" ;;
  esac
done
[ -f "$model" ] || die "no model file at $model (pass --model FILE, or set LLAMA_JVM_SHARED_DIR)"
[ "$runs" -ge 1 ] 2>/dev/null || die "--runs needs a positive number, not '$runs'"
model="$(cd "$(dirname "$model")" && pwd)/$(basename "$model")"

ensure_build_tools
natives="$("$ROOT/native/scripts/build-natives.sh" --tools)"
log "building the benchmarks jar"
# maven.test.skip: the benchmarks need no test classes, so a test being edited elsewhere cannot stop them.
maven -Dmaven.test.skip=true -Dllama.jvm.natives.dir="$natives" -pl benchmarks -am package
jdk="$(find_jdk)"
java="$jdk/bin/java"
jar="$ROOT/benchmarks/target/llama-jvm-benchmarks.jar"
[ -f "$jar" ] || die "the build did not produce $jar"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$ROOT/benchmarks/target/bench"
work="$out/logs-$stamp"
mkdir -p "$work"
# The natives the tools were built with, used as they are (no extraction): same code on both sides.
jvm_flags=(--enable-native-access=ALL-UNNAMED -Dllama.jvm.library.path="$natives/lib"
           -Dllama.jvm.bench.model="$model")

load_average() { cut -d' ' -f1-3 /proc/loadavg; }
log "model $(basename "$model"), $threads threads, $tokens tokens, $runs runs; $(nproc) CPUs, load average $(load_average)"

# Prints "median min max" of the numbers on stdin (one a line).
stats() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan nan nan"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.2f %.2f %.2f\n", m, v[1], v[NR] }'
}

# (i) ours, through the public API, on each engine.
declare -A ours_med ours_min ours_max wall_med wall_min wall_max
engines=(panama jni)
for engine in "${engines[@]}"; do
  log "(i) ours, $engine engine: streaming through the public API (JIT warm-up, then $runs runs)"
  "$java" "${jvm_flags[@]}" -Dllama.jvm.engine="$engine" -cp "$jar" dev.llamajvm.benchmarks.StreamingThroughput \
    --model "$model" --threads "$threads" --tokens "$tokens" --runs "$runs" --prompt "$prompt" \
    >"$work/ours-$engine.txt" 2>"$work/ours-$engine.log" \
    || { tail -20 "$work/ours-$engine.log" >&2; die "the Java benchmark failed (log: $work/ours-$engine.log)"; }
  [ "$(grep -c '^run ' "$work/ours-$engine.txt")" -eq "$runs" ] || die "unexpected output in $work/ours-$engine.txt"
  read -r ours_med[$engine] ours_min[$engine] ours_max[$engine] < <(awk '/^run /{ print $3 }' "$work/ours-$engine.txt" | stats)
  read -r wall_med[$engine] wall_min[$engine] wall_max[$engine] < <(awk '/^run /{ print $4 }' "$work/ours-$engine.txt" | stats)
done

# (ii) llama-completion, as a user runs it; its eval line counts the decodes of generated tokens.
log "(ii) llama-completion (1 unmeasured run, then $runs runs)"
completion=(-m "$model" -p "$prompt" -n "$tokens" --temp 0 -t "$threads" -no-cnv --simple-io --ignore-eos)
: >"$work/llama-completion.tps"
# llama.cpp's asynchronous log may lose its last lines (the perf print) when the process exits
# (common/log.cpp leaks the logger on purpose); such a run is repeated, up to 5 times.
for i in $(seq 0 "$runs"); do
  tps=""
  for attempt in 1 2 3 4 5; do
    "$natives/bin/llama-completion" "${completion[@]}" </dev/null >"$work/llama-completion.$i.out" \
      2>"$work/llama-completion.$i.log" \
      || { tail -20 "$work/llama-completion.$i.log" >&2; die "llama-completion failed (log: $work/llama-completion.$i.log)"; }
    tps="$(sed -n 's/.*common_perf_print:[[:space:]]*eval time =.*[[:space:]]\([0-9.]*\) tokens per second.*/\1/p' \
      "$work/llama-completion.$i.log")"
    [ -n "$tps" ] && break
  done
  [ -n "$tps" ] || die "no 'common_perf_print: eval time' line in $work/llama-completion.$i.log after 5 tries"
  [ "$i" -eq 0 ] || printf '%s\n' "$tps" >>"$work/llama-completion.tps"
done
read -r lc_med lc_min lc_max < <(stats <"$work/llama-completion.tps")

# (iii) llama-bench tg<tokens>: its CSV quotes every value; the header does not.
log "(iii) llama-bench tg$tokens (-r $runs)"
"$natives/bin/llama-bench" -m "$model" -t "$threads" -p 0 -n "$tokens" -r "$runs" -o csv \
  >"$work/llama-bench.csv" 2>"$work/llama-bench.log" \
  || { tail -20 "$work/llama-bench.log" >&2; die "llama-bench failed (log: $work/llama-bench.log)"; }
read -r lb_avg lb_sd < <(awk -v want="$tokens" '
  NR == 1 { n = split($0, h, ","); for (i = 1; i <= n; i++) col[h[i]] = i; next }
  { line = $0; sub(/^"/, "", line); sub(/"$/, "", line); split(line, f, "\",\"")
    if (f[col["n_prompt"]] == 0 && f[col["n_gen"]] == want) { printf "%.2f %.2f\n", f[col["avg_ts"]], f[col["stddev_ts"]]; exit } }
' "$work/llama-bench.csv")
[ -n "${lb_avg:-}" ] || die "no tg$tokens row in $work/llama-bench.csv"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }'; }
spread() { awk -v lo="$1" -v hi="$2" -v m="$3" 'BEGIN { if (m > 0) printf "%.1f%%", (hi - lo) * 100 / m; else print "nan" }'; }
load_after="$(load_average)"

csv="$out/bench-$stamp.csv"
meta="$(basename "$model"),$threads,$tokens,$stamp,$(nproc),${load_after// /;}"
{
  echo "measure,runs,median_tps,min_tps,max_tps,stddev_tps,this_over_llama_completion,this_over_llama_bench,model,threads,tokens,time_utc,cpus,load_average_after"
  for engine in "${engines[@]}"; do
    echo "ours_${engine}_api_streaming_generation,$runs,${ours_med[$engine]},${ours_min[$engine]},${ours_max[$engine]},,$(ratio "${ours_med[$engine]}" "$lc_med"),$(ratio "${ours_med[$engine]}" "$lb_avg"),$meta"
    echo "ours_${engine}_api_streaming_wall_incl_prompt,$runs,${wall_med[$engine]},${wall_min[$engine]},${wall_max[$engine]},,,,$meta"
  done
  echo "llama_completion_eval,$runs,$lc_med,$lc_min,$lc_max,,1.000,,$meta"
  echo "llama_bench_tg$tokens,$runs,$lb_avg,,,$lb_sd,,1.000,$meta"
} >"$csv"
cp "$csv" "$out/bench-latest.csv"

printf '\n%s, %s threads, %s generated tokens, greedy; %s runs each; %s CPUs, load average %s\n' \
  "$(basename "$model")" "$threads" "$tokens" "$runs" "$(nproc)" "$load_after"
printf '%-46s %10s %10s %10s %8s %9s %9s\n' "measure" "t/s" "min" "max" "spread" "/llama-c" "/l-bench"
for engine in "${engines[@]}"; do
  printf '%-46s %10s %10s %10s %8s %9s %9s\n' "ours, $engine: API streaming, generation (median)" \
    "${ours_med[$engine]}" "${ours_min[$engine]}" "${ours_max[$engine]}" \
    "$(spread "${ours_min[$engine]}" "${ours_max[$engine]}" "${ours_med[$engine]}")" \
    "$(ratio "${ours_med[$engine]}" "$lc_med")" "$(ratio "${ours_med[$engine]}" "$lb_avg")"
  printf '%-46s %10s %10s %10s %8s %9s %9s\n' "ours, $engine: same runs, wall incl. prompt" \
    "${wall_med[$engine]}" "${wall_min[$engine]}" "${wall_max[$engine]}" \
    "$(spread "${wall_min[$engine]}" "${wall_max[$engine]}" "${wall_med[$engine]}")" "" ""
done
printf '%-46s %10s %10s %10s %8s %9s %9s\n' "llama-completion eval (median)" "$lc_med" "$lc_min" "$lc_max" \
  "$(spread "$lc_min" "$lc_max" "$lc_med")" "1.000" ""
printf '%-46s %10s %10s %10s %8s %9s %9s\n' "llama-bench tg$tokens (avg ± stddev)" "$lb_avg" "±$lb_sd" "" "" "" "1.000"
printf '\nCSV: %s\nlogs: %s\n' "$csv" "$work"
# 2 threads on a shared machine: a busy neighbour stalls ggml's thread barriers, often by 10-1000x.
noisy="$(awk -v a="${ours_min[panama]}" -v b="${ours_max[panama]}" -v m="${ours_med[panama]}" -v c="$lc_min" -v d="$lc_max" -v n="$lc_med" \
  'BEGIN { print ((m > 0 && (b - a) / m > 0.2) || (n > 0 && (d - c) / n > 0.2)) ? 1 : 0 }')"
[ "$noisy" -eq 0 ] || log "warning: a spread over 20%: the machine was busy; these figures are not usable, run again when it is quiet"

if [ "$jmh" -eq 1 ]; then
  log "JMH benchmarks (a few minutes; JMH's own options after --, e.g. -- PerTokenBenchmark -f 2)"
  # JMH's forks inherit these flags (it reuses the host JVM's arguments).
  "$java" "${jvm_flags[@]}" -jar "$jar" -rf csv -rff "$out/jmh-$stamp.csv" "${jmh_args[@]}" \
    | tee "$work/jmh.txt"
  cp "$out/jmh-$stamp.csv" "$out/jmh-latest.csv"
  printf '\nJMH CSV: %s\n' "$out/jmh-$stamp.csv"
fi
