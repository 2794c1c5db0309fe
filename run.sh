#!/usr/bin/env bash
# The main job: loads a GGUF model and streams a completion to the console.
#   ./run.sh [MODEL.gguf] [PROMPT] [MAX_TOKENS]
# Without a model it uses ../shared/models/stories260K.gguf. Installs what is missing and builds
# the natives on first use (cached outside the clone).
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

model="${1:-$ROOT/../shared/models/stories260K.gguf}"
[ -f "$model" ] || die "no model file at $model; pass one: ./run.sh path/to/model.gguf [prompt] [max tokens]"
ensure_build_tools
natives="$("$ROOT/native/scripts/build-natives.sh")"
maven -DskipTests -Dllama.jvm.natives.dir="$natives" -pl examples -am package
jdk="$(find_jdk)"
exec "$jdk/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/examples/target/classes:$ROOT/examples/target/lib/*" \
  dev.llamajvm.examples.StreamCompletion "$model" "${@:2}"
