package dev.llamajvm.examples;

import dev.llamajvm.bindings.llama_context_params;
import dev.llamajvm.bindings.llama_h;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a GGUF model and streams a greedy completion to the console, through the raw generated
 * bindings (the idiomatic Java API arrives on top of them; this shows the path underneath).
 *
 * <pre>StreamCompletion MODEL.gguf [PROMPT] [MAX_TOKENS]</pre>
 */
public final class StreamCompletion {

    private StreamCompletion() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: StreamCompletion MODEL.gguf [PROMPT] [MAX_TOKENS]");
            System.exit(2);
        }
        Path modelPath = Path.of(args[0]);
        String prompt = args.length > 1 ? args[1] : "Once upon a time";
        int maxTokens = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        if (!Files.isRegularFile(modelPath)) {
            System.err.println("no model file at " + modelPath);
            System.exit(2);
        }
        try (Arena arena = Arena.ofConfined()) {
            llama_h.llama_backend_init();
            MemorySegment model = llama_h.llama_model_load_from_file(arena.allocateFrom(modelPath.toString()),
                    llama_h.llama_model_default_params(arena));
            if (model.equals(MemorySegment.NULL)) {
                System.err.println("llama.cpp could not load " + modelPath);
                System.exit(1);
            }
            try {
                stream(arena, model, prompt, maxTokens, System.out);
            } finally {
                llama_h.llama_model_free(model);
            }
        }
    }

    private static void stream(Arena arena, MemorySegment model, String prompt, int maxTokens, PrintStream out) {
        MemorySegment vocab = llama_h.llama_model_get_vocab(model);
        MemorySegment params = llama_h.llama_context_default_params(arena);
        llama_context_params.n_ctx(params, Math.max(512, maxTokens + 64));
        MemorySegment context = llama_h.llama_init_from_model(model, params);
        MemorySegment sampler = llama_h.llama_sampler_chain_init(llama_h.llama_sampler_chain_default_params(arena));
        try {
            llama_h.llama_sampler_chain_add(sampler, llama_h.llama_sampler_init_greedy());
            MemorySegment text = arena.allocateFrom(prompt);
            int textLength = (int) text.byteSize() - 1;
            int count = -llama_h.llama_tokenize(vocab, text, textLength, MemorySegment.NULL, 0, true, false);
            MemorySegment tokens = arena.allocate(ValueLayout.JAVA_INT, count);
            llama_h.llama_tokenize(vocab, text, textLength, tokens, count, true, false);

            out.print(prompt);
            long start = System.nanoTime();
            MemorySegment batch = llama_h.llama_batch_get_one(arena, tokens, count);
            Utf8Printer printer = new Utf8Printer(out);
            MemorySegment next = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment piece = arena.allocate(256);
            int generated = 0;
            while (generated < maxTokens && llama_h.llama_decode(context, batch) == 0) {
                int token = llama_h.llama_sampler_sample(sampler, context, -1);
                if (llama_h.llama_vocab_is_eog(vocab, token)) {
                    break;
                }
                int n = llama_h.llama_token_to_piece(vocab, token, piece, (int) piece.byteSize(), 0, false);
                printer.write(piece.asSlice(0, Math.max(n, 0)).asByteBuffer());
                generated++;
                next.set(ValueLayout.JAVA_INT, 0, token);
                batch = llama_h.llama_batch_get_one(arena, next, 1);
            }
            printer.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf("%n[%d tokens in %.3f s, %.1f tokens/s]%n", generated, seconds, generated / seconds);
        } finally {
            llama_h.llama_sampler_free(sampler);
            llama_h.llama_free(context);
        }
    }

    /** Prints UTF-8 bytes as they come, holding back an incomplete character until its last byte. */
    private static final class Utf8Printer {
        private final PrintStream out;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        private final ByteBuffer pending = ByteBuffer.allocate(1024);
        private final CharBuffer chars = CharBuffer.allocate(1024);

        Utf8Printer(PrintStream out) {
            this.out = out;
        }

        void write(ByteBuffer bytes) {
            pending.put(bytes).flip();
            decoder.decode(pending, chars, false);
            pending.compact();
            out.print(chars.flip());
            out.flush();
            chars.clear();
        }

        void flush() {
            pending.flip();
            decoder.decode(pending, chars, true);
            decoder.flush(chars);
            out.print(chars.flip());
            out.println();
        }
    }
}
