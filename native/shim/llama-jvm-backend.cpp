#include "llama-jvm-backend.h"

#ifdef _WIN32
#    include <windows.h>
#else
#    include <dlfcn.h>
#endif

int llama_jvm_backend_score(const char * module_path) {
    using score_fn = int (*)();
#ifdef _WIN32
    HMODULE module = LoadLibraryA(module_path);
    if (module == nullptr) {
        return -1;
    }
    auto score = reinterpret_cast<score_fn>(reinterpret_cast<void *>(GetProcAddress(module, "ggml_backend_score")));
    int result = score == nullptr ? 0 : score();
    FreeLibrary(module);
#else
    void * module = dlopen(module_path, RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
        return -1;
    }
    auto score = reinterpret_cast<score_fn>(dlsym(module, "ggml_backend_score"));
    int result = score == nullptr ? 0 : score();
    dlclose(module);
#endif
    return result;
}
