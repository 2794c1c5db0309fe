// Test tool (never shipped): renders a conversation with llama.cpp's own chat code, building
// common_chat_msg values field by field rather than through llama-jvm's shim, and writes the
// prompt to stdout. Parity tests compare llama-jvm's rendering with it.
//   usage: llama-jvm-chat-render MODEL.gguf CONVERSATION.json
// CONVERSATION.json: {"messages": [{"role", "content", "tool_calls": [{"name", "arguments", "id"}],
//                     "tool_call_id", "name"}], "tools": [{"name", "description", "parameters"}],
//                     "add_generation_prompt": bool}

#include "chat.h"
#include "common.h"
#include "llama.h"
#include "log.h"

#include <cstdio>
#include <fstream>
#include <sstream>

static std::string text_field(const common_json & object, const char * key) {
    return object.contains(key) && object.at(key).is_string() ? object.at(key).get<std::string>() : "";
}

int main(int argc, char ** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s MODEL.gguf CONVERSATION.json\n", argv[0]);
        return 2;
    }
    common_log_set_verbosity_thold(-1);
    llama_backend_init();
    llama_model_params mparams = llama_model_default_params();
    mparams.vocab_only = true;
    llama_model * model = llama_model_load_from_file(argv[1], mparams);
    if (model == nullptr) {
        std::fprintf(stderr, "cannot load %s\n", argv[1]);
        return 1;
    }
    std::ifstream in(argv[2]);
    std::stringstream text;
    text << in.rdbuf();
    const common_json conversation = common_json::parse(text.str());

    common_chat_templates_inputs inputs;
    inputs.use_jinja = true;
    inputs.add_generation_prompt = conversation.value("add_generation_prompt", true);
    for (const auto & m : conversation.at("messages")) {
        common_chat_msg msg;
        msg.role         = text_field(m, "role");
        msg.content      = text_field(m, "content");
        msg.tool_call_id = text_field(m, "tool_call_id");
        msg.tool_name    = text_field(m, "name");
        if (m.contains("tool_calls")) {
            for (const auto & call : m.at("tool_calls")) {
                msg.tool_calls.push_back({ text_field(call, "name"), text_field(call, "arguments"), text_field(call, "id") });
            }
        }
        inputs.messages.push_back(msg);
    }
    if (conversation.contains("tools")) {
        for (const auto & t : conversation.at("tools")) {
            inputs.tools.push_back({ text_field(t, "name"), text_field(t, "description"), t.at("parameters").dump() });
        }
    }
    try {
        auto templates = common_chat_templates_init(model, "");
        const std::string prompt = common_chat_templates_apply(templates.get(), inputs).prompt;
        std::fwrite(prompt.data(), 1, prompt.size(), stdout);
        std::fflush(stdout);
    } catch (const std::exception & e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    llama_model_free(model);
    return 0;
}
