package io.fwatlas.scan;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Writes rows of flat, primitive columns ({@code Object[]} in schema order, null for a missing
 * optional value) straight to a Parquet file. The scan writes its tables with this on executors,
 * so rows never pass through Spark's row machinery; the files are plain Parquet that Spark,
 * DuckDB, pandas and Trino read as they are.
 *
 * <p>Values go to parquet-mr's column writers directly, as its own record writer does after the
 * record-consumer layer: for flat columns that layer only tracked which fields a row had set, and
 * took 40 % of the writer's samples in the plain-kernel scan (JFR). Pages, encodings, statistics,
 * row groups and the footer stay parquet-mr's.
 */
final class ParquetRows implements Closeable {
    /** Row group size: small, because a task keeps one writer per table open. */
    static final int ROW_GROUP_BYTES = 16 * 1024 * 1024;

    /** The codec of every file the scan writes; its files are named after it. */
    static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;

    /** Rows between two looks at the buffered size: summing it visits every column. */
    private static final int SIZE_CHECK_ROWS = 128;

    private final MessageType schema;
    private final String path;
    private final long rowGroupBytes;
    private final ParquetProperties props;
    private final ParquetFileWriter file;
    private final CodecFactory codecs;
    private final CompressionCodecFactory.BytesInputCompressor compressor;
    private final List<ColumnDescriptor> descriptors;
    private final PrimitiveTypeName[] types;
    private final int[] maxDefinition;
    private final int[] required;
    private final String[] lastString;
    private final Binary[] lastBinary;
    private final ColumnWriter[] columns;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore store;
    private long rows;
    private long finishedBytes;
    private boolean failed;
    private boolean closed;

    /** A new file at {@code path} (replaced if present) of rows matching {@code schema}. */
    static ParquetRows create(FileSystem fs, Path path, MessageType schema, Configuration conf)
            throws IOException {
        return create(fs, path, schema, conf, CODEC, ROW_GROUP_BYTES);
    }

    static ParquetRows create(FileSystem fs, Path path, MessageType schema, Configuration conf,
                              CompressionCodecName codec, long rowGroupBytes) throws IOException {
        return create(fs, path, schema, conf, codec, rowGroupBytes, properties());
    }

    static ParquetRows create(FileSystem fs, Path path, MessageType schema, Configuration conf,
                              CompressionCodecName codec, long rowGroupBytes, ParquetProperties props)
            throws IOException {
        return new ParquetRows(new FsOutputFile(fs, path), schema, conf, codec, rowGroupBytes, props);
    }

    /** The encodings and statistics of the scan's files. */
    static ParquetProperties properties() {
        return ParquetProperties.builder()
                .withDictionaryEncoding(true)
                // modinfo values are mostly unique (aliases, descriptions): a dictionary only costs
                .withDictionaryEncoding("value", false)
                // no min/max for long strings nothing prunes on: each row compared its path, source
                // and value with both bounds byte by byte (JMH with the scan's C1: modinfo 1.159 ->
                // 0.855 µs/row)
                .withStatisticsEnabled("path", false)
                .withStatisticsEnabled("source", false)
                .withStatisticsEnabled("value", false)
                // no size statistics (byte and level histograms per page): no reader we serve uses them
                .withSizeStatisticsEnabled(false)
                .withValuesWriterFactory(new RepeatDictionaryWriters())
                .build();
    }

    private ParquetRows(OutputFile out, MessageType schema, Configuration conf, CompressionCodecName codec,
                        long rowGroupBytes, ParquetProperties props) throws IOException {
        this.schema = schema;
        this.path = out.getPath();
        this.rowGroupBytes = rowGroupBytes;
        this.props = props;
        descriptors = schema.getColumns();
        int n = descriptors.size();
        if (n != schema.getFieldCount()) {
            throw new IllegalArgumentException("not a flat schema: " + schema);
        }
        types = new PrimitiveTypeName[n];
        maxDefinition = new int[n];
        List<Integer> req = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            types[i] = descriptors.get(i).getPrimitiveType().getPrimitiveTypeName();
            maxDefinition[i] = descriptors.get(i).getMaxDefinitionLevel();
            if (schema.getType(i).isRepetition(Type.Repetition.REQUIRED)) {
                req.add(i);
            }
            switch (types[i]) {
                case BINARY, BOOLEAN, INT32, INT64 -> { }
                default -> throw new IllegalArgumentException("unsupported column type " + schema.getType(i));
            }
        }
        required = req.stream().mapToInt(Integer::intValue).toArray();
        lastString = new String[n];
        lastBinary = new Binary[n];
        columns = new ColumnWriter[n];
        file = new ParquetFileWriter(out, schema, ParquetFileWriter.Mode.OVERWRITE, rowGroupBytes, 0, null, props);
        codecs = new CodecFactory(conf, props.getPageSizeThreshold());
        compressor = codecs.getCompressor(codec);
        try {
            file.start();
        } catch (IOException | RuntimeException e) {
            codecs.release();
            throw e;
        }
        startRowGroup();
    }

    private void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, schema, props.getAllocator(),
                props.getColumnIndexTruncateLength(), props.getPageWriteChecksumEnabled(), null, 0);
        store = props.newColumnWriteStore(schema, pages, pages);
        for (int i = 0; i < columns.length; i++) {
            columns[i] = store.getColumnWriter(descriptors.get(i));
        }
    }

    /** Writes one row. After a failed write the file takes no more rows, and {@link #close} aborts it. */
    void write(Object[] row) throws IOException {
        if (closed || failed) {
            throw new IOException("Parquet file " + path + " takes no more rows: " + (closed ? "closed" : "a write failed"));
        }
        if (row.length != columns.length) {
            throw new IllegalArgumentException("row of " + row.length + " values for " + columns.length + " columns");
        }
        for (int i : required) {
            if (row[i] == null) {
                throw new IllegalArgumentException("column " + schema.getType(i).getName() + " is required");
            }
        }
        try {
            for (int i = 0; i < row.length; i++) {
                Object v = row[i];
                ColumnWriter c = columns[i];
                if (v == null) {
                    c.writeNull(0, 0);
                    continue;
                }
                int d = maxDefinition[i];
                switch (types[i]) {
                    case BINARY -> c.write(binary(i, (String) v), 0, d);
                    case BOOLEAN -> c.write((boolean) (Boolean) v, 0, d);
                    case INT32 -> c.write((int) (Integer) v, 0, d);
                    default -> c.write((long) (Long) v, 0, d);
                }
            }
            store.endRecord();
            rows++;
            if (rows % SIZE_CHECK_ROWS == 0 && store.getBufferedSize() >= rowGroupBytes) {
                flushRowGroup();
                startRowGroup();
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
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

    private void flushRowGroup() throws IOException {
        if (rows > 0) {
            file.startBlock(rows);
            store.flush();
            pages.flushToFileWriter(file);
            file.endBlock();
            finishedBytes = file.getPos();
            rows = 0;
        }
        closeStores();
    }

    private void closeStores() {
        if (store != null) {
            store.close();
            pages.close();
            store = null;
            pages = null;
        }
    }

    /** Bytes written and buffered so far. */
    long dataSize() {
        return finishedBytes + (store == null ? 0 : store.getBufferedSize());
    }

    /** Writes the last row group and the footer; a writer whose write failed is aborted instead. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failed) {
                file.abort();
                return;
            }
            flushRowGroup();
            file.end(Map.of());
            finishedBytes = file.getPos();
        } catch (IOException | RuntimeException e) {
            file.abort();
            throw e;
        } finally {
            closeStores();
            codecs.release();
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
