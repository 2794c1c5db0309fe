package dev.llamajvm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Facts Maven writes into the jar at build time (the filtered {@code build.properties} beside this
 * class), so messages can name the exact artifact version to depend on.
 *
 * <p>Stateless; any thread may use it.
 */
public final class BuildInfo {

    /** Shown instead of the version when the jar was built without Maven's resource filtering. */
    static final String UNKNOWN_VERSION = "<llama-jvm version>";

    private BuildInfo() {
    }

    /** This library's Maven version, which the natives jars share. */
    public static String version() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return UNKNOWN_VERSION;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            // An unfiltered copy (an IDE build that skipped Maven) still holds the placeholder.
            return version.isBlank() || version.startsWith("${") ? UNKNOWN_VERSION : version;
        } catch (IOException e) {
            return UNKNOWN_VERSION;
        }
    }
}
