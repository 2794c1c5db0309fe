#pragma once

// llama-jvm's C bridge to the C++-only chat code of llama.cpp's common library: Jinja chat
// templates, tool-call parsing and JSON-schema-to-grammar. Requests and results are UTF-8 JSON.
// Every result string is allocated here; free it with llama_jvm_chat_string_free. No C++ exception
// crosses this boundary: a failure is the result {"error": "<message>"} (a static one, which the
// free function leaves alone, when even that cannot be allocated).

#include "llama.h"

#if defined(_WIN32)
#    define LLAMA_JVM_CHAT_API __declspec(dllexport)
#else
#    define LLAMA_JVM_CHAT_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

// A model's chat templates (its default one and its "tool_use" one, where it has one), parsed.
// Read-only once made: any number of threads may use one at once.
struct llama_jvm_chat_templates;

// With template_source NULL or empty, reads the templates from model's metadata (ChatML where it
// has none). Otherwise parses template_source; bos_token and eos_token (may be NULL) are then the
// strings the template sees, unless model is given. Returns NULL on failure and sets *error to
// the reason (free it with llama_jvm_chat_string_free).
LLAMA_JVM_CHAT_API struct llama_jvm_chat_templates * llama_jvm_chat_templates_init(
        const struct llama_model * model, const char * template_source,
        const char * bos_token, const char * eos_token, char ** error);

LLAMA_JVM_CHAT_API void llama_jvm_chat_templates_free(struct llama_jvm_chat_templates * templates);

// {"source": "...", "tool_use_source": "..." or null, "capabilities": {"supports_tools": true, ...}}
LLAMA_JVM_CHAT_API char * llama_jvm_chat_templates_describe(const struct llama_jvm_chat_templates * templates);

// Renders a conversation. request: {"messages": [OpenAI-style messages], "tools": [OpenAI-style
// tools], "tool_choice": "auto"|"required"|"none", "parallel_tool_calls": bool,
// "add_generation_prompt": bool, "enable_thinking": bool, "json_schema": {...},
// "template_kwargs": {"name": <JSON value>}}. Result: {"prompt", "format", "format_name",
// "parser", "generation_prompt", "grammar", "grammar_lazy", "trigger_patterns": [regex],
// "trigger_tokens": [id], "preserved_tokens": [id], "grammar_prefill": [id], "additional_stops",
// "supports_thinking"}. Token ids need vocab; with vocab NULL those lists are empty.
LLAMA_JVM_CHAT_API char * llama_jvm_chat_apply(const struct llama_jvm_chat_templates * templates,
                                               const struct llama_vocab * vocab, const char * request_json);

// Parses a model's raw output. request: {"text", "partial": bool, "format", "parser",
// "generation_prompt" (all three as llama_jvm_chat_apply returned them), "parse_tool_calls": bool}.
// Result: an OpenAI-style assistant message {"role", "content", "reasoning_content", "tool_calls"}.
LLAMA_JVM_CHAT_API char * llama_jvm_chat_parse(const char * request_json);

// Converts a JSON schema to a GBNF grammar whose start rule is "root". Result: {"grammar": "..."}.
LLAMA_JVM_CHAT_API char * llama_jvm_json_schema_to_grammar(const char * schema_json);

LLAMA_JVM_CHAT_API void llama_jvm_chat_string_free(char * s);

#ifdef __cplusplus
}
#endif
