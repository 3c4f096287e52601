package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelReleaseTest {

    @ParameterizedTest
    @CsvSource({
        "6.1.0-18-amd64, 6.1.0-18, amd64",
        "6.1.0-56-cloud-amd64, 6.1.0-56, cloud-amd64",
        "6.1.0-56-rt-amd64, 6.1.0-56, rt-amd64",
        "6.12.117+deb12-amd64, 6.12.117+deb12, amd64",
        "6.12.9+deb13-cloud-arm64, 6.12.9+deb13, cloud-arm64",
        "5.15.0-91-generic, 5.15.0-91, generic",
        "6.8.5-301.fc40.x86_64, 6.8.5-301.fc40, x86_64",
        "5.14.0-362.8.1.el9_3.aarch64, 5.14.0-362.8.1.el9_3, aarch64",
        "6.9.0-rc3, 6.9.0-rc3, ''",
        "6.9.0-rc3-amd64, 6.9.0-rc3, amd64",
        "4.19.0-27-armmp-lpae, 4.19.0-27, armmp-lpae",
        "6.6.6-hostile, 6.6.6, hostile",
        "6.1.90, 6.1.90, ''",
        // Debian: every flavour, old and new scheme (digits in a flavour are the flavour's)
        "6.1.0-50-686, 6.1.0-50, 686",
        "6.1.0-50-686-pae, 6.1.0-50, 686-pae",
        "6.1.0-50-rt-686-pae, 6.1.0-50, rt-686-pae",
        "6.1.0-50-4kc-malta, 6.1.0-50, 4kc-malta",
        "6.1.0-50-loongson-3, 6.1.0-50, loongson-3",
        "6.1.0-50-powerpc64le, 6.1.0-50, powerpc64le",
        "6.1.0-0.deb11.17-amd64, 6.1.0-0.deb11.17, amd64",
        "6.12.115+deb12-rt-amd64, 6.12.115+deb12, rt-amd64",
        "6.12.117+deb13-cloud-arm64, 6.12.117+deb13, cloud-arm64",
        "6.12.9+deb13-686-pae, 6.12.9+deb13, 686-pae",
        "6.12.9+deb13-arm64-16k, 6.12.9+deb13, arm64-16k",
        "6.6.51+rpt-rpi-v8, 6.6.51+rpt, rpi-v8",
        // Ubuntu
        "6.8.0-45-generic, 6.8.0-45, generic",
        "6.8.0-45-lowlatency, 6.8.0-45, lowlatency",
        "6.8.0-1015-aws, 6.8.0-1015, aws",
        "6.8.0-45-generic-64k, 6.8.0-45, generic-64k",
        // Fedora, RHEL
        "6.11.4-301.fc41.x86_64, 6.11.4-301.fc41, x86_64",
        "6.11.4-301.fc41.x86_64+debug, 6.11.4-301.fc41, x86_64+debug",
        "5.14.0-427.13.1.el9_4.x86_64, 5.14.0-427.13.1.el9_4, x86_64",
        "5.14.0-427.13.1.el9_4.x86_64+rt, 5.14.0-427.13.1.el9_4, x86_64+rt",
        "4.18.0-513.5.1.rt7.307.el8_9.x86_64, 4.18.0-513.5.1.rt7.307.el8_9, x86_64",
        // Arch
        "6.11.5-arch1-1, 6.11.5-arch1-1, ''",
        "6.6.58-1-lts, 6.6.58-1, lts",
        "6.11.5-zen1-1-zen, 6.11.5-zen1-1, zen",
        "6.11.5-hardened1-1-hardened, 6.11.5-hardened1-1, hardened",
        // openSUSE
        "6.4.0-150600.23.25-default, 6.4.0-150600.23.25, default",
        "6.11.5-1-default, 6.11.5-1, default",
        "6.4.0-150600.23.25-azure, 6.4.0-150600.23.25, azure",
        // vanilla
        "6.12.0, 6.12.0, ''",
        "6.13.0-rc3, 6.13.0-rc3, ''",
        "6.13.0-rc3-custom, 6.13.0-rc3, custom",
    })
    void splitsVersionAndFlavour(String release, String version, String flavour) {
        KernelRelease k = KernelRelease.parse(release);
        assertEquals(version, k.version());
        assertEquals(flavour, k.flavour());
        assertEquals(release, k.release());
    }

    @Test
    void ordersReleasesNotStrings() {
        List<String> expected = List.of("6.1.0-9", "6.1.0-10", "6.1.90", "6.9.0-rc1", "6.9.0-rc3", "6.9.0",
                "6.9.1", "6.12.1", "6.12.9", "6.12.10", "10.0.0");
        assertSortsTo(expected);
    }

    @Test
    void ordersDebianReleasesOfOneFlavour() {
        assertSortsTo(List.of("6.1.0-9-amd64", "6.1.0-10-amd64", "6.1.0-47-amd64", "6.1.0-56-amd64",
                "6.12.9+deb13-amd64", "6.12.107+deb12-amd64", "6.12.117+deb12-amd64"));
    }

    @Test
    void debianRevisionSuffixesCompareNumerically() {
        assertTrue(KernelRelease.compare("6.12.117+deb12-amd64", "6.12.117+deb13-amd64") < 0);
        assertTrue(KernelRelease.compare("6.12.117+deb13-amd64", "6.12.118+deb12-amd64") < 0);
        assertTrue(KernelRelease.compare("6.8.5-301.fc40.x86_64", "6.8.10-300.fc40.x86_64") < 0);
        assertTrue(KernelRelease.compare("6.8.5-301.fc39.x86_64", "6.8.5-301.fc40.x86_64") < 0);
    }

    @Test
    void flavoursAreSeparateSeries() {
        KernelRelease plain = KernelRelease.parse("6.1.0-56-amd64");
        KernelRelease cloud = KernelRelease.parse("6.1.0-9-cloud-amd64");
        assertEquals("amd64", plain.series());
        assertEquals("cloud-amd64", cloud.series());
        // Series group first, so an older cloud kernel does not interleave with amd64 ones.
        List<String> sorted = sort(List.of("6.1.0-56-amd64", "6.1.0-9-cloud-amd64", "6.1.0-10-amd64",
                "6.1.0-56-cloud-amd64"));
        assertEquals(List.of("6.1.0-10-amd64", "6.1.0-56-amd64", "6.1.0-9-cloud-amd64", "6.1.0-56-cloud-amd64"),
                sorted);
    }

    @Test
    void equalVersionsAreEqualAndLeadingZerosDoNotCount() {
        assertEquals(0, KernelRelease.compareVersions("6.1.0-9", "6.1.0-9"));
        assertEquals(0, KernelRelease.compareVersions("6.01.0", "6.1.0"));
        assertTrue(KernelRelease.compareVersions("6.1", "6.1.0") < 0);
        assertTrue(KernelRelease.compareVersions("6.1~x", "6.1") < 0);
        assertTrue(KernelRelease.compareVersions("6.1a", "6.1+") < 0);
    }

    @Test
    void orderIsTotalAndConsistentOnShuffles() {
        List<String> expected = List.of("5.10.0-30-amd64", "6.1.0-9-amd64", "6.1.0-10-amd64", "6.1.0-56-amd64",
                "6.12.1-amd64", "6.12.117+deb12-amd64");
        Random r = new Random(7);
        for (int i = 0; i < 50; i++) {
            List<String> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, r);
            assertEquals(expected, sort(shuffled));
        }
    }

    @Test
    void rejectsEmpty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelRelease.parse(" "));
        assertTrue(e.getMessage().contains("empty"));
    }

    private static void assertSortsTo(List<String> expected) {
        List<String> reversed = new ArrayList<>(expected);
        Collections.reverse(reversed);
        assertEquals(expected, sort(reversed));
    }

    private static List<String> sort(List<String> releases) {
        return releases.stream().map(KernelRelease::parse).sorted().map(KernelRelease::release)
                .collect(Collectors.toList());
    }
}
