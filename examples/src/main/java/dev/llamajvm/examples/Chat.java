package dev.llamajvm.examples;

import dev.llamajvm.ChatOptions;
import dev.llamajvm.ChatSession;
import dev.llamajvm.GenerateOptions;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.Reply;
import dev.llamajvm.Sampling;
import dev.llamajvm.SessionOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A console chat that streams the model's replies as they are generated.
 *
 * <pre>
 * Chat MODEL.gguf                 read messages from standard input, one per line
 * Chat MODEL.gguf "Hi" "And you?"  send these messages in turn
 * </pre>
 */
public final class Chat {

    private Chat() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Chat MODEL.gguf [MESSAGE...]");
            System.exit(2);
        }
        List<String> scripted = List.of(args).subList(1, args.length);
        ChatOptions options = ChatOptions.defaults()
                .session(SessionOptions.defaults().contextSize(4096))
                .system("You are a helpful assistant. Be brief.")
                .generate(GenerateOptions.defaults().maxTokens(256).sampling(Sampling.seeded(42).topK(40).topP(0.95f).temperature(0.7f)));
        try (LlamaModel model = LlamaModel.load(Path.of(args[0]));
             ChatSession chat = model.newChat(options)) {
            System.err.println("[" + model.info().description() + ", " + model.info().architecture() + "]");
            if (scripted.isEmpty()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                System.out.print("> ");
                System.out.flush();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isBlank()) {
                        turn(chat, line);
                    }
                    System.out.print("> ");
                    System.out.flush();
                }
            } else {
                for (String message : scripted) {
                    System.out.println("> " + message);
                    turn(chat, message);
                }
            }
        }
    }

    private static void turn(ChatSession chat, String message) {
        Reply reply = chat.send(message, piece -> {
            System.out.print(piece);
            System.out.flush();
        });
        System.out.println();
        System.err.printf("[%d tokens, %.1f tokens/s; prompt: %d tokens evaluated, %d from the cache]%n",
                reply.generatedTokens(), reply.timings().generationTokensPerSecond(), reply.promptTokens(),
                reply.cachedPromptTokens());
    }
}
