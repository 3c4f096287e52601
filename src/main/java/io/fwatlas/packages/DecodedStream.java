package io.fwatlas.packages;

import io.fwatlas.module.Compression;
import io.fwatlas.module.StreamDecoders;
import java.io.IOException;
import java.io.InputStream;
import org.tukaani.xz.MemoryLimitException;

/**
 * A streaming decoder whose failures are classified: after its input ran dry a failure is
 * truncation, before that the data is corrupt; faults of the layers below pass unchanged.
 */
final class DecodedStream extends ReadThroughStream {
    private final Meter input;
    private final InputStream decoder;
    private final String what;

    private DecodedStream(Meter input, InputStream decoder, String what) {
        this.input = input;
        this.decoder = decoder;
        this.what = what;
    }

    /** @param what names the compressed stream in messages, e.g. "data.tar.xz" */
    static DecodedStream open(Compression format, InputStream compressed, String what) throws IOException {
        Meter input = new Meter(compressed, what, Long.MAX_VALUE, false);
        try {
            // Opening reads the stream header already.
            return new DecodedStream(input, StreamDecoders.open(format, input), what);
        } catch (IOException | RuntimeException e) {
            throw classify(e, input, what + " (" + format.label() + ")");
        }
    }

    /** Compressed bytes read so far. */
    long compressedBytes() {
        return input.position();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return decoder.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw classify(e, input, what);
        }
    }

    private static IOException classify(Exception e, Meter input, String what) {
        Fault f = Fault.find(e);
        if (f != null) {
            return f;
        }
        if (e instanceof MemoryLimitException m) {
            return new Fault(new ExpansionLimitException(what + ": xz decoder memory", (long) m.getMemoryLimit() * 1024,
                    (long) m.getMemoryNeeded() * 1024));
        }
        if (input.ended()) {
            return new Fault(new TruncatedPackageException(what + " (compressed stream)", -1, input.position()));
        }
        return new Fault(new CorruptPayloadException(what + ": compressed stream is corrupt after "
                + input.position() + " input bytes: " + e.getMessage()));
    }

    @Override
    public void close() throws IOException {
        try {
            decoder.close();
        } catch (IOException | RuntimeException e) {
            // Nothing more is read; freeing the decoder is all that matters here.
        }
    }
}
