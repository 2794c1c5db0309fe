#pragma once

// The strings llama-jvm's shim hands to its C callers, shared by the chat and guard sources (C++
// only: not part of the bound headers). Nothing here throws: these run inside catch handlers too,
// where a second exception would escape to the JVM and end the process.

#include <cstdlib>
#include <cstring>
#include <string>

namespace llama_jvm {

// Handed out when even the message cannot be allocated; never freed.
inline char out_of_memory_text[] = "out of memory (llama-jvm could not even allocate the error message)";
inline char out_of_memory_json[] = "{\"error\": \"out of memory (llama-jvm could not even allocate the error message)\"}";

// A malloc'd copy of s[0..n), or nullptr when malloc fails.
inline char * copy_out(const char * s, size_t n) noexcept {
    char * out = static_cast<char *>(std::malloc(n + 1));
    if (out != nullptr) {
        std::memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

inline char * copy_out(const std::string & s) noexcept {
    return copy_out(s.data(), s.size());
}

// A message for the caller: a copy of `what`, or the static out-of-memory text.
inline char * message_out(const char * what) noexcept {
    if (what == nullptr) {
        what = "unknown error";
    }
    char * out = copy_out(what, std::strlen(what));
    return out != nullptr ? out : out_of_memory_text;
}

// Frees what copy_out, message_out or a JSON result made; the static fallbacks stay.
inline void free_string(char * s) noexcept {
    if (s != out_of_memory_text && s != out_of_memory_json) {
        std::free(s);
    }
}

}  // namespace llama_jvm
