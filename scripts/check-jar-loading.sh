#!/usr/bin/env bash
# The built jars as an application gets them (examples/target/lib: llama-jvm's multi-release jar,
# the JNI bindings, JavaCPP, the Panama bindings, the linux-x86_64 natives): the Chat example sends
# one message to stories260K on Java 17 and on the newest JDK, with the jars on the class path and
# on the module path (as automatic modules). Each must answer, on the engine its Java gets.
#   usage: scripts/check-jar-loading.sh MODEL.gguf   (after the examples module is packaged)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
model="${1:?usage: check-jar-loading.sh MODEL.gguf}"
lib="$ROOT/examples/target/lib"; classes="$ROOT/examples/target/classes"
[ -d "$lib" ] && [ -d "$classes" ] || die "package the examples first (maven package -pl examples -am)"
cache="$(mktemp -d)"; trap 'rm -rf "$cache"' EXIT

javas=("$(find_jdk_exact 17)")
newest="$(find_jdk 17)"
[ "$(jdk_version "$newest")" -ge 22 ] && javas+=("$newest")
for jdk in "${javas[@]}"; do
  version="$(jdk_version "$jdk")"
  engine=jni; [ "$version" -ge 22 ] && engine=panama
  for path in class module; do
    if [ $path = class ]; then
      where=(-cp "$classes:$lib/*")
    else
      where=(--module-path "$lib" --add-modules ALL-MODULE-PATH -cp "$classes")
    fi
    out="$("$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Dllama.jvm.cache.dir="$cache" "${where[@]}" \
      dev.llamajvm.examples.Chat "$model" "Hello" 2>&1)" \
      || { printf '%s\n' "$out" | tail -20 >&2; die "Chat failed on Java $version from the $path path"; }
    grep -q "llama-jvm engine: $engine on Java $version" <<< "$out" \
      || { printf '%s\n' "$out" | tail -20 >&2; die "Java $version from the $path path did not run the $engine engine"; }
    grep -q '^> Hello' <<< "$out" || { printf '%s\n' "$out" | tail -20 >&2; die "no chat turn on Java $version ($path path)"; }
    log "the jars chat on Java $version from the $path path ($engine engine)"
  done
done
