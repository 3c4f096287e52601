package io.fwatlas.scan;

import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * parquet-mr's format-1 value writers, the same encodings and fallback, except that a binary
 * dictionary column given the same {@link Binary} object as in the row before (as
 * {@link ParquetRows} gives module, path and source for all the rows of a module) reuses its
 * dictionary id without hashing and comparing the bytes again: that lookup was 14 % of the
 * executors' samples in a 100,000-module scan (JFR). The files are byte for byte the same.
 */
final class RepeatDictionaryWriters implements ValuesWriterFactory {
    private final DefaultV1ValuesWriterFactory defaults = new DefaultV1ValuesWriterFactory();
    private ParquetProperties props;

    @Override
    public void initialize(ParquetProperties properties) {
        props = properties;
        defaults.initialize(properties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor column) {
        if (column.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY
                || !props.isDictionaryEnabled(column)) {
            return defaults.newValuesWriter(column);
        }
        return FallbackValuesWriter.of(
                new Writer(props.getDictionaryPageSizeThreshold(), Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY,
                        props.getAllocator()),
                new PlainValuesWriter(props.getInitialSlabSize(), props.getPageSizeThreshold(), props.getAllocator()));
    }

    /** The dictionary writer, remembering the last value written and its id. */
    static final class Writer extends PlainBinaryDictionaryValuesWriter {
        private Binary last;
        private int lastId;

        Writer(int maxDictionaryByteSize, Encoding dataPage, Encoding dictionaryPage, ByteBufferAllocator allocator) {
            super(maxDictionaryByteSize, dataPage, dictionaryPage, allocator);
        }

        @Override
        public void writeBytes(Binary v) {
            if (v != last) {
                int id = binaryDictionaryContent.getInt(v);
                if (id == -1) {
                    // as the superclass adds a value: a copy, and its size in the dictionary page
                    id = binaryDictionaryContent.size();
                    binaryDictionaryContent.put(v.copy(), id);
                    dictionaryByteSize += 4L + v.length();
                }
                last = v;
                lastId = id;
            }
            encodedValues.add(lastId);
        }

        @Override
        protected void clearDictionaryContent() {
            super.clearDictionaryContent();
            last = null;
        }
    }
}
