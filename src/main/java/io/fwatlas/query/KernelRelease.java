package io.fwatlas.query;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A kernel release string split into its version and its flavour, ordered as releases are
 * ({@code 6.1.0-9 < 6.1.0-10 < 6.1.90 < 6.12.1}), not as strings. Different flavours
 * ({@code amd64}, {@code cloud-amd64}, {@code rt-amd64}, {@code generic}) are separate series.
 *
 * <p>Versions compare with Debian's version algorithm (dpkg's verrevcmp): digit runs as numbers,
 * other runs character by character, letters before other characters, and {@code ~} before
 * everything, even the end. A {@code -rcN} suffix is read as {@code ~rcN}, so a release candidate
 * comes before its release.
 */
public record KernelRelease(String release, String version, String flavour) implements Comparable<KernelRelease>,
        Serializable {

    /** Architectures that end Fedora/RHEL-style releases ({@code 6.8.5-301.fc40.x86_64}). */
    private static final Set<String> ARCHES = Set.of("x86_64", "aarch64", "i686", "i586", "i386", "ppc64le",
            "ppc64", "s390x", "armv7hl", "armv7l", "riscv64", "noarch", "loongarch64");
    private static final Pattern PRERELEASE = Pattern.compile("rc\\d+");
    private static final Pattern TAGGED = Pattern.compile("(\\d+(?:\\.\\d+)+\\+[^-]+)-(.+)");
    private static final Pattern WITH_ABI = Pattern.compile("(\\d+(?:\\.\\d+)+-\\d[0-9a-z.]*)-(.+)");

    /** Release order within a flavour; across flavours, by flavour name first. */
    public static final Comparator<KernelRelease> ORDER = Comparator.comparing(KernelRelease::flavour)
            .thenComparing((a, b) -> compareVersions(a.version, b.version))
            .thenComparing(KernelRelease::release);

    /**
     * Splits {@code release} by the first naming scheme that fits:
     * <ol>
     * <li>Fedora, RHEL, CentOS: {@code VERSION-RELEASE.ARCH[+VARIANT]} ({@code 6.11.4-301.fc41.x86_64},
     *     {@code 5.14.0-427.13.1.el9_4.x86_64+rt}): the flavour is the architecture and variant;</li>
     * <li>Debian since 6.12, Raspberry Pi OS: {@code UPSTREAM+TAG-FLAVOUR} ({@code 6.12.115+deb12-rt-amd64},
     *     {@code 6.6.51+rpt-rpi-v8});</li>
     * <li>Debian before, Ubuntu, openSUSE, Arch's lts: {@code UPSTREAM-ABI-FLAVOUR}, the ABI starting with a
     *     digit ({@code 6.1.0-50-686-pae}, {@code 6.8.0-45-generic}, {@code 6.4.0-150600.23.25-default},
     *     {@code 6.6.58-1-lts}): the flavour is all that follows the ABI, digits and all;</li>
     * <li>anything else (vanilla {@code 6.13.0-rc3}, Arch {@code 6.11.5-arch1-1}, {@code 6.11.5-zen1-1-zen}):
     *     the trailing {@code -} words that start with a letter and are not {@code rcN}.</li>
     * </ol>
     */
    public static KernelRelease parse(String release) {
        if (release == null || release.isBlank()) {
            throw new IllegalArgumentException("kernel release is empty");
        }
        String r = release.strip();
        int dot = r.lastIndexOf('.');
        if (dot > 0) {
            String tail = r.substring(dot + 1);
            int plus = tail.indexOf('+');
            if (ARCHES.contains(plus < 0 ? tail : tail.substring(0, plus))) {
                return new KernelRelease(r, r.substring(0, dot), tail);
            }
        }
        java.util.regex.Matcher m = TAGGED.matcher(r);
        if (m.matches() || (m = WITH_ABI.matcher(r)).matches()) {
            return new KernelRelease(r, m.group(1), m.group(2));
        }
        int cut = r.length();
        while (true) {
            int dash = r.lastIndexOf('-', cut - 1);
            if (dash <= 0) {
                break;
            }
            String word = r.substring(dash + 1, cut);
            if (word.isEmpty() || !Character.isLetter(word.charAt(0)) || PRERELEASE.matcher(word).matches()) {
                break;
            }
            cut = dash;
        }
        return cut < r.length() ? new KernelRelease(r, r.substring(0, cut), r.substring(cut + 1))
                : new KernelRelease(r, r, "");
    }

    /** The series a release belongs to: its flavour, or {@code ""} when it has none. */
    public String series() {
        return flavour;
    }

    @Override
    public int compareTo(KernelRelease o) {
        return ORDER.compare(this, o);
    }

    /** Compares two release strings in release order (flavour first, then version). */
    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    /** dpkg's verrevcmp over the whole string, with {@code -rcN} read as {@code ~rcN}. */
    static int compareVersions(String a, String b) {
        String x = a.replaceAll("-(rc\\d+)", "~$1");
        String y = b.replaceAll("-(rc\\d+)", "~$1");
        int i = 0;
        int j = 0;
        while (i < x.length() || j < y.length()) {
            int firstDiff = 0;
            while ((i < x.length() && !Character.isDigit(x.charAt(i)))
                    || (j < y.length() && !Character.isDigit(y.charAt(j)))) {
                int ac = i < x.length() && !Character.isDigit(x.charAt(i)) ? weight(x.charAt(i)) : 0;
                int bc = j < y.length() && !Character.isDigit(y.charAt(j)) ? weight(y.charAt(j)) : 0;
                if (ac != bc) {
                    return Integer.compare(ac, bc);
                }
                i++;
                j++;
            }
            while (i < x.length() && x.charAt(i) == '0') {
                i++;
            }
            while (j < y.length() && y.charAt(j) == '0') {
                j++;
            }
            while (i < x.length() && Character.isDigit(x.charAt(i)) && j < y.length()
                    && Character.isDigit(y.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = x.charAt(i) - y.charAt(j);
                }
                i++;
                j++;
            }
            if (i < x.length() && Character.isDigit(x.charAt(i))) {
                return 1;
            }
            if (j < y.length() && Character.isDigit(y.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }

    /** dpkg's order: '~' first, then the end of a part, then letters, then everything else. */
    private static int weight(char c) {
        if (c == '~') {
            return -1;
        }
        if (Character.isLetter(c)) {
            return c;
        }
        return c + 256;
    }
}
