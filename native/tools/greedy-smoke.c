/*
 * Greedy tokens of one prompt through llama.cpp's C API alone, for natives the JVM cannot run here:
 * built with mingw and run under wine64 on the Windows natives (node-llama-cpp's MSVC build), its
 * tokens are compared with the Linux build's (WindowsSmokeTest). Never shipped.
 *
 *   usage: greedy-smoke <CPU backend module> <model.gguf> <prompt> <tokens>
 *   prints tokens=[t1, t2, ...] (Java's List.toString form); exit 1 with a reason on failure
 */
#include "ggml-backend.h"
#include "llama.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char * what) {
    fprintf(stderr, "error: %s\n", what);
    return 1;
}

int main(int argc, char ** argv) {
    if (argc != 5) {
        return fail("usage: greedy-smoke <CPU backend module> <model.gguf> <prompt> <tokens>");
    }
    if (ggml_backend_load(argv[1]) == NULL) {
        return fail("ggml could not load the CPU backend module");
    }
    llama_backend_init();
    struct llama_model * model = llama_model_load_from_file(argv[2], llama_model_default_params());
    if (model == NULL) {
        return fail("could not load the model");
    }
    const struct llama_vocab * vocab = llama_model_get_vocab(model);
    llama_token prompt[512];
    int n_prompt = llama_tokenize(vocab, argv[3], (int32_t) strlen(argv[3]), prompt, 512, true, false);
    if (n_prompt <= 0) {
        return fail("could not tokenize the prompt");
    }
    struct llama_context_params params = llama_context_default_params();
    params.n_ctx = 256;
    params.n_threads = 2;
    params.n_threads_batch = 2;
    struct llama_context * ctx = llama_init_from_model(model, params);
    if (ctx == NULL) {
        return fail("could not create a context");
    }
    const int n_vocab = llama_vocab_n_tokens(vocab);
    const int n_generate = atoi(argv[4]);
    struct llama_batch batch = llama_batch_get_one(prompt, n_prompt);
    llama_token next = 0;
    printf("tokens=[");
    for (int i = 0; i < n_generate; i++) {
        if (llama_decode(ctx, batch) != 0) {
            return fail("llama_decode failed");
        }
        const float * logits = llama_get_logits_ith(ctx, -1);
        next = 0;
        for (int t = 1; t < n_vocab; t++) {
            if (logits[t] > logits[next]) {
                next = t;
            }
        }
        if (llama_vocab_is_eog(vocab, next)) {
            break;
        }
        printf(i == 0 ? "%d" : ", %d", next);
        batch = llama_batch_get_one(&next, 1);
    }
    printf("]\n");
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
