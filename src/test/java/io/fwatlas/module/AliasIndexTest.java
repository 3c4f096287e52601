package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.DeviceStrings;
import io.fwatlas.fixtures.KernelAliases;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link AliasIndex} against a brute-force oracle that tests every alias on its own with kmod's
 * rule, written from libkmod-index.c's index_searchwild without a trie: walking the device
 * literally, each {@code *?[} of the alias reached is tested with fnmatch from its offset; the walk
 * goes on past one only where kmod's trie has a node there (the root, an alias end, a branch: found
 * by comparing with every other alias), since inside a node's label it stops at the first.
 */
class AliasIndexTest {

    /**
     * The oracle over a list of aliases (id = position; null or invalid ones are not stored): kmod's
     * trie nodes along each alias are found once, by comparing it with every other alias.
     */
    static final class Oracle {
        private final byte[][] keys;
        private final boolean[][] nodes;

        Oracle(List<String> aliases) {
            keys = new byte[aliases.size()][];
            for (int id = 0; id < keys.length; id++) {
                String a = aliases.get(id);
                keys[id] = a == null ? null : Modalias.normalize(a.getBytes(StandardCharsets.UTF_8));
            }
            nodes = new boolean[keys.length][];
            for (int id = 0; id < keys.length; id++) {
                byte[] k = keys[id];
                if (k == null) {
                    continue;
                }
                boolean[] node = new boolean[k.length + 1];
                node[0] = true;
                for (byte[] other : keys) {
                    if (other != null && !Arrays.equals(other, k)) {
                        node[lcp(k, other)] = true;
                    }
                }
                nodes[id] = node;
            }
        }

        Set<Integer> lookup(String device) {
            byte[] d = Modalias.normalize(device.getBytes(StandardCharsets.UTF_8));
            Set<Integer> out = new TreeSet<>();
            for (int id = 0; id < keys.length; id++) {
                if (keys[id] != null && kmodMatches(keys[id], nodes[id], d)) {
                    out.add(id);
                }
            }
            return out;
        }

        byte[] key(int id) {
            return keys[id];
        }
    }

    static Set<Integer> oracle(List<String> aliases, String device) {
        return new Oracle(aliases).lookup(device);
    }

    private static boolean kmodMatches(byte[] k, boolean[] node, byte[] d) {
        for (int i = 0; i < k.length; i++) {
            if (Modalias.isWildcard(k[i])) {
                if (Fnmatch.match(k, i, d, i)) {
                    return true;
                }
                if (!node[i]) {
                    return false;
                }
            }
            if (i >= d.length || k[i] != d[i]) {
                return false;
            }
        }
        return d.length == k.length;
    }

    /** The rule for a device without *?[: equal, or literal prefix and fnmatch from there. */
    private static boolean plainRule(byte[] k, byte[] d) {
        int w = Modalias.firstWildcard(k, 0, k.length);
        if (w < 0) {
            return Arrays.equals(k, d);
        }
        return d.length >= w && Arrays.equals(k, 0, w, d, 0, w) && Fnmatch.match(k, w, d, w);
    }

    private static int lcp(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    private static AliasIndex index(List<String> aliases) {
        AliasIndex.Builder b = new AliasIndex.Builder();
        for (int id = 0; id < aliases.size(); id++) {
            b.add(aliases.get(id), id);
        }
        return b.build();
    }

    /** The ids the index reports, failing on an id reported twice. */
    private static Set<Integer> lookup(AliasIndex index, String device, String where) {
        Set<Integer> got = new TreeSet<>();
        index.lookup(device, id -> {
            if (!got.add(id)) {
                throw new AssertionError(where + ": id " + id + " reported twice for " + device);
            }
        });
        return got;
    }

    private static void compare(List<String> aliases, Oracle oracle, AliasIndex index, String device, String where) {
        Set<Integer> expected = oracle.lookup(device);
        Set<Integer> actual = lookup(index, device, where);
        if (!expected.equals(actual)) {
            List<String> e = new ArrayList<>();
            expected.forEach(id -> e.add(aliases.get(id)));
            List<String> a = new ArrayList<>();
            actual.forEach(id -> a.add(aliases.get(id)));
            throw new AssertionError(where + ": device " + device + "\n expected " + e + "\n actual   " + a);
        }
    }

    private static boolean valid(String device) {
        return Modalias.normalize(device) != null;
    }

    /** Small alphabets full of special bytes make deep, shape-sensitive tries. */
    @Test
    void randomSetsAgainstTheOracle() {
        String alphabet = "ab_-*?[]\\!";
        long seed = 4242L;
        Random r = new Random(seed);
        int hits = 0;
        for (int set = 0; set < 300; set++) {
            List<String> aliases = new ArrayList<>();
            int n = 1 + r.nextInt(60);
            for (int i = 0; i < n; i++) {
                aliases.add(i > 0 && r.nextInt(8) == 0 ? aliases.get(r.nextInt(i)) : random(r, alphabet, r.nextInt(7)));
            }
            AliasIndex index = index(aliases);
            Oracle oracle = new Oracle(aliases);
            List<String> devices = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                devices.add(random(r, "ab_-", r.nextInt(7)));
                devices.add(random(r, alphabet, r.nextInt(6)));
                String a = aliases.get(r.nextInt(n));
                devices.add(a);
                devices.add(DeviceStrings.instantiate(a, r));
            }
            for (String device : devices) {
                if (valid(device)) {
                    hits += oracle.lookup(device).size();
                    compare(aliases, oracle, index, device, "seed " + seed + " set " + set + " " + aliases);
                }
            }
        }
        assertTrue(hits > 5000, "only " + hits + " hits: the comparison would say little");
    }

    @Test
    void realLookingSetsAgainstTheOracle() {
        long seed = 6120L;
        Random r = new Random(seed);
        for (int set = 0; set < 4; set++) {
            List<String> aliases = new ArrayList<>();
            for (KernelAliases.Alias a : KernelAliases.generate(r, 1500)) {
                aliases.add(a.alias());
            }
            aliases.addAll(List.of("pci:v00008086d00002723sv*sd*bc*sc*i*", "pci:v00008086d*sv*sd*bc02sc80i*",
                    "pci:v*d*sv*sd*bc02sc80i*", "vfio_pci:v00008086d00002723sv*sd*bc*sc*i*",
                    "usb:v13FDp3940d0[0-2]*dc*dsc*dp*ic*isc*ip*in*", "usb:v1645p0007d013[0-3]dc*dsc*dp*ic*isc*ip*in*",
                    "acpi*:INT33D2:*", "of:N*T*Cqcom,adreno*", "platform:rtc_cmos", "platform:rtc-cmos",
                    "hid:b0003g*v000005ACp0000026C", "input:b*v*p*e*-e*1,*k*120,*r*a*m*l*s*f*w*",
                    "dmi*:svn*LENOVO*:pvr*ThinkPad X1 Carbon 9th*:", "dmi*:svn*LENOVO*:pvr*ThinkPad*"));
            AliasIndex index = index(aliases);
            Oracle oracle = new Oracle(aliases);
            assertEquals(aliases.size(), index.size());
            int matched = 0;
            for (int i = 0; i < 3000; i++) {
                String a = aliases.get(r.nextInt(aliases.size()));
                String device = switch (i % 4) {
                    case 0 -> DeviceStrings.instantiate(a, r);
                    case 1 -> DeviceStrings.withDashes(DeviceStrings.instantiate(a, r), r);
                    case 2 -> DeviceStrings.nonMember(a, r);
                    default -> DeviceStrings.miss(a, r);
                };
                if (!valid(device)) {
                    continue;
                }
                String where = "seed " + seed + " set " + set + " device " + i;
                compare(aliases, oracle, index, device, where);
                byte[] d = Modalias.normalize(device.getBytes(StandardCharsets.UTF_8));
                if (Modalias.firstWildcard(d, 0, d.length) < 0) {
                    Set<Integer> plain = new TreeSet<>();
                    for (int id = 0; id < aliases.size(); id++) {
                        if (plainRule(oracle.key(id), d)) {
                            plain.add(id);
                        }
                    }
                    assertEquals(plain, oracle.lookup(device), where);
                    matched += plain.isEmpty() ? 0 : 1;
                }
            }
            assertTrue(matched > 1000, "only " + matched + " devices matched");
        }
    }

    @Test
    void realShapes() {
        List<String> aliases = List.of("pci:v00008086d00002723sv*sd*bc*sc*i*", "pci:v*d*sv*sd*bc02sc80i*",
                "vfio_pci:v00008086d00002723sv*sd*bc*sc*i*", "usb:v13FDp3940d0[0-2]*dc*dsc*dp*ic*isc*ip*in*",
                "acpi*:INT33D2:*", "of:N*T*Cqcom,adreno*", "platform:rtc_cmos", "platform:rtc-cmos");
        AliasIndex index = index(aliases);
        assertEquals(Set.of(0, 1), lookup(index, "pci:v00008086d00002723sv00008086sd00000084bc02sc80i00", ""));
        assertEquals(Set.of(0), lookup(index, "pci:v00008086d00002723sv00008086sd00000084bc03sc00i00", ""));
        assertEquals(Set.of(0, 1), lookup(index, "pci:v00008086d00002723sv00008086sd00000084bc02sc80i", ""),
                "the trailing * takes an empty field");
        assertEquals(Set.of(2), lookup(index, "vfio_pci:v00008086d00002723sv00008086sd00000084bc02sc80i00", ""));
        assertEquals(Set.of(2), lookup(index, "vfio-pci:v00008086d00002723sv00008086sd00000084bc02sc80i00", ""));
        assertEquals(Set.of(3), lookup(index, "usb:v13FDp3940d0100dc00dsc00dp00ic08isc06ip50in00", ""));
        assertEquals(Set.of(), lookup(index, "usb:v13FDp3940d0300dc00dsc00dp00ic08isc06ip50in00", ""));
        assertEquals(Set.of(4), lookup(index, "acpi:INT33D2:INT33D2:", ""));
        assertEquals(Set.of(), lookup(index, "acpi:int33d2:", ""), "case matters");
        assertEquals(Set.of(5), lookup(index, "of:NgpuT(null)Cqcom,adreno-630.2Cqcom,adreno", ""));
        assertEquals(Set.of(6, 7), lookup(index, "platform:rtc-cmos", ""), "both sides are normalized");
        assertEquals(Set.of(6, 7), lookup(index, "platform:rtc_cmos", ""));
        assertEquals(Set.of(), lookup(index, "platform:rtc_cmos0", ""));
    }

    @Test
    void duplicatesAndIdsReportedOnce() {
        AliasIndex.Builder b = new AliasIndex.Builder();
        assertTrue(b.add("usb:v1234p5678d*dc*", 10));
        assertTrue(b.add("usb:v1234p5678d*dc*", 11)); // the same alias of two modules
        assertTrue(b.add("usb-v1234p5678d*dc*".replace("usb-", "usb:"), 12));
        assertTrue(b.add("usb:v1234p*d*dc*", 13));
        AliasIndex index = b.build();
        assertEquals(4, index.size());
        assertEquals(Set.of(10, 11, 12, 13), lookup(index, "usb:v1234p5678d0100dc00", ""));
        assertEquals(Set.of(13), lookup(index, "usb:v1234p9999d0100dc00", ""));
    }

    @Test
    void aDeviceWithWildcardsCanMatchOneAliasTwiceYetIsReportedOnce() {
        // kmod finds "a*" through its '*' edge by fnmatch and again by walking '*' literally.
        List<String> aliases = List.of("a*", "ab");
        AliasIndex index = index(aliases);
        List<Integer> ids = new ArrayList<>();
        index.lookup("a*", ids::add);
        assertEquals(List.of(0), ids);
        assertEquals(Set.of(0), oracle(aliases, "a*"));
    }

    /** Where kmod's trie has nodes depends on the other aliases; KmodResolveAliasTest shows kmod agrees. */
    @Test
    void aDeviceWithABracketDependsOnTheTrieShape() {
        assertEquals(Set.of(), lookup(index(List.of("x:a[b]c")), "x:a[b]c", ""));
        assertEquals(Set.of(0), lookup(index(List.of("x:a[b]c", "x:ab")), "x:a[b]c", ""));
        assertEquals(Set.of(0), lookup(index(List.of("x:a[b]c")), "x:abc", ""));
    }

    @Test
    void invalidAliasesAreSkipped() {
        AliasIndex.Builder b = new AliasIndex.Builder();
        assertFalse(b.add("pci:v0000]", 1));
        assertFalse(b.add("usb:v1234p[0-", 2));
        assertFalse(b.add("a".repeat(4093) + "[b]", 3));
        assertTrue(b.add("usb:v1234p5678", 4));
        assertTrue(b.add("", 5));
        AliasIndex index = b.build();
        assertEquals(2, index.size());
        assertEquals(Set.of(4), lookup(index, "usb:v1234p5678", ""));
        assertEquals(Set.of(5), lookup(index, "", ""));
        assertEquals(Set.of(), lookup(index, "pci:v0000", ""));
    }

    @Test
    void anIdAddedTwiceIsRefused() {
        AliasIndex.Builder b = new AliasIndex.Builder();
        b.add("a", 7);
        b.add("b", 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("id 7 was added more than once", e.getMessage());
    }

    @Test
    void anInvalidDeviceIsRefusedWithTheReason() {
        AliasIndex index = index(List.of("a*"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> index.lookup("ab]", id -> { }));
        assertEquals("invalid modalias \"ab]\": a ']' without an open '[' at byte 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> index.lookup("a[b", id -> { }));
        assertEquals("invalid modalias \"a[b\": the '[' at byte 1 is never closed", e.getMessage());
    }

    @Test
    void backslashBeforeTheFirstWildcardIsAPlainByte() {
        // The trie walks "a\b" literally and hands fnmatch only "*"; fnmatch on the whole alias
        // would read "\b" as an escaped 'b'.
        List<String> aliases = List.of("a\\b*", "x*\\*");
        AliasIndex index = index(aliases);
        assertEquals(Set.of(0), lookup(index, "a\\bcd", ""));
        assertEquals(Set.of(), lookup(index, "abcd", ""));
        assertTrue(Fnmatch.match("a\\b*", "abcd"), "fnmatch on the whole string differs");
        assertFalse(Fnmatch.match("a\\b*", "a\\bcd"));
        assertEquals(Set.of(1), lookup(index, "xyz*", ""), "after the first wildcard, \\* is a quoted '*'");
        assertEquals(Set.of(), lookup(index, "xyz", ""));
    }

    @Test
    void longDevicesAreCutLikeAliases() {
        String a = "x".repeat(Modalias.MAX_BYTES);
        AliasIndex index = index(List.of(a + "tail", "y".repeat(5000) + "*"));
        assertEquals(Set.of(0), lookup(index, a + "other", ""));
        assertEquals(Set.of(), lookup(index, a.substring(1), ""));
        assertEquals(Set.of(1), lookup(index, "y".repeat(Modalias.MAX_BYTES), ""));
    }

    @Test
    void normalizedLookupAndNulEnd() {
        AliasIndex index = index(List.of("a_b", "a*"));
        Set<Integer> got = new TreeSet<>();
        index.lookupNormalized("a_b\0zz".getBytes(StandardCharsets.US_ASCII), got::add);
        assertEquals(Set.of(0, 1), got);
        got.clear();
        index.lookupNormalized("a-b".getBytes(StandardCharsets.US_ASCII), got::add);
        assertEquals(Set.of(1), got, "lookupNormalized does not normalize again");
    }

    @Test
    void emptyIndex() {
        AliasIndex index = new AliasIndex.Builder().build();
        assertEquals(0, index.size());
        assertEquals(Set.of(), lookup(index, "pci:v00008086", ""));
        assertEquals(Set.of(), lookup(index, "", ""));
    }

    @Test
    void highBytesAreBytes() {
        List<String> aliases = List.of("of:N*T*Cvendor,m\u00f6del*", "of:N*T*Cvendor,m?del*", "of:N*T*Cvendor,m??del*");
        AliasIndex index = index(aliases);
        // U+00F6 is two bytes in UTF-8: '?' takes one byte, so "m??del" matches it.
        assertEquals(Set.of(0, 2), lookup(index, "of:NxTyCvendor,m\u00f6del-1", ""));
        assertEquals(oracle(aliases, "of:NxTyCvendor,m\u00f6del-1"), lookup(index, "of:NxTyCvendor,m\u00f6del-1", ""));
    }

    private static String random(Random r, String alphabet, int len) {
        StringBuilder s = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
