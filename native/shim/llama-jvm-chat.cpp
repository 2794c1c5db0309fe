// Implements llama-jvm-chat.h over llama.cpp's common library. Each entry point catches every
// exception and returns its message as {"error": ...}: C callers (the JVM) cannot unwind C++.
// Everything an entry point does, argument copies and one-time set-up included, runs inside its
// try; the error path itself cannot throw (a static message when memory is exhausted).

#include "llama-jvm-chat.h"
#include "llama-jvm-strings.hpp"

#include "chat.h"
#include "common.h"
#include "json-schema-to-grammar.h"
#include "log.h"

#include <cctype>
#include <mutex>
#include <string>

using json = common_json;

struct llama_jvm_chat_templates {
    common_chat_templates_ptr templates;
};

namespace {

using llama_jvm::copy_out;

// {"error": message}; the static out-of-memory result when even that cannot be made.
char * error_result(const char * message) noexcept {
    try {
        json result = json::object();
        result["error"] = message != nullptr ? message : "unknown error";
        char * out = copy_out(result.dump_safe());
        return out != nullptr ? out : llama_jvm::out_of_memory_json;
    } catch (...) {
        return llama_jvm::out_of_memory_json;
    }
}

// common's own logger writes to stderr from a thread of its own; llama-jvm reports failures as
// exceptions instead, so it is silenced once, before the first call into common. Called inside
// try: std::call_once may throw std::system_error.
void silence_common_log() {
    static std::once_flag once;
    std::call_once(once, [] { common_log_set_verbosity_thold(-1); });
}

template <typename F>
char * guarded(F && work) noexcept {
    try {
        silence_common_log();
        char * out = copy_out(work().dump_safe());
        return out != nullptr ? out : llama_jvm::out_of_memory_json;
    } catch (const std::exception & e) {
        return error_result(e.what());
    } catch (...) {
        return error_result("unknown C++ exception in llama.cpp's chat code");
    }
}

common_chat_tool_choice tool_choice_of(const json & request) {
    const std::string choice = request.value("tool_choice", std::string("auto"));
    if (choice == "auto") return COMMON_CHAT_TOOL_CHOICE_AUTO;
    if (choice == "required") return COMMON_CHAT_TOOL_CHOICE_REQUIRED;
    if (choice == "none") return COMMON_CHAT_TOOL_CHOICE_NONE;
    throw std::invalid_argument("tool_choice must be auto, required or none, not " + choice);
}

// A word the sampler should watch for: one token where the vocabulary has it as one (special
// tokens such as <|python_tag|> only ever appear as tokens), a literal pattern otherwise.
void add_word_trigger(const llama_vocab * vocab, const std::string & word, json & patterns, json & tokens) {
    auto ids = common_tokenize(vocab, word, false, true);
    if (ids.size() == 1) {
        tokens.push_back(ids[0]);
    } else {
        patterns.push_back(regex_escape(word));
    }
}

// The same rules as llama.cpp's common_sampler_init, where the server's chat requests go.
void add_token_fields(const llama_vocab * vocab, const common_chat_params & params, json & result) {
    json patterns = json::array();
    json tokens   = json::array();
    json preserved = json::array();
    json prefill  = json::array();
    if (vocab != nullptr) {
        for (const auto & text : params.preserved_tokens) {
            auto ids = common_tokenize(vocab, text, false, true);
            if (ids.size() == 1) {
                preserved.push_back(ids[0]);
            }
        }
        for (const auto & trigger : params.grammar_triggers) {
            switch (trigger.type) {
                case COMMON_GRAMMAR_TRIGGER_TYPE_WORD:
                    add_word_trigger(vocab, trigger.value, patterns, tokens);
                    break;
                case COMMON_GRAMMAR_TRIGGER_TYPE_PATTERN:
                    patterns.push_back(trigger.value);
                    break;
                case COMMON_GRAMMAR_TRIGGER_TYPE_PATTERN_FULL: {
                    const std::string & p = trigger.value;
                    patterns.push_back(p.empty() ? std::string("^$")
                                                 : (p.front() != '^' ? "^" : "") + p + (p.back() != '$' ? "$" : ""));
                    break;
                }
                case COMMON_GRAMMAR_TRIGGER_TYPE_TOKEN:
                    tokens.push_back(trigger.token);
                    break;
            }
        }
        // A grammar that is always on starts with the assistant's header the prompt already ends
        // with: the sampler's grammar must first be walked past it.
        if (!params.grammar.empty() && !params.grammar_lazy && !params.generation_prompt.empty()) {
            auto ids = common_tokenize(vocab, params.generation_prompt, false, true);
            for (size_t i = 0; i < ids.size(); i++) {
                std::string piece = common_token_to_piece(vocab, ids[i], true);
                if (i == 0 && !piece.empty() && std::isspace(static_cast<unsigned char>(piece[0])) &&
                    !std::isspace(static_cast<unsigned char>(params.generation_prompt[0]))) {
                    continue;  // some tokenizers put a space before the first special token
                }
                prefill.push_back(ids[i]);
            }
        }
    }
    result["trigger_patterns"] = patterns;
    result["trigger_tokens"]   = tokens;
    result["preserved_tokens"] = preserved;
    result["grammar_prefill"]  = prefill;
}

}  // namespace

extern "C" {

llama_jvm_chat_templates * llama_jvm_chat_templates_init(const llama_model * model, const char * template_source,
                                                         const char * bos_token, const char * eos_token,
                                                         char ** error) {
    if (error != nullptr) {
        *error = nullptr;
    }
    try {
        silence_common_log();
        const std::string source = template_source != nullptr ? template_source : "";
        if (model == nullptr && source.empty()) {
            throw std::invalid_argument("neither a model nor a template source was given");
        }
        auto made = common_chat_templates_init(model, source, bos_token != nullptr ? bos_token : "",
                                               eos_token != nullptr ? eos_token : "");
        return new llama_jvm_chat_templates{ std::move(made) };
    } catch (const std::exception & e) {
        if (error != nullptr) {
            *error = llama_jvm::message_out(e.what());
        }
    } catch (...) {
        if (error != nullptr) {
            *error = llama_jvm::message_out("unknown C++ exception while parsing the chat template");
        }
    }
    return nullptr;
}

void llama_jvm_chat_templates_free(llama_jvm_chat_templates * templates) {
    delete templates;
}

char * llama_jvm_chat_templates_describe(const llama_jvm_chat_templates * templates) {
    return guarded([&] {
        json result = json::object();
        result["source"] = common_chat_templates_source(templates->templates.get());
        const std::string tool_use = common_chat_templates_source(templates->templates.get(), "tool_use");
        result["tool_use_source"] = tool_use.empty() ? json() : json(tool_use);
        json caps = json::object();
        for (const auto & [name, supported] : common_chat_templates_get_caps(templates->templates.get())) {
            caps[name] = supported;
        }
        result["capabilities"] = caps;
        return result;
    });
}

char * llama_jvm_chat_apply(const llama_jvm_chat_templates * templates, const llama_vocab * vocab,
                            const char * request_json) {
    return guarded([&] {
        const json request = json::parse(request_json);
        common_chat_templates_inputs inputs;
        inputs.use_jinja             = true;
        inputs.messages              = common_chat_msgs_parse_oaicompat(request.at("messages"));
        inputs.tools                 = common_chat_tools_parse_oaicompat(request.value("tools", json()));
        inputs.tool_choice           = tool_choice_of(request);
        inputs.parallel_tool_calls   = request.value("parallel_tool_calls", false);
        inputs.add_generation_prompt = request.value("add_generation_prompt", true);
        inputs.enable_thinking       = request.value("enable_thinking", true);
        inputs.reasoning_format      = COMMON_REASONING_FORMAT_DEEPSEEK;
        const json schema = request.value("json_schema", json());
        if (!schema.is_null()) {
            inputs.json_schema = schema.dump();
        }
        if (request.contains("template_kwargs")) {
            for (const auto & [name, value] : request.at("template_kwargs").items()) {
                inputs.chat_template_kwargs[name] = value.dump();
            }
        }

        common_chat_params params = common_chat_templates_apply(templates->templates.get(), inputs);
        bool grammar_from_template = !params.grammar.empty();
        if (!schema.is_null() && params.grammar.empty()) {
            // The template's parser did not take the schema on: constrain the whole reply instead.
            params.grammar = json_schema_to_grammar(schema);
        }

        json result = json::object();
        result["prompt"]            = params.prompt;
        result["format"]            = static_cast<int>(params.format);
        result["format_name"]       = common_chat_format_name(params.format);
        result["parser"]            = params.parser;
        result["generation_prompt"] = params.generation_prompt;
        result["grammar"]           = params.grammar;
        result["grammar_lazy"]      = params.grammar_lazy;
        result["additional_stops"]  = params.additional_stops;
        result["supports_thinking"] = params.supports_thinking;
        if (!grammar_from_template) {
            params.generation_prompt.clear();  // a plain schema grammar starts at the reply itself
        }
        add_token_fields(vocab, params, result);
        return result;
    });
}

char * llama_jvm_chat_parse(const char * request_json) {
    return guarded([&] {
        const json request = json::parse(request_json);
        common_chat_parser_params params;
        params.format            = static_cast<common_chat_format>(request.value("format", 0));
        params.reasoning_format  = COMMON_REASONING_FORMAT_DEEPSEEK;
        params.generation_prompt = request.value("generation_prompt", std::string());
        params.parse_tool_calls  = request.value("parse_tool_calls", true);
        const std::string parser = request.value("parser", std::string());
        if (!parser.empty()) {
            params.parser.load(parser);
        }
        common_chat_msg msg = common_chat_parse(request.at("text").get<std::string>(),
                                                request.value("partial", false), params);
        return msg.to_json_oaicompat();
    });
}

char * llama_jvm_json_schema_to_grammar(const char * schema_json) {
    return guarded([&] {
        json result = json::object();
        result["grammar"] = json_schema_to_grammar(json::parse(schema_json));
        return result;
    });
}

void llama_jvm_chat_string_free(char * s) {
    llama_jvm::free_string(s);
}

}  // extern "C"
