#!/usr/bin/env bash
# Regenerates the Panama bindings in bindings/src/generated/java from the pinned llama.cpp headers.
#   bindings/generate.sh          write them
#   bindings/generate.sh --check  regenerate into a temporary folder and fail on any difference, then
#                                 parse the headers for every other natives target (Linux arm64,
#                                 macOS arm64, Windows x64) and fail if their bindings would differ:
#                                 one bindings jar serves every platform only while they are equal
# Only this needs libclang; building the Java code does not.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

check=0
[ "${1:-}" = "--check" ] && check=1

ensure_packages libclang-15-dev
src="$("$ROOT/native/scripts/materialize-source.sh")"
jdk="$(find_jdk)"
maven -pl bindings/generator compile

# generate OUT [clang arguments]: runs the generator over the pinned headers into OUT.
generate() {
  local into="$1"; shift
  local extra=() a
  for a in "$@"; do extra+=(--clang-arg "$a"); done
  LIBCLANG_DISABLE_CRASH_RECOVERY=1 "$jdk/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "$ROOT/bindings/generator/target/classes" dev.llamajvm.bindgen.Generator \
    --package dev.llamajvm.bindings --output "$into" \
    --lookup "dev.llamajvm.bindings.NativeLookup.lookup()" \
    --origin "llama.cpp $(lock_value upstream.tag), tree $(lock_value source.tree)" ${extra[@]+"${extra[@]}"} \
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
    --header llama_jvm_memory_h="$ROOT/native/shim/llama-jvm-memory.h" \
    --header llama_jvm_abort_h="$ROOT/native/shim/llama-jvm-abort.h" >&2
}

committed="$ROOT/bindings/src/generated/java"
if [ $check -eq 0 ]; then
  generate "$committed"
  exit 0
fi

out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
# Start from a copy so the generator's clean-up of stale files is checked too.
cp -r "$committed/." "$out/" 2>/dev/null || true
generate "$out"
if ! diff -r "$committed" "$out" >/dev/null; then
  diff -ru "$committed" "$out" | head -60 >&2
  die "bindings/src/generated/java differs from the generator's output for the pinned headers; run bindings/generate.sh and commit the result"
fi
log "generated bindings match the pinned headers"

# The other natives targets: their ABIs must give the same bindings. No sysroot of theirs is here,
# so clang's own freestanding headers stand in for the C library, plus a one-line stdio.h (FILE is
# used only behind pointers). A 32-bit target (i686) shows the check has teeth: size_t differs.
for target in aarch64-linux-gnu arm64-apple-macosx14.0 x86_64-pc-windows-msvc; do
  rm -rf "$out"; mkdir -p "$out"
  generate "$out" "--target=$target" -ffreestanding -nostdlibinc -isystem "$ROOT/bindings/abi-check" 2>/dev/null \
    || die "the pinned headers do not parse for $target"
  if ! diff -r "$committed" "$out" >/dev/null; then
    diff -ru "$committed" "$out" | head -40 >&2
    die "the bindings for $target differ from linux-x86_64's: one bindings jar no longer serves every platform"
  fi
done
log "the bindings are identical for x86_64-linux-gnu, aarch64-linux-gnu, arm64-apple-macosx14.0 and x86_64-pc-windows-msvc"
