package io.fwatlas.packages;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one ar member as its header declares them: ending before that many bytes arrived is
 * truncation (commons-compress's ar reader just returns -1). Closing leaves the archive open.
 */
final class MemberStream extends ReadThroughStream {
    private final InputStream in;
    private final String what;
    private final long size;
    private long position;

    MemberStream(InputStream in, String what, long size) {
        this.in = in;
        this.what = what;
        this.size = size;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, size - position));
        if (n < 0) {
            throw new Fault(new TruncatedPackageException(what, size, position));
        }
        position += n;
        return n;
    }

    /** Reads what is left, so that a cut member is noticed even when its reader stopped early. */
    void drain() throws IOException {
        byte[] scratch = new byte[64 * 1024];
        while (read(scratch, 0, scratch.length) >= 0) {
            // the count is checked in read
        }
    }

    @Override
    public void close() {
        // the archive goes on after this member
    }
}
