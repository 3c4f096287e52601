package io.fwatlas.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Writes rows of flat, primitive columns ({@code Object[]} in schema order, null for a missing
 * optional value) straight to a Parquet file. The scan writes its tables with this on executors,
 * so rows never pass through Spark's row machinery; the files are plain Parquet that Spark,
 * DuckDB, pandas and Trino read as they are.
 */
final class ParquetRows {
    private ParquetRows() {
    }

    /** Row group size: small, because a task keeps one writer per table open. */
    static final int ROW_GROUP_BYTES = 16 * 1024 * 1024;

    /** The codec of every file the scan writes; its files are named after it. */
    static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;

    /** A new file at {@code path} (replaced if present) of rows matching {@code schema}. */
    static ParquetWriter<Object[]> create(FileSystem fs, Path path, MessageType schema, Configuration conf)
            throws IOException {
        return create(fs, path, schema, conf, CODEC);
    }

    static ParquetWriter<Object[]> create(FileSystem fs, Path path, MessageType schema, Configuration conf,
                                          CompressionCodecName codec) throws IOException {
        return new Builder(new FsOutputFile(fs, path), schema)
                .withConf(conf)
                .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(codec)
                .withDictionaryEncoding(true)
                // modinfo values are mostly unique (aliases, descriptions): a dictionary only costs
                .withDictionaryEncoding("value", false)
                // no min/max for long strings nothing prunes on: each row compared its path, source
                // and value with both bounds byte by byte (JMH with the scan's C1: modinfo 1.159 ->
                // 0.855 µs/row)
                .withStatisticsEnabled("path", false)
                .withStatisticsEnabled("source", false)
                .withStatisticsEnabled("value", false)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .build();
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final MessageType schema;

        Builder(OutputFile file, MessageType schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return new Support(schema);
        }
    }

    private static final class Support extends WriteSupport<Object[]> {
        private final MessageType schema;
        private final String[] lastString;
        private final Binary[] lastBinary;
        private RecordConsumer out;

        Support(MessageType schema) {
            this.schema = schema;
            this.lastString = new String[schema.getFieldCount()];
            this.lastBinary = new Binary[schema.getFieldCount()];
        }

        /**
         * The UTF-8 form of {@code s}, reused while a column repeats its value: module, path and
         * source are one string for all the rows of a module (measured in ParquetRowsBenchmark).
         */
        private Binary binary(int column, String s) {
            if (!s.equals(lastString[column])) {
                lastString[column] = s;
                lastBinary[column] = Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
            }
            return lastBinary[column];
        }

        @Override
        public WriteContext init(Configuration conf) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer consumer) {
            this.out = consumer;
        }

        @Override
        public void write(Object[] row) {
            if (row.length != schema.getFieldCount()) {
                throw new IllegalArgumentException("row of " + row.length + " values for " + schema.getFieldCount()
                        + " columns");
            }
            out.startMessage();
            for (int i = 0; i < row.length; i++) {
                Type field = schema.getType(i);
                Object v = row[i];
                if (v == null) {
                    if (field.isRepetition(Type.Repetition.REQUIRED)) {
                        throw new IllegalArgumentException("column " + field.getName() + " is required");
                    }
                    continue;
                }
                out.startField(field.getName(), i);
                switch (field.asPrimitiveType().getPrimitiveTypeName()) {
                    case BINARY -> out.addBinary(binary(i, (String) v));
                    case BOOLEAN -> out.addBoolean((Boolean) v);
                    case INT32 -> out.addInteger((Integer) v);
                    case INT64 -> out.addLong((Long) v);
                    default -> throw new IllegalArgumentException("unsupported column type " + field);
                }
                out.endField(field.getName(), i);
            }
            out.endMessage();
        }
    }

    /** A Parquet output file on any Hadoop file system. */
    private record FsOutputFile(FileSystem fs, Path path) implements OutputFile {
        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            return HadoopStreams.wrap(fs.create(path, false));
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            return HadoopStreams.wrap(fs.create(path, true));
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        @Override
        public String getPath() {
            return path.toString();
        }
    }
}
