#!/usr/bin/env bash
# Prints the java-api suite's test counts per engine run, from the surefire reports under TARGET
# (java-api/target): surefire-reports (the default engine), -jni (JNI on the same JDK) and
# -jni-java17 (JNI under Java 17).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
target="${1:?usage: test-counts.sh JAVA_API_TARGET}"
for dir in "$target"/surefire-reports "$target"/surefire-reports-jni "$target"/surefire-reports-jni-java17; do
  [ -d "$dir" ] || continue
  # Each TEST-*.xml starts with <testsuite ... tests= failures= errors= skipped=>.
  read -r tests failures errors skipped < <(cat "$dir"/TEST-*.xml 2>/dev/null | grep -o '<testsuite [^>]*>' | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/"/, "", kv[2]);
        if (kv[1] == "tests") t += kv[2]; else if (kv[1] == "failures") f += kv[2];
        else if (kv[1] == "errors") e += kv[2]; else if (kv[1] == "skipped") s += kv[2] } }
    END { print t + 0, f + 0, e + 0, s + 0 }')
  case "$dir" in
    *-jni-java17) what="JNI engine, Java 17" ;;
    *-jni) what="JNI engine, Java $(jdk_version "$(find_jdk 17)")" ;;
    *) v="$(jdk_version "$(find_jdk 17)")"; what="$([ "$v" -ge 22 ] && echo Panama || echo JNI) engine, Java $v" ;;
  esac
  log "java-api suite, $what: $tests tests, $((tests - failures - errors - skipped)) passed, $failures failed, $errors errors, $skipped skipped"
done
