package io.fwatlas.module;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The aliases of one kernel (or of part of one) in the shape of kmod's {@code modules.alias.bin}, a
 * path-compressed byte trie, answered the way kmod 30's {@code index_searchwild}
 * (libkmod-index.c) answers: the device's bytes are walked down the trie literally; at each node,
 * every stored alias below a {@code *}, {@code ?} or {@code [} child is tested with
 * {@code fnmatch(rest of the alias, rest of the device, 0)} from that node's offset, and where a
 * node's own label holds such a byte the walk tests that node's aliases from there and stops.
 *
 * <p>For a device without {@code *?[} this is simply: an alias without them matches when it equals
 * the device; another matches when the bytes before its first {@code *?[} are a prefix of the
 * device and fnmatch accepts the rest from that offset. A backslash before the first wildcard is
 * therefore a plain byte of the prefix, not an escape. A device that holds {@code *?[} itself also
 * descends through such edges as literal bytes, so it may match an alias a second way; which ways
 * exist depends on where the trie has nodes, that is on the other aliases. This class builds the
 * same trie kmod does (one node at the root, at every branch and at every alias end), so it answers
 * as kmod would for the same set of aliases.
 *
 * <p>Around the matching, modprobe adds rules this class leaves to its caller: it answers from
 * loadable modules and looks at built-in ones only when none match (two tries; index them apart to
 * get its answers for devices holding {@code *?[}), and libkmod fails the lookup when a match's
 * module name and the device need more than 4094 bytes together (ENAMETOOLONG), so it resolves no
 * device of 4095 bytes or more. Bytes above 0x7f are matched as bytes: kmod's trie is 7-bit only,
 * and depmod 30 crashes on such aliases (its check misses them where char is signed), so there is
 * no kmod answer to follow.
 *
 * <p>Immutable once built and safe to share between threads. Lookups allocate nothing, except for
 * a device holding {@code *?[}, whose hits are gathered to report each id once.
 */
public final class AliasIndex {
    /** The distinct normalized aliases, sorted as unsigned bytes, back to back. */
    private final byte[] text;
    /** Alias k is {@code text[keyStart[k] .. keyStart[k + 1])}. */
    private final int[] keyStart;
    /** The ids of alias k are {@code ids[idStart[k] .. idStart[k + 1])}. */
    private final int[] idStart;
    private final int[] ids;
    /**
     * What pattern k needs to find in a device before fnmatch is worth running: longs 4k and 4k+1
     * are the ASCII bytes of its literal part, 4k+2 and 4k+3 a 128-bit Bloom filter of the 3-byte
     * runs in it. Its literal part is what follows its first wildcard up to its first '[' or '\\'
     * (past those, glibc's bracket rules decide what is literal), less '*' and '?'. A few ANDs reject
     * most of the hundreds of patterns that share a short prefix ("of:N", "acpi", "usb:v") and so
     * are tried on every device of their bus.
     */
    private final long[] needs;

    // Trie node v covers the aliases lo[v] .. hi[v]-1, which share their first depth[v] bytes. Its
    // label (the bytes after the edge byte that leads to it) ends at depth[v]; wild[v] is the
    // offset of the first *?[ in the label, or depth[v]. Node 0 is the root.
    private final int[] depth;
    private final int[] lo;
    private final int[] hi;
    private final int[] wild;
    /** Whether v has a child under '*', '?' or '['. */
    private final boolean[] wildChild;
    /** The children of v, sorted by edge byte: childLabel/childNode[childStart[v] .. childStart[v + 1]). */
    private final int[] childStart;
    private final byte[] childLabel;
    private final int[] childNode;

    private AliasIndex(byte[] text, int[] keyStart, int[] idStart, int[] ids, Trie t) {
        this.text = text;
        this.keyStart = keyStart;
        this.idStart = idStart;
        this.ids = ids;
        this.needs = needs(text, keyStart);
        this.depth = Arrays.copyOf(t.depth, t.nodes);
        this.lo = Arrays.copyOf(t.lo, t.nodes);
        this.hi = Arrays.copyOf(t.hi, t.nodes);
        this.wild = Arrays.copyOf(t.wild, t.nodes);
        this.wildChild = Arrays.copyOf(t.wildChild, t.nodes);
        this.childStart = Arrays.copyOf(t.childStart, t.nodes + 1);
        this.childLabel = Arrays.copyOf(t.childLabel, t.edges);
        this.childNode = Arrays.copyOf(t.childNode, t.edges);
    }

    /** How many aliases were stored (one per id). */
    public int size() {
        return ids.length;
    }

    /**
     * Reports the id of every alias that matches {@code modalias}, each once.
     *
     * @throws IllegalArgumentException when kmod would reject the modalias itself
     */
    public void lookup(String modalias, IntConsumer hit) {
        byte[] raw = modalias.getBytes(StandardCharsets.UTF_8);
        byte[] device = Modalias.normalize(raw);
        if (device == null) {
            throw new IllegalArgumentException("invalid modalias \"" + modalias + "\": " + Modalias.problem(raw));
        }
        lookupNormalized(device, hit);
    }

    /** {@link #lookup} for a device already normalized by {@link Modalias#normalize(byte[])}; a NUL ends it. */
    public void lookupNormalized(byte[] device, IntConsumer hit) {
        int m = 0;
        while (m < device.length && device[m] != 0) {
            m++;
        }
        if (Modalias.firstWildcard(device, 0, m) < 0) {
            walk(device, m, hit, null);
        } else {
            Hits seen = new Hits();
            walk(device, m, null, seen);
            seen.report(this, hit);
        }
    }

    private void walk(byte[] d, int m, IntConsumer hit, Hits seen) {
        if (keyStart.length == 1) {
            return;
        }
        long has0 = 0;
        long has1 = 0;
        for (int i = 0; i < m; i++) {
            int c = d[i];
            if (c >= 64) {
                has1 |= 1L << c;
            } else if (c >= 0) {
                has0 |= 1L << c;
            }
        }
        long g0 = 0; // the device's 3-byte runs, as the patterns' filters hash them
        long g1 = 0;
        for (int i = 0; i + 2 < m; i++) {
            int h = gram(d[i], d[i + 1], d[i + 2]);
            if (h >= 64) {
                g1 |= 1L << h;
            } else {
                g0 |= 1L << h;
            }
        }
        int v = 0;
        int at = 0;
        while (true) {
            if (wildChild[v]) {
                for (int e = childStart[v]; e < childStart[v + 1]; e++) {
                    if (Modalias.isWildcard(childLabel[e])) {
                        int u = childNode[e];
                        test(lo[u], hi[u], at, d, m, has0, has1, g0, g1, hit, seen);
                    }
                }
            }
            if (at == m) {
                int k = lo[v];
                if (keyStart[k + 1] - keyStart[k] == at) {
                    found(k, hit, seen);
                }
                return;
            }
            int u = child(v, d[at]);
            if (u < 0) {
                return;
            }
            int base = keyStart[lo[u]];
            int w = wild[u];
            for (int j = at + 1; j < w; j++) {
                if (j >= m || text[base + j] != d[j]) {
                    return;
                }
            }
            if (w < depth[u]) {
                test(lo[u], hi[u], w, d, m, has0, has1, g0, g1, hit, seen);
                return;
            }
            v = u;
            at = depth[u];
        }
    }

    /**
     * fnmatch of aliases {@code from .. to-1} against the device, both from offset {@code at}; has0
     * and has1 are the device's ASCII bytes as bits, g0 and g1 its 3-byte runs.
     */
    private void test(int from, int to, int at, byte[] d, int m, long has0, long has1, long g0, long g1,
            IntConsumer hit, Hits seen) {
        for (int k = from; k < to; k++) {
            int f = 4 * k;
            if ((needs[f] & ~has0 | needs[f + 1] & ~has1 | needs[f + 2] & ~g0 | needs[f + 3] & ~g1) == 0
                    && Fnmatch.match(text, keyStart[k] + at, keyStart[k + 1], d, at, m)) {
                found(k, hit, seen);
            }
        }
    }

    /**
     * The filters of {@link #needs}. Each byte and run counted is matched literally however fnmatch
     * is started on the pattern: it starts at a '*?[' the walk reached by matching every byte before
     * it, so the pattern's bytes before that offset are the device's bytes too, and a run never
     * spans the '*?[' it starts at.
     */
    private static long[] needs(byte[] text, int[] keyStart) {
        int n = keyStart.length - 1;
        long[] out = new long[4 * n];
        for (int k = 0; k < n; k++) {
            int end = keyStart[k + 1];
            int i = Modalias.firstWildcard(text, keyStart[k], end);
            int run = 0;
            for (; i >= 0 && i < end && text[i] != '[' && text[i] != '\\'; i++) {
                int c = text[i];
                if (c == '*' || c == '?') {
                    run = 0;
                    continue;
                }
                run++;
                if (c >= 0) {
                    out[4 * k + (c >> 6)] |= 1L << c;
                }
                if (run >= 3) {
                    int h = gram(text[i - 2], text[i - 1], text[i]);
                    out[4 * k + 2 + (h >> 6)] |= 1L << h;
                }
            }
        }
        return out;
    }

    private static int gram(byte a, byte b, byte c) {
        return ((a * 961 + b * 31 + c) * 0x9E3779B1) >>> 25;
    }

    private void found(int k, IntConsumer hit, Hits seen) {
        if (seen != null) {
            seen.add(k);
            return;
        }
        for (int i = idStart[k]; i < idStart[k + 1]; i++) {
            hit.accept(ids[i]);
        }
    }

    private int child(int v, byte b) {
        int from = childStart[v];
        int to = childStart[v + 1];
        int c = b & 0xff;
        if (to - from <= 8) {
            for (int e = from; e < to; e++) {
                int l = childLabel[e] & 0xff;
                if (l == c) {
                    return childNode[e];
                }
                if (l > c) {
                    return -1;
                }
            }
            return -1;
        }
        int a = from;
        int z = to - 1;
        while (a <= z) {
            int mid = (a + z) >>> 1;
            int l = childLabel[mid] & 0xff;
            if (l < c) {
                a = mid + 1;
            } else if (l > c) {
                z = mid - 1;
            } else {
                return childNode[mid];
            }
        }
        return -1;
    }

    /** The aliases a device holding *?[ matched, which kmod may find more than once. */
    private static final class Hits {
        private int[] keys = new int[8];
        private int n;

        void add(int k) {
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
            }
            keys[n++] = k;
        }

        void report(AliasIndex index, IntConsumer hit) {
            Arrays.sort(keys, 0, n);
            for (int i = 0; i < n; i++) {
                if (i == 0 || keys[i] != keys[i - 1]) {
                    index.found(keys[i], hit, null);
                }
            }
        }
    }

    /**
     * Collects aliases with caller-chosen ids (a row position, say). Not thread-safe. Each alias is
     * normalized as kmod normalizes it; one kmod rejects is not stored, as depmod skips it with a
     * warning. An id may be added once; two ids may carry the same alias.
     */
    public static final class Builder {
        private byte[][] keys = new byte[64][];
        private int[] keyIds = new int[64];
        private int n;

        /** Adds the alias under {@code id}; false when kmod rejects it (it is then not stored). */
        public boolean add(String alias, int id) {
            return add(alias.getBytes(StandardCharsets.UTF_8), id);
        }

        /** {@link #add(String, int)} on bytes; a NUL ends the alias. */
        public boolean add(byte[] alias, int id) {
            byte[] key = Modalias.normalize(alias);
            if (key == null) {
                return false;
            }
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
                keyIds = Arrays.copyOf(keyIds, n * 2);
            }
            keys[n] = key;
            keyIds[n] = id;
            n++;
            return true;
        }

        /**
         * The index of everything added so far; the builder stays usable.
         *
         * @throws IllegalArgumentException when an id was added twice
         */
        public AliasIndex build() {
            int[] sortedIds = Arrays.copyOf(keyIds, n);
            Arrays.sort(sortedIds);
            for (int i = 1; i < n; i++) {
                if (sortedIds[i] == sortedIds[i - 1]) {
                    throw new IllegalArgumentException("id " + sortedIds[i] + " was added more than once");
                }
            }
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            sort(order, new int[n], 0, n);

            // Distinct aliases, each with its ids in the order they were added.
            int distinct = 0;
            int bytes = 0;
            for (int i = 0; i < n; i++) {
                if (i == 0 || !Arrays.equals(keys[order[i]], keys[order[i - 1]])) {
                    distinct++;
                    bytes += keys[order[i]].length;
                }
            }
            byte[] text = new byte[bytes];
            int[] keyStart = new int[distinct + 1];
            int[] idStart = new int[distinct + 1];
            int[] ids = new int[n];
            int k = -1;
            int pos = 0;
            for (int i = 0; i < n; i++) {
                byte[] key = keys[order[i]];
                if (i == 0 || !Arrays.equals(key, keys[order[i - 1]])) {
                    k++;
                    keyStart[k] = pos;
                    idStart[k] = i;
                    System.arraycopy(key, 0, text, pos, key.length);
                    pos += key.length;
                }
                ids[i] = keyIds[order[i]];
            }
            keyStart[distinct] = pos;
            idStart[distinct] = n;
            return new AliasIndex(text, keyStart, idStart, ids, new Trie(text, keyStart));
        }

        /** Stable merge sort of alias positions by their bytes, unsigned. */
        private void sort(int[] a, int[] tmp, int from, int to) {
            if (to - from < 2) {
                return;
            }
            if (to - from <= 16) {
                for (int i = from + 1; i < to; i++) {
                    int x = a[i];
                    int j = i - 1;
                    while (j >= from && Arrays.compareUnsigned(keys[a[j]], keys[x]) > 0) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = x;
                }
                return;
            }
            int mid = (from + to) >>> 1;
            sort(a, tmp, from, mid);
            sort(a, tmp, mid, to);
            if (Arrays.compareUnsigned(keys[a[mid - 1]], keys[a[mid]]) <= 0) {
                return;
            }
            System.arraycopy(a, from, tmp, from, to - from);
            int i = from;
            int j = mid;
            for (int o = from; o < to; o++) {
                if (j >= to || i < mid && Arrays.compareUnsigned(keys[tmp[i]], keys[tmp[j]]) <= 0) {
                    a[o] = tmp[i++];
                } else {
                    a[o] = tmp[j++];
                }
            }
        }
    }

    /**
     * Builds the trie depth-first from the sorted aliases: a node covers a range of them, ends where
     * they stop sharing bytes (or where the single one ends), and has one child per byte the longer
     * ones continue with. Each child range is found by binary search, so building is O(n log n)
     * plus the length of all labels.
     */
    private static final class Trie {
        final byte[] text;
        final int[] keyStart;
        int nodes;
        int edges;
        final int[] depth;
        final int[] lo;
        final int[] hi;
        final int[] wild;
        final boolean[] wildChild;
        final int[] childStart;
        final byte[] childLabel;
        final int[] childNode;

        Trie(byte[] text, int[] keyStart) {
            this.text = text;
            this.keyStart = keyStart;
            int n = keyStart.length - 1;
            // At most one leaf per alias, fewer branches than leaves, and the root.
            int max = 2 * n + 1;
            depth = new int[max];
            lo = new int[max];
            hi = new int[max];
            wild = new int[max];
            wildChild = new boolean[max];
            childStart = new int[max + 1];
            childLabel = new byte[max];
            childNode = new int[max];

            // Pending nodes: range, offset of the first label byte, edge slot to fill with the node.
            int[] stack = new int[4 * max];
            int top = 0;
            stack[top++] = 0;
            stack[top++] = n;
            stack[top++] = 0;
            stack[top++] = -1;
            while (top > 0) {
                int slot = stack[--top];
                int start = stack[--top];
                int to = stack[--top];
                int from = stack[--top];
                int v = nodes++;
                if (slot >= 0) {
                    childNode[slot] = v;
                }
                int end;
                if (slot < 0) {
                    end = 0; // kmod's root never has a label
                } else if (to - from == 1) {
                    end = length(from);
                } else {
                    end = start;
                    int a = keyStart[from];
                    int b = keyStart[to - 1];
                    int limit = Math.min(length(from), length(to - 1));
                    while (end < limit && text[a + end] == text[b + end]) {
                        end++;
                    }
                }
                depth[v] = end;
                lo[v] = from;
                hi[v] = to;
                int w = start;
                while (w < end && !Modalias.isWildcard(text[keyStart[from] + w])) {
                    w++;
                }
                wild[v] = w;

                childStart[v] = edges;
                int first = edges;
                int i = from < to && length(from) == end ? from + 1 : from;
                while (i < to) {
                    int c = text[keyStart[i] + end] & 0xff;
                    int j = upper(i, to, end, c);
                    childLabel[edges] = (byte) c;
                    if (Modalias.isWildcard((byte) c)) {
                        wildChild[v] = true;
                    }
                    edges++;
                    i = j;
                }
                childStart[v + 1] = edges;
                // Pushed last child first, so the first child is numbered next, as the edges are laid out.
                int e = edges;
                i = to;
                while (e > first) {
                    e--;
                    int c = childLabel[e] & 0xff;
                    int j = lower(from, i, end, c);
                    stack[top++] = j;
                    stack[top++] = i;
                    stack[top++] = end + 1;
                    stack[top++] = e;
                    i = j;
                }
            }
        }

        private int length(int k) {
            return keyStart[k + 1] - keyStart[k];
        }

        /** First alias in [from, to) whose byte at {@code at} is above c; all are longer than at. */
        private int upper(int from, int to, int at, int c) {
            int a = from;
            int z = to;
            while (a < z) {
                int mid = (a + z) >>> 1;
                if ((text[keyStart[mid] + at] & 0xff) <= c) {
                    a = mid + 1;
                } else {
                    z = mid;
                }
            }
            return a;
        }

        /** First alias in [from, to) whose byte at {@code at} is c or above, skipping one that ends there. */
        private int lower(int from, int to, int at, int c) {
            int a = from;
            int z = to;
            while (a < z) {
                int mid = (a + z) >>> 1;
                if (length(mid) <= at || (text[keyStart[mid] + at] & 0xff) < c) {
                    a = mid + 1;
                } else {
                    z = mid;
                }
            }
            return a;
        }
    }
}
