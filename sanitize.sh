#!/usr/bin/env bash
# Runs java-api's tests against natives built with AddressSanitizer and UndefinedBehaviorSanitizer
# (CMake preset "sanitize"), and fails on any sanitizer report: a memory error, undefined
# behaviour, or a leak that is not the JVM's own.
# Much slower than ./test.sh; meant before a release and after native or shim changes.
#   usage: ./sanitize.sh [extra Maven arguments, e.g. -Dtest=BadInputTest]
# Reports stay in target/sanitize/ (asan.PID and ubsan.PID, one per process that had any).
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

ensure_build_tools
source_dir="$("$ROOT/native/scripts/materialize-source.sh")"
# The parity tests run llama.cpp's tools from the same build: same kernels, so same tokens.
natives="$("$ROOT/native/scripts/build-natives.sh" --preset sanitize --tools)"

# The ASan runtime the libraries were linked against must be the first library in the JVM. The
# JVM itself has no libstdc++, so it is preloaded too: else ASan finds no __cxa_throw to forward
# to and the first C++ exception thrown in llama.cpp aborts the process.
linked() { ldd "$natives/lib/libggml-base.so.0" | awk -v lib="$1" 'index($1, lib) == 1 { print $3 }'; }
asan_runtime="$(linked libasan.so)"; cxx_runtime="$(linked libstdc++.so)"
[ -f "$asan_runtime" ] || die "the natives in $natives are not linked against libasan"
[ -f "$cxx_runtime" ] || die "the natives in $natives are not linked against libstdc++"

reports="$ROOT/target/sanitize"
rm -rf "$reports"; mkdir -p "$reports"
# The JVM handles SIGSEGV, SIGBUS, SIGFPE and SIGILL itself (null checks, safepoints, stack
# banging), so ASan leaves them alone. GCC 12's LeakSanitizer misreads the JVM's dynamic TLS and
# crashes at exit unless ASan stays out of __tls_get_addr.
asan_options="handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1"
asan_options+=":intercept_tls_get_addr=0:detect_leaks=1:log_path=$reports/asan"
# Leaks of the JVM itself are suppressed (see the file); what was suppressed is logged and summed up.
lsan_options="suppressions=$ROOT/native/sanitize/lsan-jvm.supp:print_suppressions=1"
# UBSan reports and carries on, so one run lists every finding; the log files fail the run below.
ubsan_options="print_stacktrace=1:report_error_type=1:log_path=$reports/ubsan"

# Surefire starts the test JVM through this wrapper (-Djvm), so only test JVMs and their child
# processes (tools, child JVMs) run sanitized, not Maven. Beside it, the JDK's release file lets
# Surefire see which Java it starts.
jdk="$(find_jdk)"
wrapper="$reports/jvm/bin/java"
mkdir -p "$(dirname "$wrapper")"
ln -s "$jdk/release" "$reports/jvm/release"
cat > "$wrapper" <<EOF
#!/bin/sh
# Written by sanitize.sh: the JDK's java with the ASan runtime preloaded and sanitizer options set.
export LD_PRELOAD=$(printf %q "$asan_runtime $cxx_runtime")
export ASAN_OPTIONS=$(printf %q "$asan_options")
export LSAN_OPTIONS=$(printf %q "$lsan_options")
export UBSAN_OPTIONS=$(printf %q "$ubsan_options")
exec $(printf %q "$jdk/bin/java") "\$@"
EOF
chmod +x "$wrapper"

log "running the tests on sanitized natives ($natives); reports go to $reports"
# java-api's tests only: the bindings module's tests run gcc (whose own leaks LeakSanitizer would
# report through the inherited preload) and expect every CPU variant. The "leak" tests measure
# resident size, which ASan inflates on purpose (freed memory is held in quarantine);
# LeakSanitizer checks the same thing exactly here. The "address-space" tests run child JVMs under
# ulimit -v, where ASan cannot map its shadow memory; the "emulation" ones run a JVM under qemu,
# which cannot preload ASan for it.
status=0
MAVEN_VERBOSE=1 maven verify -pl java-api -am \
  -Djvm="$wrapper" -DexcludedGroups=leak,address-space,emulation -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='dev/llamajvm/**/*Test,!dev/llamajvm/bindings/**,!dev/llamajvm/bindgen/**' \
  -Dllama.jvm.natives.dir="$natives" \
  -Dllama.jvm.tools.dir="$natives/bin" \
  -Dllama.jvm.source.dir="$source_dir" "$@" || status=$?

# A log holding only LeakSanitizer's "Suppressions used" table is clean; anything else is a report.
shopt -s nullglob
suppression_table='^$|^-+$|^Suppressions used:|^ +count +bytes +template$|^ +[0-9]+ +[0-9]+ '
findings=()
for f in "$reports"/asan.* "$reports"/ubsan.*; do
  grep -qvE "$suppression_table" "$f" && findings+=("$f")
done
logs=("$reports"/asan.*)
if [ ${#logs[@]} -gt 0 ]; then
  log "leaks suppressed as the JVM's own, summed over ${#logs[@]} process(es):"
  { grep -hE '^ +[0-9]+ +[0-9]+ ' "${logs[@]}" || true; } \
    | awk '{ n[$3] += $1; b[$3] += $2 } END { for (t in n) printf "  %-14s %7d allocations %10d bytes\n", t, n[t], b[t] }' >&2
fi
if [ ${#findings[@]} -gt 0 ]; then
  for f in "${findings[@]}"; do printf '\n===== %s =====\n' "$f" >&2; cat "$f" >&2; done
  die "sanitizer reports from ${#findings[@]} process(es); see above and $reports"
fi
[ $status -eq 0 ] || die "the tests failed (Maven exit status $status) without a sanitizer report"
log "no sanitizer report: all tests passed on sanitized natives"
