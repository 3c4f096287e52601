package io.fwatlas.scan;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The serialized form of a list of {@link FileTask}s, for the listing a scan keeps on its
 * executors and the bins it shuffles: each distinct origin (kernel, root, local, source) once,
 * then each file's origin, path, size, time, kind and problem. Java serialization of the records
 * themselves (a class descriptor lookup, handle table entry and canonical-constructor call per
 * file) took about 15 % of the executors' samples in a 100,000-module scan (JFR).
 */
final class PackedFiles implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final FileTask.Kind[] KINDS = FileTask.Kind.values();

    private transient List<FileTask> files;

    PackedFiles(List<FileTask> files) {
        this.files = files;
    }

    List<FileTask> files() {
        return files;
    }

    private record Origin(String kernel, String root, boolean local, String source) {
        static Origin of(FileTask t) {
            return new Origin(t.kernel(), t.root(), t.local(), t.source());
        }
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        Map<Origin, Integer> index = new HashMap<>();
        List<Origin> origins = new ArrayList<>();
        int[] originOf = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            originOf[i] = index.computeIfAbsent(Origin.of(files.get(i)), o -> {
                origins.add(o);
                return origins.size() - 1;
            });
        }
        out.writeInt(origins.size());
        for (Origin o : origins) {
            writeString(out, o.kernel());
            writeString(out, o.root());
            out.writeBoolean(o.local());
            writeString(out, o.source());
        }
        out.writeInt(files.size());
        for (int i = 0; i < files.size(); i++) {
            FileTask t = files.get(i);
            out.writeInt(originOf[i]);
            writeString(out, t.path());
            out.writeLong(t.size());
            out.writeLong(t.mtime());
            out.writeByte(t.kind().ordinal());
            boolean problem = t.problem() != null;
            out.writeBoolean(problem);
            if (problem) {
                writeString(out, t.problem());
            }
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException {
        int n = count(in, "origins");
        List<Origin> origins = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            origins.add(new Origin(readString(in), readString(in), in.readBoolean(), readString(in)));
        }
        int count = count(in, "files");
        List<FileTask> out = new ArrayList<>(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++) {
            int o = in.readInt();
            if (o < 0 || o >= origins.size()) {
                throw new InvalidObjectException("file " + i + " names origin " + o + " of " + origins.size());
            }
            Origin origin = origins.get(o);
            String path = readString(in);
            long size = in.readLong();
            long mtime = in.readLong();
            int kind = in.readByte();
            if (kind < 0 || kind >= KINDS.length) {
                throw new InvalidObjectException("file " + i + " has kind " + kind + " of " + KINDS.length);
            }
            String problem = in.readBoolean() ? readString(in) : null;
            out.add(new FileTask(origin.kernel(), origin.root(), origin.local(), origin.source(), path, size, mtime,
                    KINDS[kind], problem));
        }
        files = out;
    }

    private static int count(ObjectInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new InvalidObjectException("negative count of " + what + ": " + n);
        }
        return n;
    }

    private static void writeString(ObjectOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ObjectInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new InvalidObjectException("negative string length " + n);
        }
        byte[] b = in.readNBytes(n); // read in pieces: a corrupt length ends at the stream's end
        if (b.length != n) {
            throw new InvalidObjectException("string of " + n + " bytes ends after " + b.length);
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
