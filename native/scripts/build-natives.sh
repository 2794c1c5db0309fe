#!/usr/bin/env bash
# Builds the native libraries (and, with --tools, llama.cpp's own tools) for one CMake preset and
# prints the output folder, which holds lib/ (what the natives jar ships) and bin/ (tools).
# Output is cached outside the clone, keyed by source tree hash + preset + our build files, so a
# warm run does no work at all and a fresh clone reuses it.
#   usage: build-natives.sh [--preset NAME] [--tools]
# Presets: those of CMakePresets.json built from the pinned source (cpu, vulkan, sanitize);
# linux-arm64 and linux-x86_64-cuda: node-llama-cpp's prebuilt llama.cpp of our tag plus libmtmd,
# our shim and the probe built against it (native/prebuilt/; cross-compiled for arm64);
# macosx-arm64 and windows-x86_64: node-llama-cpp's prebuilt libraries as they are
# (native/prebuilt.lock), plus the probe for Windows.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

preset=cpu; tools=0
while [ $# -gt 0 ]; do
  case "$1" in
    --preset) preset="$2"; shift 2 ;;
    --tools) tools=1; shift ;;
    *) die "unknown argument: $1 (usage: build-natives.sh [--preset NAME] [--tools])" ;;
  esac
done

# The JNI bindings whose glue the natives carry (bindings/jni: the preset and its generated Java).
jni_binding_sources() {
  find "$ROOT/bindings/jni/src" -name '*.java' | LC_ALL=C sort
}

tree="$(lock_value source.tree)"
inputs_hash="$(cat "$ROOT/CMakeLists.txt" "$ROOT/native/CMakeLists.txt" "$ROOT/CMakePresets.json" \
  "$ROOT/native/llama.cpp.lock" "$ROOT/native/vulkan-headers.lock" "$ROOT/native/prebuilt.lock" \
  "$ROOT"/native/shim/* "$ROOT"/native/probe/* "$ROOT"/native/tools/* "$ROOT"/native/prebuilt/* \
  "$ROOT/native/jni.cmake" "$ROOT/bindings/jni/generate.sh" $(jni_binding_sources) \
  "${BASH_SOURCE[0]}" "$ROOT/native/scripts/fetch-prebuilt.sh" | sha256sum | cut -c1-12)"
out="$CACHE_DIR/native/$preset-${tree:0:12}-$inputs_hash"
stamp_natives="$out/.natives-complete"; stamp_tools="$out/.tools-complete"

if [ -f "$stamp_natives" ] && { [ $tools -eq 0 ] || [ -f "$stamp_tools" ]; }; then
  printf '%s\n' "$out"; exit 0
fi

ensure_build_tools
src="$("$ROOT/native/scripts/materialize-source.sh")"
# macosx-arm64 and windows-x86_64: node-llama-cpp's prebuilt libraries of our tag as they are (no
# Apple SDK or MSVC here to build the rest), plus the probe for Windows, cross-compiled with mingw
# (it calls ggml's C API only).
assemble_prebuilt() {
  local platform="$1" lock="$ROOT/native/prebuilt.lock" bins libraries module_patterns modules names=() f
  bins="$("$ROOT/native/scripts/fetch-prebuilt.sh" "$platform")"
  libraries="$(lock_file_value "$lock" "$platform.libraries")"
  module_patterns="$(lock_file_value "$lock" "$platform.modules")"
  modules="$(cd "$bins" && ls $module_patterns)" || die "$bins has no file matching $module_patterns"
  rm -rf "$out/lib"; mkdir -p "$out/lib"
  read -ra names <<< "$libraries"
  for f in $modules; do names+=("$f"); done
  for f in "${names[@]}"; do cp "$bins/$f" "$out/lib/$f" || die "$bins has no $f"; done
  if [ "$platform" = windows-x86_64 ]; then
    # Linked against the prebuilt ggml-base and ggml DLLs, the first two libraries the lock lists.
    ensure_commands x86_64-w64-mingw32-g++:g++-mingw-w64-x86-64
    x86_64-w64-mingw32-g++ -O2 -std=c++17 -static -I"$src/ggml/include" "$ROOT/native/probe/llama-jvm-probe.cpp" \
      "$bins/${names[1]}" "$bins/${names[0]}" -o "$out/lib/llama-jvm-probe.exe" \
      || die "cross-compiling the probe for Windows failed"
    names+=(llama-jvm-probe.exe)
  fi
  (cd "$out/lib" && sha256sum "${names[@]}" > natives.list)
  touch "$stamp_natives"
}

project="$ROOT"; configure=(--preset "$preset")
case "$preset" in
  macosx-arm64|windows-x86_64)
    [ $tools -eq 0 ] || die "llama.cpp's tools are not built for $preset (--tools)"
    assemble_prebuilt "$preset"
    printf '%s\n' "$out"; exit 0
    ;;
  vulkan)
    # ggml compiles its shaders with glslc; the backend links the system's Vulkan loader and is built
    # against newer headers than bookworm's (native/vulkan-headers.lock).
    ensure_commands glslc:glslc
    ensure_packages libvulkan1 spirv-headers
    # /sbin is not on every user's PATH; awk reads all of ldconfig's output (an early exit would
    # kill ldconfig with SIGPIPE, which pipefail turns into a silent failure).
    vulkan_library="$(/sbin/ldconfig -p | awk '$1 == "libvulkan.so.1" && /x86-64/ && !found { print $NF; found = 1 }')"
    [ -f "$vulkan_library" ] || die "libvulkan.so.1 is not installed (Debian package libvulkan1)"
    configure+=(-DVulkan_INCLUDE_DIR="$("$ROOT/native/scripts/fetch-vulkan-headers.sh")" -DVulkan_LIBRARY="$vulkan_library")
    ;;
  linux-arm64|linux-x86_64-cuda)
    [ $tools -eq 0 ] || die "llama.cpp's tools are not built for $preset (--tools)"
    project="$ROOT/native/prebuilt"
    prebuilt="$("$ROOT/native/scripts/fetch-prebuilt.sh" "$preset")"
    lock="$ROOT/native/prebuilt.lock"
    extras=""; grep -q "^$preset\.extras=" "$lock" && extras="$(lock_file_value "$lock" "$preset.extras")"
    configure=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
      -DPREBUILT_DIR="$prebuilt" -DPREBUILT_LIBRARIES="$(lock_file_value "$lock" "$preset.libraries" | tr ' ' ';')"
      -DPREBUILT_MODULES="$(cd "$prebuilt" && ls $(lock_file_value "$lock" "$preset.modules") | paste -sd';')"
      -DPREBUILT_EXTRAS="${extras// /;}")
    if [ "$preset" = linux-arm64 ]; then
      ensure_commands aarch64-linux-gnu-g++:g++-aarch64-linux-gnu
      configure+=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64
        -DCMAKE_C_COMPILER=aarch64-linux-gnu-gcc -DCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++)
    fi
    ;;
esac
# The build folder survives edits of our CMake files (incremental rebuild) but not a move of the
# clone: CMake refuses a cache made for another source folder.
build="$CACHE_DIR/build/$preset-${tree:0:12}"
if [ -f "$build/CMakeCache.txt" ] && ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$project" "$build/CMakeCache.txt"; then
  log "build folder was configured from another clone; starting it afresh"
  rm -rf "$build"
fi

mkdir -p "$(dirname "$build")"
# The JNI engine's glue, generated from the committed bindings. The Generator orders its output
# differently each run, so it is made again only when the bindings changed (no needless rebuild).
glue="$build-jni-glue"
glue_key="$(cat $(jni_binding_sources) | sha256sum | cut -c1-16)"
if [ "$(cat "$glue/.bindings" 2>/dev/null)" != "$glue_key" ]; then
  rm -rf "$glue"
  "$ROOT/bindings/jni/generate.sh" --glue "$glue" 2>/dev/null || "$ROOT/bindings/jni/generate.sh" --glue "$glue"
  printf '%s\n' "$glue_key" > "$glue/.bindings"
fi
jni_jdk="$(find_jdk 17)"
configure+=(-DLLAMA_JVM_JNI_GLUE_DIR="$glue" -DLLAMA_JVM_JNI_INCLUDE_DIRS="$jni_jdk/include;$jni_jdk/include/linux")
jobs="$(nproc)"
log "building natives (preset $preset, $jobs jobs); a cold build takes about 7 minutes on 2 cores"
cmake -S "$project" -B "$build" "${configure[@]}" -DLLAMA_CPP_SOURCE_DIR="$src" >"$build.configure.log" 2>&1 \
  || { tail -30 "$build.configure.log" >&2; die "cmake configure failed (full log: $build.configure.log)"; }
# Compiler output (thousands of lines of upstream warnings) goes to a log; errors show its tail.
build_target() {
  local target="$1" logfile="$build.$1.log"
  cmake --build "$build" --target "$target" -j "$jobs" >"$logfile" 2>&1 \
    || { tail -40 "$logfile" >&2; die "building $target failed (full log: $logfile)"; }
}
build_target llama-jvm-natives

# natives.list: the shipped files in load order, with their sha256 (sha256sum's format), which
# the Java loader uses to extract only what changed.
rm -rf "$out/lib"; mkdir -p "$out/lib" "$out/bin"
names=()
while IFS= read -r name; do
  [ -n "$name" ] || continue
  cp -L "$build/bin/$name" "$out/lib/$name" || die "the build did not make $name, which the manifest names"
  names+=("$name")
done < "$build/llama-jvm-natives.txt"
(cd "$out/lib" && sha256sum "${names[@]}" > natives.list)
touch "$stamp_natives"

if [ $tools -eq 1 ]; then
  log "building llama.cpp tools for parity tests and benchmarks"
  build_target llama-jvm-tools
  for t in llama-completion llama-mtmd-cli llama-embedding llama-tokenize llama-bench llama-quantize \
           llama-jvm-chat-render; do
    cp "$build/bin/$t" "$out/bin/$t" || die "the build did not make $t"
  done
  # Tools link llama.cpp's shared libraries; they find them next to themselves.
  cp -a "$build"/bin/lib*.so* "$out/bin/"
  touch "$stamp_tools"
fi
printf '%s\n' "$out"
