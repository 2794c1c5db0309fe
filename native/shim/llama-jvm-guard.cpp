// Implements llama-jvm-guard.h: each function runs its llama.cpp or libmtmd call inside try/catch
// and turns an exception into a message in *error. Nothing here may throw past the extern "C"
// boundary, including in the error path (llama_jvm::message_out cannot throw).

#include "llama-jvm-guard.h"
#include "llama-jvm-strings.hpp"

#include <cmath>
#include <exception>
#include <regex>
#include <stdexcept>

namespace {

// Runs call(); on an exception, sets *error to its message and returns failed.
template <typename R, typename F>
R guard(char ** error, R failed, F && call) noexcept {
    *error = nullptr;
    try {
        return call();
    } catch (const std::exception & e) {
        *error = llama_jvm::message_out(e.what());
    } catch (...) {
        *error = llama_jvm::message_out("unknown C++ exception in llama.cpp");
    }
    return failed;
}

template <typename F>
void guard_void(char ** error, F && call) noexcept {
    guard(error, 0, [&] {
        call();
        return 0;
    });
}

// Runs last in a chain with a grammar, after the stage that picks. A picked token whose logit is
// -infinity (or NaN) was ruled out by every stage: the grammar allows nothing the others left.
// Accepting it would make the grammar throw, or abort the process for an end-of-generation token,
// so this throws first, inside llama_jvm_sampler_sample's try.
void pick_check_apply(llama_sampler * /*smpl*/, llama_token_data_array * cur_p) {
    if (cur_p->selected < 0 || cur_p->selected >= static_cast<int64_t>(cur_p->size)) {
        throw std::runtime_error("the sampler chain picked no token");
    }
    if (!(cur_p->data[cur_p->selected].logit > -INFINITY)) {
        throw std::runtime_error(
            "no token is left to pick: every token the grammar allows was ruled out by the other sampling stages "
            "(a logit bias of -infinity on them, or on the end-of-generation tokens once the grammar is complete)");
    }
}

const char * pick_check_name(const llama_sampler * /*smpl*/) {
    return "llama-jvm-pick-check";
}

// Value-initialised, so callbacks a newer llama.h adds stay NULL.
llama_sampler_i make_pick_check_iface() {
    llama_sampler_i iface{};
    iface.name  = pick_check_name;
    iface.apply = pick_check_apply;
    return iface;
}

llama_sampler_i pick_check_iface = make_pick_check_iface();

}  // namespace

extern "C" {

llama_token llama_jvm_sampler_sample(llama_sampler * smpl, llama_context * ctx, int32_t idx, char ** error) {
    return guard(error, LLAMA_TOKEN_NULL, [&] { return llama_sampler_sample(smpl, ctx, idx); });
}

void llama_jvm_sampler_accept(llama_sampler * smpl, llama_token token, char ** error) {
    guard_void(error, [&] { llama_sampler_accept(smpl, token); });
}

llama_sampler * llama_jvm_sampler_init_pick_check(void) {
    char * error = nullptr;
    llama_sampler * made = guard(&error, static_cast<llama_sampler *>(nullptr),
                                 [] { return llama_sampler_init(&pick_check_iface, nullptr); });
    llama_jvm::free_string(error);  // only std::bad_alloc can happen: NULL says it
    return made;
}

llama_sampler * llama_jvm_sampler_init_grammar(const llama_vocab * vocab, const char * grammar_str,
                                               const char * grammar_root, char ** error) {
    return guard(error, static_cast<llama_sampler *>(nullptr),
                 [&] { return llama_sampler_init_grammar(vocab, grammar_str, grammar_root); });
}

llama_sampler * llama_jvm_sampler_init_grammar_lazy_patterns(const llama_vocab * vocab, const char * grammar_str,
                                                             const char * grammar_root, const char ** trigger_patterns,
                                                             size_t num_trigger_patterns,
                                                             const llama_token * trigger_tokens,
                                                             size_t num_trigger_tokens, char ** error) {
    return guard(error, static_cast<llama_sampler *>(nullptr), [&] {
        // llama.cpp compiles each trigger pattern with std::regex after it has allocated the sampler,
        // and a pattern std::regex refuses throws out of it, leaking that allocation (found by
        // LeakSanitizer): compile them the same way first, so a bad pattern throws here.
        for (size_t i = 0; i < num_trigger_patterns; i++) {
            std::regex check(trigger_patterns[i]);
        }
        return llama_sampler_init_grammar_lazy_patterns(vocab, grammar_str, grammar_root, trigger_patterns,
                                                        num_trigger_patterns, trigger_tokens, num_trigger_tokens);
    });
}

llama_sampler * llama_jvm_sampler_init_dry(const llama_vocab * vocab, float dry_multiplier, float dry_base,
                                           int32_t dry_allowed_length, int32_t dry_penalty_last_n,
                                           const char ** seq_breakers, size_t num_breakers, char ** error) {
    return guard(error, static_cast<llama_sampler *>(nullptr), [&] {
        return llama_sampler_init_dry(vocab, dry_multiplier, dry_base, dry_allowed_length, dry_penalty_last_n,
                                      seq_breakers, num_breakers);
    });
}

llama_sampler * llama_jvm_sampler_init_penalties(int32_t n_vocab, int32_t penalty_last_n, float penalty_repeat,
                                                 float penalty_freq, float penalty_present, char ** error) {
    return guard(error, static_cast<llama_sampler *>(nullptr), [&] {
        return llama_sampler_init_penalties(n_vocab, penalty_last_n, penalty_repeat, penalty_freq, penalty_present);
    });
}

int32_t llama_jvm_tokenize(const llama_vocab * vocab, const char * text, int32_t text_len, llama_token * tokens,
                           int32_t n_tokens_max, bool add_special, bool parse_special, char ** error) {
    return guard(error, 0, [&] {
        return llama_tokenize(vocab, text, text_len, tokens, n_tokens_max, add_special, parse_special);
    });
}

llama_model * llama_jvm_model_load_from_file(const char * path_model, llama_model_params params, char ** error) {
    return guard(error, static_cast<llama_model *>(nullptr),
                 [&] { return llama_model_load_from_file(path_model, params); });
}

int32_t llama_jvm_decode(llama_context * ctx, llama_batch batch, char ** error) {
    return guard(error, -1, [&] { return llama_decode(ctx, batch); });
}

mtmd_helper_bitmap_wrapper llama_jvm_mtmd_helper_bitmap_init_from_buf(const mtmd_context * ctx,
                                                                      const unsigned char * buf, size_t len,
                                                                      bool placeholder, mtmd_helper_init_opt opt,
                                                                      char ** error) {
    return guard(error, mtmd_helper_bitmap_wrapper{ nullptr, nullptr },
                 [&] { return mtmd_helper_bitmap_init_from_buf(ctx, buf, len, placeholder, opt); });
}

int32_t llama_jvm_mtmd_helper_decode_image_chunk(mtmd_context * ctx, llama_context * lctx, const mtmd_input_chunk * chunk,
                                                 float * encoded_embd, llama_pos n_past, llama_seq_id seq_id,
                                                 int32_t n_batch, llama_pos * new_n_past,
                                                 mtmd_helper_post_decode_callback callback, void * user_data,
                                                 char ** error) {
    return guard(error, -1, [&] {
        return mtmd_helper_decode_image_chunk(ctx, lctx, chunk, encoded_embd, n_past, seq_id, n_batch, new_n_past,
                                              callback, user_data);
    });
}

void llama_jvm_guard_error_free(char * error) {
    llama_jvm::free_string(error);
}

}  // extern "C"
