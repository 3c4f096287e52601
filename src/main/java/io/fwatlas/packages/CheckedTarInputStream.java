package io.fwatlas.packages;

import java.io.IOException;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * commons-compress's tar reader with the checks it leaves out: every header's checksum, a cap on
 * the extended headers it buffers whole (PAX, GNU long names), and truncation where the stream ends
 * before the end-of-archive record (it would report a clean end).
 */
final class CheckedTarInputStream extends TarArchiveInputStream {
    /** The most bytes a PAX header or GNU long name may take; real ones are a few hundred. */
    static final long MAX_EXTENDED_HEADER = 1 << 20;

    private final Meter meter;
    private boolean endSeen;
    /** Old GNU sparse headers may be followed by extension records, which carry no checksum. */
    private boolean sparseExtension;

    CheckedTarInputStream(Meter in) {
        super(in);
        this.meter = in;
    }

    @Override
    protected byte[] readRecord() throws IOException {
        long at = meter.position();
        byte[] r = super.readRecord();
        if (r == null) {
            if (endSeen) {
                return null;
            }
            throw new Fault(new TruncatedPackageException(meter.what() + ": tar header at byte " + at,
                    getRecordSize(), meter.position() - at));
        }
        if (allZero(r)) {
            endSeen = true;
            return r;
        }
        if (sparseExtension) {
            sparseExtension = r[504] != 0;
            return r;
        }
        if (!checksumOk(r)) {
            throw new Fault(new CorruptPackageException(meter.what() + ": tar header at byte " + at
                    + " has a wrong checksum"));
        }
        byte type = r[156];
        long size;
        try {
            size = TarUtils.parseOctalOrBinary(r, 124, 12);
        } catch (IllegalArgumentException e) {
            throw new Fault(new CorruptPackageException(meter.what() + ": tar header at byte " + at
                    + " has an unreadable size: " + e.getMessage()));
        }
        if ((type == 'x' || type == 'g' || type == 'X' || type == 'L' || type == 'K') && size > MAX_EXTENDED_HEADER) {
            throw new Fault(new CorruptPackageException(meter.what() + ": tar extended header (type '" + (char) type
                    + "') at byte " + at + " of " + size + " bytes, more than the limit of " + MAX_EXTENDED_HEADER));
        }
        sparseExtension = type == 'S' && r[482] != 0;
        return r;
    }

    private static boolean checksumOk(byte[] r) {
        try {
            return TarUtils.verifyCheckSum(r);
        } catch (IllegalArgumentException e) {
            return false; // the checksum field itself is not octal
        }
    }

    private static boolean allZero(byte[] r) {
        for (byte b : r) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
