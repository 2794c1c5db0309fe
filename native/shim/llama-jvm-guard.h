#pragma once

// llama-jvm's guard: the llama.cpp and libmtmd entry points llama-jvm's engine calls that can throw
// a C++ exception, each called inside try/catch. An exception that reached the JVM through a
// foreign call would end the process (std::terminate): Java cannot unwind C++ frames.
//
// Each llama_jvm_X below calls X with the same arguments and takes one more, `char ** error`
// (never NULL). It is set to NULL on entry; when X threw, it is set to the exception's message
// (free it with llama_jvm_guard_error_free) and the result is the failure value X documents (NULL,
// LLAMA_TOKEN_NULL, ...). A failure X reports on its own (NULL, a code) leaves *error NULL.
//
// What the guarded ones throw, in the pinned source:
//   llama_sampler_sample, llama_sampler_accept  the grammar stage, when a token empties its stacks
//                                  (a token it forbids was picked; a lazy grammar triggered mid-token)
//                                  and std::regex while matching lazy triggers
//   llama_sampler_init_grammar(_lazy_patterns)  std::regex on an invalid trigger pattern; both copy
//                                  the grammar into strings and vectors as large as the input
//   llama_sampler_init_dry         tokenizes the sequence breakers (as llama_tokenize)
//   llama_sampler_init_penalties   allocates a buffer of penalty_last_n tokens
//   llama_tokenize                 std::string copy of the text, tokenizer errors on odd vocabularies
//                                  (UGM charsmap bounds, regex splitting), std::out_of_range
//   llama_model_load_from_file     catches inside, except the std::string copy of the path
//   llama_decode                   no try inside: batch checks and graph building allocate
//   mtmd_helper_bitmap_init_from_buf  no try inside: decodes untrusted bytes and allocates as
//                                  much as their header says (WAV/MP3 length, image size)
//   mtmd_helper_decode_image_chunk no try inside: allocates the embedding batch, calls llama_decode
//
// Why the others the engine calls cannot throw:
//   catch inside: llama_init_from_model, llama_state_load_file, llama_state_save_file,
//     llama_get_embeddings_ith, mtmd_init_from_file, mtmd_tokenize, mtmd_encode_chunk
//   C code (ggml, gguf's readers) or getters and setters of plain fields: llama_n_*, llama_model_n_*,
//     llama_vocab_* (bos, eos, is_eog, n_tokens, ...), llama_get_memory, llama_memory_seq_pos_max,
//     llama_get_embeddings_seq, llama_pooling_type, llama_max_parallel_sequences,
//     llama_*_default_params, mtmd_context_params_default, mtmd_helper_init_opt_default,
//     llama_batch_get_one, llama_batch_init/free (malloc), llama_log_set, mtmd_helper_log_set,
//     mtmd_support_*, mtmd_get_*, mtmd_input_chunk(s)_get*, mtmd_input_chunk(s)_size,
//     mtmd_bitmap_get_*, mtmd_bitmap_is_audio, gguf_find_key, gguf_get_kv_type, gguf_get_val_str
//   cell bookkeeping without allocation: llama_memory_clear, llama_memory_seq_rm
//   token_to_piece and detokenize: the engine checks ids first, and then they copy from the piece
//     cache llama.cpp fills at load
//   frees (destructors, noexcept): llama_free, llama_model_free, llama_sampler_free, mtmd_free,
//     mtmd_bitmap_free, mtmd_input_chunks_free, gguf_free, mtmd_helper_video_free
//   a small fixed allocation only (std::bad_alloc when the process has no memory left at all):
//     the other llama_sampler_init_*, llama_sampler_chain_init/add, llama_model_desc,
//     llama_model_meta_*, llama_model_chat_template, mtmd_bitmap_init(_from_audio) (a copy of
//     data the JVM already holds), mtmd_bitmap_set_id, mtmd_input_chunks_init, gguf_init_from_file
//     (catches its large allocations), and at start-up llama_backend_init and
//     ggml_backend_load_all_from_path (std::filesystem with error codes)

#include "llama.h"
#include "mtmd.h"
#include "mtmd-helper.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#    define LLAMA_JVM_GUARD_API __declspec(dllexport)
#else
#    define LLAMA_JVM_GUARD_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

// Sampling. A chain with a grammar ends with llama_jvm_sampler_init_pick_check: sampling then fails
// with an error, before the grammar accepts it, when the picked token was one every stage had
// ruled out (logit -infinity: the grammar allows nothing the other stages left).
LLAMA_JVM_GUARD_API llama_token llama_jvm_sampler_sample(struct llama_sampler * smpl, struct llama_context * ctx,
                                                         int32_t idx, char ** error);
LLAMA_JVM_GUARD_API void llama_jvm_sampler_accept(struct llama_sampler * smpl, llama_token token, char ** error);
LLAMA_JVM_GUARD_API struct llama_sampler * llama_jvm_sampler_init_pick_check(void);

LLAMA_JVM_GUARD_API struct llama_sampler * llama_jvm_sampler_init_grammar(
        const struct llama_vocab * vocab, const char * grammar_str, const char * grammar_root, char ** error);
LLAMA_JVM_GUARD_API struct llama_sampler * llama_jvm_sampler_init_grammar_lazy_patterns(
        const struct llama_vocab * vocab, const char * grammar_str, const char * grammar_root,
        const char ** trigger_patterns, size_t num_trigger_patterns,
        const llama_token * trigger_tokens, size_t num_trigger_tokens, char ** error);
LLAMA_JVM_GUARD_API struct llama_sampler * llama_jvm_sampler_init_dry(
        const struct llama_vocab * vocab, float dry_multiplier, float dry_base, int32_t dry_allowed_length,
        int32_t dry_penalty_last_n, const char ** seq_breakers, size_t num_breakers, char ** error);
LLAMA_JVM_GUARD_API struct llama_sampler * llama_jvm_sampler_init_penalties(
        int32_t n_vocab, int32_t penalty_last_n, float penalty_repeat, float penalty_freq, float penalty_present, char ** error);

// Text. Returns 0 on an exception.
LLAMA_JVM_GUARD_API int32_t llama_jvm_tokenize(const struct llama_vocab * vocab, const char * text, int32_t text_len,
                                               llama_token * tokens, int32_t n_tokens_max, bool add_special,
                                               bool parse_special, char ** error);

// Loading and evaluation. llama_jvm_decode returns -1 on an exception.
LLAMA_JVM_GUARD_API struct llama_model * llama_jvm_model_load_from_file(const char * path_model,
                                                                        struct llama_model_params params, char ** error);
LLAMA_JVM_GUARD_API int32_t llama_jvm_decode(struct llama_context * ctx, struct llama_batch batch, char ** error);

// Media. The bitmap wrapper is {NULL, NULL} and the decode result -1 on an exception.
LLAMA_JVM_GUARD_API struct mtmd_helper_bitmap_wrapper llama_jvm_mtmd_helper_bitmap_init_from_buf(
        const struct mtmd_context * ctx, const unsigned char * buf, size_t len, bool placeholder,
        struct mtmd_helper_init_opt opt, char ** error);
LLAMA_JVM_GUARD_API int32_t llama_jvm_mtmd_helper_decode_image_chunk(
        struct mtmd_context * ctx, struct llama_context * lctx, const struct mtmd_input_chunk * chunk,
        float * encoded_embd, llama_pos n_past, llama_seq_id seq_id, int32_t n_batch, llama_pos * new_n_past,
        mtmd_helper_post_decode_callback callback, void * user_data, char ** error);

// Frees an error message of the functions above (NULL is fine).
LLAMA_JVM_GUARD_API void llama_jvm_guard_error_free(char * error);

#ifdef __cplusplus
}
#endif
