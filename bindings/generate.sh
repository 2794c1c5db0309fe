#!/usr/bin/env bash
# Regenerates the Panama bindings in bindings/src/generated/java from the pinned llama.cpp headers.
#   bindings/generate.sh          write them
#   bindings/generate.sh --check  regenerate into a temporary folder and fail on any difference
# Only this needs libclang; building the Java code does not.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

check=0
[ "${1:-}" = "--check" ] && check=1

ensure_packages libclang-15-dev
src="$("$ROOT/native/scripts/materialize-source.sh")"
jdk="$(find_jdk)"
maven -pl bindings/generator compile

committed="$ROOT/bindings/src/generated/java"
out="$committed"
if [ $check -eq 1 ]; then
  out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
  # Start from a copy so the generator's clean-up of stale files is checked too.
  cp -r "$committed/." "$out/" 2>/dev/null || true
fi

LIBCLANG_DISABLE_CRASH_RECOVERY=1 "$jdk/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/bindings/generator/target/classes" dev.llamajvm.bindgen.Generator \
  --package dev.llamajvm.bindings --output "$out" \
  --lookup "dev.llamajvm.bindings.NativeLookup.lookup()" \
  --origin "llama.cpp $(lock_value upstream.tag), tree $(lock_value source.tree)" \
  -I "$src/include" -I "$src/ggml/include" -I "$src/tools/mtmd" -I "$ROOT/native/shim" \
  --header llama_h="$src/include/llama.h" \
  --header ggml_h="$src/ggml/include/ggml.h" \
  --header ggml_backend_h="$src/ggml/include/ggml-backend.h" \
  --header ggml_cpu_h="$src/ggml/include/ggml-cpu.h" \
  --header gguf_h="$src/ggml/include/gguf.h" \
  --header mtmd_h="$src/tools/mtmd/mtmd.h" \
  --header mtmd_helper_h="$src/tools/mtmd/mtmd-helper.h" \
  --header llama_jvm_chat_h="$ROOT/native/shim/llama-jvm-chat.h" \
  --header llama_jvm_guard_h="$ROOT/native/shim/llama-jvm-guard.h" \
  --header llama_jvm_memory_h="$ROOT/native/shim/llama-jvm-memory.h" >&2

if [ $check -eq 1 ]; then
  if ! diff -r "$committed" "$out" >/dev/null; then
    diff -ru "$committed" "$out" | head -60 >&2
    die "bindings/src/generated/java differs from the generator's output for the pinned headers; run bindings/generate.sh and commit the result"
  fi
  log "generated bindings match the pinned headers"
fi
