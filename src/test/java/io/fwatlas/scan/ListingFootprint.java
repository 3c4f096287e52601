package io.fwatlas.scan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the driver's copy of a listing costs in heap per module file (docs/SCALING.md): lists
 * release directories, passes the tasks through Java serialization as collect() does (so every
 * string is the driver's own copy), and compares the heap used before and after.
 * {@code java -cp ... io.fwatlas.scan.ListingFootprint RELEASE_DIR...}
 */
public final class ListingFootprint {
    private ListingFootprint() {
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> serialized = new ArrayList<>();
        long files = 0;
        long bytes = 0;
        for (String dir : args) {
            Path root = Path.of(dir).toAbsolutePath();
            List<FileTask> tasks = ReleaseLister.listLocal(new Release(root.getFileName().toString(), root.toString(),
                    true));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(b)) {
                o.writeObject(new ArrayList<>(tasks));
            }
            serialized.add(b.toByteArray());
            files += tasks.size();
            bytes += b.size();
        }
        long before = used();
        List<Object> kept = new ArrayList<>();
        for (byte[] s : serialized) {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(s))) {
                kept.add(in.readObject());
            }
        }
        long after = used();
        System.out.printf("%d files; heap %.1f MiB = %d bytes per file; serialized %d bytes per file%n", files,
                (after - before) / 1048576.0, (after - before) / files, bytes / files);
        System.out.println(kept.size() > 0 ? "" : "-");
    }

    private static long used() throws InterruptedException {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return r.totalMemory() - r.freeMemory();
    }
}
