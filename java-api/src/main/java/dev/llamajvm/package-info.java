/**
 * llama-jvm's public API: safe Java over llama.cpp. {@link dev.llamajvm.NativeLibraries} loads the
 * natives; {@link dev.llamajvm.LlamaException} is the root of every exception the library throws.
 */
package dev.llamajvm;
