#!/usr/bin/env bash
# Runs every test on this machine, from a fresh clone: installs what is missing (Debian packages),
# materialises the pinned llama.cpp source, builds the natives and llama.cpp's own tools (cached
# outside the clone; the cpu, vulkan and arm64 presets), checks the generated bindings against the pinned headers, then runs
# Maven's tests with JDK 25 (each fuzz target for LLAMA_JVM_FUZZ_SECONDS, 20 by default), then a
# 2-minute soak.
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
arm64_natives="$("$ROOT/native/scripts/build-natives.sh" --preset arm64)"
arm64_root="$("$ROOT/scripts/arm64-sysroot.sh")"
"$ROOT/bindings/generate.sh" --check

log "running the tests (JDK: $(find_jdk))"
MAVEN_VERBOSE=1 maven verify \
  -Dllama.jvm.natives.dir="$natives" \
  -Dllama.jvm.tools.dir="$natives/bin" \
  -Dllama.jvm.vulkan.natives.dir="$vulkan_natives" \
  -Dllama.jvm.arm64.natives.dir="$arm64_natives" \
  -Dllama.jvm.arm64.root="$arm64_root" \
  -Dllama.jvm.source.dir="$source_dir" \
  -Dllama.jvm.fuzz.seconds="${LLAMA_JVM_FUZZ_SECONDS:-20}" \
  -Dllama.jvm.fuzz.failOnNewCrashes="${LLAMA_JVM_FUZZ_STRICT:-false}" "$@"
log "soak: 2 minutes, 8 threads (./soak.sh --minutes 30 for the long one)"
"$ROOT/soak.sh" --minutes 2 --threads 8
log "all tests passed"
