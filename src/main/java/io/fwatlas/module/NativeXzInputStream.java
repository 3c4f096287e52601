package io.fwatlas.module;

import static io.fwatlas.module.NativeXz.LZMA_BUF_ERROR;
import static io.fwatlas.module.NativeXz.LZMA_CONCATENATED;
import static io.fwatlas.module.NativeXz.LZMA_FINISH;
import static io.fwatlas.module.NativeXz.LZMA_MEMLIMIT_ERROR;
import static io.fwatlas.module.NativeXz.LZMA_OK;
import static io.fwatlas.module.NativeXz.LZMA_RUN;
import static io.fwatlas.module.NativeXz.LZMA_STREAM_END;

import com.sun.jna.Memory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.tukaani.xz.MemoryLimitException;

/**
 * An xz decoder over liblzma that pulls its input from a stream, for archives too big to hold
 * (a package's data.tar.xz). Errors are XZ for Java's: {@link EOFException} when the input ends
 * early, {@link MemoryLimitException} past the dictionary limit, {@link IOException} for bad data.
 */
final class NativeXzInputStream extends InputStream {
    private static final int IN_CHUNK = 64 * 1024;
    private static final int OUT_CHUNK = 1 << 20;

    private final InputStream in;
    private final long memLimit;
    private final byte[] inBuf = new byte[IN_CHUNK];
    private final Memory input = new Memory(IN_CHUNK);
    private final Memory output = new Memory(OUT_CHUNK);
    private final NativeXz.LzmaStream s = new NativeXz.LzmaStream();
    private int inPos;
    private int inLen;
    private long totalIn;
    private boolean inputEnded;
    private boolean finished;
    private boolean closed;

    NativeXzInputStream(InputStream in, long memLimit) throws IOException {
        this.in = in;
        this.memLimit = memLimit;
        int rc = NativeXz.lzma_stream_decoder(s.memory, memLimit, LZMA_CONCATENATED);
        if (rc != LZMA_OK) {
            freeBuffers();
            throw new IOException("xz: liblzma decoder init failed: code " + rc);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("xz stream is closed");
        }
        if (off < 0 || len < 0 || len > b.length - off) {
            throw new IndexOutOfBoundsException("read of " + len + " bytes at " + off + " into " + b.length);
        }
        if (len == 0) {
            return 0;
        }
        if (finished) {
            return -1;
        }
        // Each turn takes input, gives output or ends: liblzma answers BUF_ERROR when it can do neither.
        while (true) {
            if (inPos == inLen && !inputEnded) {
                int n = in.read(inBuf, 0, IN_CHUNK);
                if (n < 0) {
                    inputEnded = true;
                } else {
                    input.write(0, inBuf, 0, n);
                    inPos = 0;
                    inLen = n;
                }
            }
            int want = Math.min(len, OUT_CHUNK);
            s.input(input, inPos, inLen - inPos);
            s.output(output, 0, want);
            int rc = NativeXz.lzma_code(s.memory, inputEnded ? LZMA_FINISH : LZMA_RUN);
            int consumed = (int) (inLen - inPos - s.availIn());
            inPos += consumed;
            totalIn += consumed;
            int produced = (int) (want - s.availOut());
            if (produced > 0) {
                output.read(0, b, off, produced);
            }
            if (rc == LZMA_STREAM_END) {
                finished = true;
                return produced > 0 ? produced : -1;
            }
            if (rc == LZMA_MEMLIMIT_ERROR) {
                int kib = (int) Math.min(Integer.MAX_VALUE, memLimit / 1024);
                throw new MemoryLimitException(kib + 1, kib);
            }
            if (rc == LZMA_BUF_ERROR && inputEnded) {
                throw new EOFException("xz stream ends early (" + totalIn + " bytes of input)");
            }
            if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
                throw new IOException("xz stream is corrupt: liblzma code " + rc + " after " + totalIn
                        + " input bytes");
            }
            if (produced > 0) {
                return produced;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        NativeXz.lzma_end(s.memory);
        freeBuffers();
        in.close();
    }

    private void freeBuffers() {
        s.close();
        input.close();
        output.close();
    }
}
