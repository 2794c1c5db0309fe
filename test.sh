#!/usr/bin/env bash
# Runs every test on this machine, from a fresh clone: installs what is missing (Debian packages),
# materialises the pinned llama.cpp source, builds (or fetches) the natives of every natives jar and
# llama.cpp's own tools (cached outside the clone), checks the generated bindings against the
# pinned headers (Panama and JNI), then runs Maven's tests with JDK 25 (each fuzz target for
# LLAMA_JVM_FUZZ_SECONDS, 20 by default) and the java-api suite twice more: on the JNI engine under
# JDK 25, and on the JNI engine under Debian's openjdk-17 (installed when missing); then checks the
# platform aggregator and the packaged jars, and runs a 2-minute soak on each engine. On a machine
# whose only JDK is 17 it runs what builds there: the suite on the JNI engine.
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

ensure_build_tools
# gcc builds test fixtures; qemu-user runs JVMs on an emulated older x86-64 (the CPU-variant smoke)
# and on arm64.
ensure_commands gcc:gcc qemu-x86_64:qemu-user
source_dir="$("$ROOT/native/scripts/materialize-source.sh")"
natives="$("$ROOT/native/scripts/build-natives.sh" --tools)"
# The linux-x86_64-vulkan jar's natives, tested on Mesa's lavapipe (software Vulkan).
ensure_packages mesa-vulkan-drivers
vulkan_natives="$("$ROOT/native/scripts/build-natives.sh" --preset vulkan)"
# The linux-arm64 jar's natives, tested on an arm64 JDK under qemu-aarch64 (from qemu-user, above).
arm64_natives="$("$ROOT/native/scripts/build-natives.sh" --preset linux-arm64)"
# The linux-x86_64-cuda jar's natives (prebuilt, with the CUDA 12 runtime): no GPU here, so tested
# for their fallback to the CPU.
cuda_natives="$("$ROOT/native/scripts/build-natives.sh" --preset linux-x86_64-cuda)"
arm64_root="$("$ROOT/scripts/arm64-sysroot.sh")"
# The macosx-arm64 and windows-x86_64 jars' prebuilt natives: checked with LLVM's tools, and the
# Windows ones run under wine64 by a C smoke built with mingw.
ensure_commands llvm-nm:llvm llvm-readobj:llvm x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64
[ -x /usr/lib/wine/wine64 ] || ensure_packages wine64
macos_natives="$("$ROOT/native/scripts/build-natives.sh" --preset macosx-arm64)"
windows_natives="$("$ROOT/native/scripts/build-natives.sh" --preset windows-x86_64)"
"$ROOT/bindings/jni/generate.sh" --check

jdk="$(find_jdk 17)"
engines=()
if [ "$(jdk_version "$jdk")" -ge 22 ]; then
  "$ROOT/bindings/generate.sh" --check
  # The java-api suite again on the JNI engine, under this JDK and under Java 17 (java-api's profile engines).
  engines=(-Dllama.jvm.jdk17="$(find_jdk_exact 17)")
  log "running the tests (JDK $(jdk_version "$jdk"): Panama engine, then the java-api suite on JNI, then on JNI under Java 17)"
else
  log "running the tests on JDK $(jdk_version "$jdk") (JNI engine; the Panama engine, its bindings, the fuzzers and benchmarks need a JDK 22+)"
fi
rm -rf "$ROOT"/java-api/target/surefire-reports*
MAVEN_VERBOSE=1 maven verify "${engines[@]}" \
  -Dllama.jvm.natives.dir="$natives" \
  -Dllama.jvm.tools.dir="$natives/bin" \
  -Dllama.jvm.vulkan.natives.dir="$vulkan_natives" \
  -Dllama.jvm.arm64.natives.dir="$arm64_natives" \
  -Dllama.jvm.arm64.root="$arm64_root" \
  -Dllama.jvm.macos.natives.dir="$macos_natives" \
  -Dllama.jvm.windows.natives.dir="$windows_natives" \
  -Dllama.jvm.cuda.natives.dir="$cuda_natives" \
  -Dllama.jvm.all.natives=true \
  -Dllama.jvm.source.dir="$source_dir" \
  -Dllama.jvm.fuzz.seconds="${LLAMA_JVM_FUZZ_SECONDS:-20}" \
  -Dllama.jvm.fuzz.failOnNewCrashes="${LLAMA_JVM_FUZZ_STRICT:-false}" "$@"
"$ROOT/scripts/test-counts.sh" "$ROOT/java-api/target"
stories="${LLAMA_JVM_SHARED_DIR:-$ROOT/../shared}/models/stories260K.gguf"
if [ -f "$stories" ]; then
  "$ROOT/scripts/check-jar-loading.sh" "$stories"
elif [ "${CI:-}" = true ]; then
  die "no $stories: CI needs the shared test data"
else
  log "skipping the packaged-jar check: no $stories"
fi
"$ROOT/platforms/platform/check-trimming.sh"
if [ "$(jdk_version "$jdk")" -ge 22 ]; then
  log "soak: 2 minutes, 8 threads, on each engine (./soak.sh --minutes 30 for the long one)"
  "$ROOT/soak.sh" --minutes 2 --threads 8 --engine panama
  "$ROOT/soak.sh" --minutes 2 --threads 8 --engine jni
fi
log "all tests passed"
