package dev.llamajvm.examples;

import dev.llamajvm.ChatOptions;
import dev.llamajvm.ChatSession;
import dev.llamajvm.GenerateOptions;
import dev.llamajvm.Image;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.Media;
import dev.llamajvm.Message;
import dev.llamajvm.Projector;
import dev.llamajvm.Reply;
import dev.llamajvm.Sampling;
import dev.llamajvm.SessionOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A console chat that streams the model's replies as they are generated, with images when a
 * projector is given.
 *
 * <pre>
 * Chat MODEL.gguf                          read messages from standard input, one per line
 * Chat MODEL.gguf "Hi" "And you?"           send these messages in turn
 * Chat MODEL.gguf --mmproj MMPROJ.gguf ...  with a projector: "--image FILE" before a message (or
 *                                          a "/image FILE" line) attaches an image to it
 * </pre>
 */
public final class Chat {

    private static final GenerateOptions GENERATE = GenerateOptions.defaults().maxTokens(256)
            .sampling(Sampling.seeded(42).topK(40).topP(0.95f).temperature(0.7f));

    private Chat() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Chat MODEL.gguf [--mmproj MMPROJ.gguf] [[--image FILE]... MESSAGE]...");
            System.exit(2);
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        Path mmproj = null;
        if (rest.size() >= 2 && rest.get(0).equals("--mmproj")) {
            mmproj = Path.of(rest.get(1));
            rest = rest.subList(2, rest.size());
        }
        ChatOptions options = ChatOptions.defaults()
                .session(SessionOptions.defaults().contextSize(4096))
                .system("You are a helpful assistant. Be brief.")
                .generate(GENERATE);
        try (LlamaModel model = LlamaModel.load(Path.of(args[0]));
             Projector projector = mmproj == null ? null : model.loadProjector(mmproj);
             ChatSession chat = model.newChat(options.projector(projector))) {
            System.err.println("[" + model.info().description() + ", " + model.info().architecture()
                    + (projector == null ? "" : ", images through " + projector.path().getFileName()) + "]");
            List<Image> images = new ArrayList<>();
            if (rest.isEmpty()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                System.out.print("> ");
                System.out.flush();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("/image ")) {
                        images.add(Image.of(Path.of(line.substring(7).strip())));
                    } else if (!line.isBlank()) {
                        turn(chat, line, images);
                    }
                    System.out.print("> ");
                    System.out.flush();
                }
            } else {
                for (int i = 0; i < rest.size(); i++) {
                    if (rest.get(i).equals("--image") && i + 1 < rest.size()) {
                        images.add(Image.of(Path.of(rest.get(++i))));
                        continue;
                    }
                    System.out.println("> " + rest.get(i) + (images.isEmpty() ? "" : " " + images));
                    turn(chat, rest.get(i), images);
                }
            }
        }
    }

    /** Sends a message with the images attached so far (then forgets them) and streams the reply. */
    private static void turn(ChatSession chat, String message, List<Image> images) {
        Reply reply = chat.send(Message.user(message, images.toArray(Media[]::new)), GENERATE, piece -> {
            System.out.print(piece);
            System.out.flush();
        });
        images.clear();
        System.out.println();
        System.err.printf("[%d tokens, %.1f tokens/s; prompt: %d tokens evaluated, %d from the cache]%n",
                reply.generatedTokens(), reply.timings().generationTokensPerSecond(), reply.promptTokens(),
                reply.cachedPromptTokens());
    }
}
