#!/usr/bin/env bash
# The main job: a console chat that streams the model's replies.
#   ./run.sh                         a short scripted chat with ../shared/models/stories260K.gguf
#   ./run.sh MODEL.gguf              chat interactively (one message per line; Ctrl-D ends)
#   ./run.sh MODEL.gguf "Hi" "More"  send these messages in turn
# Installs what is missing and builds the natives on first use (cached outside the clone).
# Runs on the newest JDK found (17 or newer): the Panama engine on 22+, the JNI engine below;
# JAVA_OPTS reaches the JVM (JAVA_OPTS=-Dllama.jvm.engine=jni ./run.sh forces the JNI engine).
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

if [ $# -eq 0 ]; then
  set -- "$ROOT/../shared/models/stories260K.gguf" "Tell me a story about a cat." "What happened next?"
fi
model="$1"
[ -f "$model" ] || die "no model file at $model; pass one: ./run.sh path/to/model.gguf [message...]"
ensure_build_tools
natives="$("$ROOT/native/scripts/build-natives.sh")"
maven -DskipTests -Dllama.jvm.natives.dir="$natives" -pl examples -am package >&2
jdk="$(find_jdk 17)"
exec "$jdk/bin/java" --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} \
  -cp "$ROOT/examples/target/classes:$ROOT/examples/target/lib/*" \
  dev.llamajvm.examples.Chat "$@"
