package dev.llamajvm.testing.models;

/**
 * A random model had to be made, and this JVM cannot make one: the writers call llama.cpp through
 * the Panama bindings (Java 22+). Tests on an older Java use the models a Java 22+ run cached.
 */
public final class ModelWriterUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    ModelWriterUnavailableException(String message) {
        super(message);
    }
}
