package dev.llamajvm.fuzz.targets;

import dev.llamajvm.GenerateOptions;
import dev.llamajvm.LlamaException;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.Sampling;
import dev.llamajvm.Session;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.fuzz.FuzzEnvironment;

import java.nio.charset.StandardCharsets;

/**
 * Text as a GBNF grammar: a sampler is made from it and constrains a few tokens of stories260K
 * (greedy and seeded). Seeds: llama.cpp's grammars/ and the grammars in this module's resources.
 */
public final class GrammarSampling {

    private static Session session;

    private GrammarSampling() {}

    public static void fuzzerInitialize() {
        NativeLibraries.load();
        LlamaModel model = LlamaModel.load(FuzzEnvironment.stories260K());
        session = model.newSession(SessionOptions.defaults().contextSize(128).threads(1));
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String grammar = new String(data, StandardCharsets.UTF_8);
        // The last byte picks the sampling chain, so both kinds of pick see every grammar.
        Sampling sampling = data.length > 0 && (data[data.length - 1] & 1) == 1
                ? Sampling.seeded(7).temperature(1.5f).grammar(grammar)
                : Sampling.greedy().grammar(grammar);
        try {
            session.reset();
            String text = session.complete("Once", GenerateOptions.defaults().maxTokens(4).sampling(sampling)).text();
            Outcomes.accepted(text);
        } catch (LlamaException e) {
            Outcomes.refused(1, e);
        }
    }
}
