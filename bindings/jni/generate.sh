#!/usr/bin/env bash
# The JNI bindings, made by JavaCPP from the pinned llama.cpp headers: its Parser reads the headers
# as the preset (src/main/java/.../LlamaPreset.java) says into src/generated/java (committed), and
# its Generator writes the JNI glue for that Java, which the native build compiles into jnillamajvm
# beside the llama.cpp libraries. The glue is not committed: the Generator orders its functions as
# reflection lists them, which differs from run to run, so it is made again by each native build.
#   bindings/jni/generate.sh              write src/generated/java
#   bindings/jni/generate.sh --check      regenerate into a temporary folder and fail on any difference
#   bindings/jni/generate.sh --glue DIR   write the JNI glue (.cpp) for the committed Java into DIR
# Needs a JDK 17 or newer and JavaCPP (from Maven Central); not libclang.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

mode="${1:-write}"

src="$("$ROOT/native/scripts/materialize-source.sh")"
jdk="$(find_jdk 17)"
here="$ROOT/bindings/jni"
javacpp="$(jar_path org.bytedeco:javacpp:"$(maven_property javacpp.version)")"

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/preset" "$work/java" "$work/classes"
"$jdk/bin/javac" -nowarn -cp "$javacpp" -d "$work/preset" \
  "$here/src/main/java/dev/llamajvm/bindings/jni/presets/LlamaPreset.java"
java_out="$here/src/generated/java"

if [ "$mode" = --glue ]; then
  into="${2:?usage: generate.sh --glue DIR}"
  mkdir -p "$into"
  "$jdk/bin/javac" -nowarn -Xlint:none -cp "$javacpp:$work/preset" -d "$work/classes" $(find "$java_out" -name '*.java') \
    || die "the committed JNI bindings do not compile"
  "$jdk/bin/java" -cp "$javacpp:$work/preset:$work/classes" org.bytedeco.javacpp.tools.Builder -nocompile \
    -d "$into" dev.llamajvm.bindings.jni.Llama >"$work/generator.log" 2>&1 \
    || { cat "$work/generator.log" >&2; die "JavaCPP's Generator failed"; }
  exit 0
fi
# The Parser: headers to Java. Paths below are relative to the include path, so no path of this
# machine ends up in the generated files.
"$jdk/bin/java" -cp "$javacpp:$work/preset" org.bytedeco.javacpp.tools.Builder -d "$work/java" \
  -Dplatform.includepath="$src/include:$src/ggml/include:$src/tools/mtmd:$ROOT/native/shim" \
  dev.llamajvm.bindings.jni.presets.LlamaPreset >"$work/parser.log" 2>&1 \
  || { cat "$work/parser.log" >&2; die "JavaCPP's Parser failed on the pinned headers"; }
if [ "$mode" != --check ]; then
  rm -rf "$java_out"; mkdir -p "$java_out"
  cp -r "$work/java/." "$java_out/"
  log "JNI bindings written to $java_out"
  exit 0
fi
if ! diff -r "$java_out" "$work/java" >/dev/null 2>&1; then
  diff -ru "$java_out" "$work/java" 2>&1 | head -40 >&2
  die "$java_out differs from JavaCPP's output for the pinned headers; run bindings/jni/generate.sh and commit the result"
fi
log "generated JNI bindings match the pinned headers"
