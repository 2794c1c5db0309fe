# The JNI glue of the JNI engine (Java 17-21): the C++ that JavaCPP's Generator wrote for the
# bindings in bindings/jni (build-natives.sh runs `bindings/jni/generate.sh --glue` into
# LLAMA_JVM_JNI_GLUE_DIR), compiled against llama.cpp, libmtmd and our shim. The Panama engine
# never loads it.
foreach (_v LLAMA_JVM_JNI_GLUE_DIR LLAMA_JVM_JNI_INCLUDE_DIRS)
    if (NOT ${_v})
        message(FATAL_ERROR "${_v} must be set (native/scripts/build-natives.sh sets it)")
    endif()
endforeach()
add_library(llama-jvm-jni SHARED "${LLAMA_JVM_JNI_GLUE_DIR}/jnillamajvm.cpp" "${LLAMA_JVM_JNI_GLUE_DIR}/jnijavacpp.cpp")
# JNIEXPORT marks the JNI entry points visible; nothing else needs to be.
set_target_properties(llama-jvm-jni PROPERTIES OUTPUT_NAME jnillamajvm CXX_VISIBILITY_PRESET hidden)
target_include_directories(llama-jvm-jni PRIVATE ${LLAMA_JVM_JNI_INCLUDE_DIRS})
target_link_libraries(llama-jvm-jni PRIVATE llama mtmd ggml ggml-base llama-jvm-chat)
target_compile_features(llama-jvm-jni PRIVATE cxx_std_17)
# The generated code calls every function the headers declare, deprecated ones too.
target_compile_options(llama-jvm-jni PRIVATE -Wno-deprecated-declarations)
