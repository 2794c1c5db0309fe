package dev.llamajvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {

    @ParameterizedTest
    @CsvSource({
        "Linux, amd64, linux-x86_64",
        "Linux, x86_64, linux-x86_64",
        "Linux, aarch64, linux-arm64",
        "Mac OS X, aarch64, macosx-arm64",
        "Mac OS X, x86_64, macosx-x86_64",
        "Darwin, arm64, macosx-arm64",
        "Windows 11, amd64, windows-x86_64",
    })
    void mapsOsAndArchToClassifier(String os, String arch, String classifier) {
        assertEquals(Optional.of(classifier), new Platform(os, arch).classifier());
    }

    @ParameterizedTest
    @CsvSource({"FreeBSD, amd64", "Linux, ppc64le", "Windows 11, aarch64", "'', ''"})
    void hasNoClassifierWhereNoNativesAreBuilt(String os, String arch) {
        assertEquals(Optional.empty(), new Platform(os, arch).classifier());
    }

    @Test
    void muslHasNoClassifierAndGlibcIsTheLinuxDefault() {
        assertEquals(Optional.empty(), new Platform("Linux", "amd64", Platform.MUSL).classifier());
        assertEquals(Platform.GLIBC, new Platform("Linux", "amd64").libc());
        assertEquals("", new Platform("Mac OS X", "aarch64").libc());
    }

    @Test
    void thisJvmIsNotOnMusl() {
        // The project's machines are Debian (glibc); /proc/self/maps names the dynamic loader.
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        assertEquals(Platform.GLIBC, Platform.current().libc());
    }

    @Test
    void currentReportsTheJvmsProperties() {
        Platform p = Platform.current();
        assertEquals(System.getProperty("os.name"), p.osName());
        assertEquals(System.getProperty("os.arch"), p.osArch());
    }
}
