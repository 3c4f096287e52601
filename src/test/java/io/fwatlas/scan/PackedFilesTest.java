package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

class PackedFilesTest {
    private static final Release R = new Release("6.1.0-9-amd64", "/srv/trees/a/lib/modules/6.1.0-9-amd64", true,
            "/srv/trees/a");

    private static List<FileTask> files(Release r, int n) {
        List<FileTask> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(FileTask.module(r, "kernel/drivers/m" + i + (i % 2 == 0 ? ".ko" : ".ko.xz"), 1000L * i, 17L * i));
        }
        out.add(FileTask.builtin(r, "modules.builtin.modinfo", 12345, 99));
        out.add(FileTask.module(r, "kernel/dangling.ko", -1, -1));
        out.add(FileTask.listError(r, "kernel/secret", "permission denied"));
        out.add(FileTask.module(r, "kernel/ünïcödé/日本.ko", 5, 6));
        out.add(FileTask.module(r, "kernel/" + "d/".repeat(40_000) + "deep.ko", 7, 8));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void aListedReleaseComesBackEqual() throws Exception {
        ListedRelease l = new ListedRelease(3, R, files(R, 500), 2);
        ListedRelease back = roundTrip(l);
        assertEquals(l, back);
        assertEquals(l.files(), back.files());
    }

    @Test
    void aBinComesBackEqualThroughSparksSerializer() {
        Bin bin = new Bin(7, R.kernel(), R.source(), files(R, 50));
        SerializerInstance s = new JavaSerializer(new SparkConf()).newInstance();
        Bin back = s.deserialize(s.serialize(bin, ClassTag$.MODULE$.apply(Bin.class)),
                ClassTag$.MODULE$.apply(Bin.class));
        assertEquals(bin, back);
    }

    @Test
    void filesOfSeveralOriginsKeepTheirOwn() throws Exception {
        Release other = new Release("6.1.0-9-amd64", "hdfs://nn:8020/trees/b/lib/modules/6.1.0-9-amd64", false,
                "hdfs://nn:8020/trees/b");
        List<FileTask> mixed = new ArrayList<>(files(R, 3));
        mixed.addAll(files(other, 3));
        mixed.add(FileTask.module(new Release("k2", "/x", true), "a.ko", 1, 2));
        ListedRelease l = new ListedRelease(0, R, mixed, 0);
        assertEquals(mixed, roundTrip(l).files());
    }
}
