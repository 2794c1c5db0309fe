/**
 * Implementation details of llama-jvm, public only so that {@code dev.llamajvm} can reach them: not
 * API, may change in any release. Native loading lives here as plain Java (no java.lang.foreign) so
 * a later Java 17 / JNI build can share it.
 */
package dev.llamajvm.internal;
