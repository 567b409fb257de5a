package io.refcat.reference.parquet;

import io.refcat.reference.ReferenceFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads the rows of a small, uncompressed Parquet file of a known schema with parquet-java's
 * column readers. parquet-java's own file reader cannot run without Hadoop on the class path (its
 * read options load Hadoop classes), so the file layout (footer, column chunks, pages) is walked
 * here; values are still decoded by the library. Compressed pages and version-2 data pages are
 * refused, which is all refcat writes.
 */
final class UncompressedParquet {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private UncompressedParquet() {
    }

    /** @param maxRows more rows than this make the file invalid (a damaged row count is not believed) */
    static List<Group> rows(Path file, MessageType schema, long maxRows) throws IOException {
        byte[] data = Files.readAllBytes(file);
        int n = data.length;
        if (n < 12 || !Arrays.equals(Arrays.copyOfRange(data, 0, 4), MAGIC)
                || !Arrays.equals(Arrays.copyOfRange(data, n - 4, n), MAGIC)) {
            throw new ReferenceFormatException(file + ": not a Parquet file");
        }
        int footer = ByteBuffer.wrap(data, n - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (footer <= 0 || footer > n - 12) {
            throw new ReferenceFormatException(file + ": Parquet footer length " + footer + " does not fit the file");
        }
        FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(data, n - 8 - footer, footer));
        long total = 0;
        for (RowGroup rg : meta.getRow_groups()) {
            total += rg.getNum_rows();
            if (rg.getNum_rows() < 0 || total > maxRows) {
                throw new ReferenceFormatException(file + ": " + total + "+ rows, more than the " + maxRows + " expected");
            }
        }
        List<Group> rows = new ArrayList<>();
        for (RowGroup rg : meta.getRow_groups()) {
            Map<String, PageReader> readers = new HashMap<>();
            for (ColumnChunk cc : rg.getColumns()) {
                ColumnMetaData md = cc.getMeta_data();
                if (md.getCodec() != CompressionCodec.UNCOMPRESSED) {
                    throw new ReferenceFormatException(file + ": column " + md.getPath_in_schema() + " is compressed ("
                            + md.getCodec() + "); refcat reads uncompressed Parquet references only");
                }
                readers.put(String.join(".", md.getPath_in_schema()), pages(file, data, md));
            }
            PageReadStore store = new PageReadStore() {
                @Override
                public PageReader getPageReader(ColumnDescriptor column) {
                    PageReader r = readers.get(String.join(".", column.getPath()));
                    if (r == null) {
                        throw new ReferenceFormatException(file + ": no column " + Arrays.toString(column.getPath()));
                    }
                    return r;
                }

                @Override
                public long getRowCount() {
                    return rg.getNum_rows();
                }
            };
            RecordReader<Group> reader = new ColumnIOFactory().getColumnIO(schema)
                    .getRecordReader(store, new GroupRecordConverter(schema));
            for (long i = 0; i < rg.getNum_rows(); i++) {
                rows.add(reader.read());
            }
        }
        return rows;
    }

    private static PageReader pages(Path file, byte[] data, ColumnMetaData md) throws IOException {
        long start = md.isSetDictionary_page_offset() && md.getDictionary_page_offset() > 0
                ? md.getDictionary_page_offset() : md.getData_page_offset();
        if (start < 4 || start + md.getTotal_compressed_size() > data.length) {
            throw new ReferenceFormatException(file + ": column chunk outside the file");
        }
        ByteArrayInputStream in = new ByteArrayInputStream(data, (int) start, (int) md.getTotal_compressed_size());
        DictionaryPage dictionary = null;
        Deque<DataPage> pages = new ArrayDeque<>();
        long values = 0;
        while (values < md.getNum_values()) {
            PageHeader ph = Util.readPageHeader(in);
            BytesInput body = BytesInput.from(in.readNBytes(ph.getCompressed_page_size()));
            switch (ph.getType()) {
                case DICTIONARY_PAGE -> dictionary = new DictionaryPage(body,
                        ph.getDictionary_page_header().getNum_values(),
                        encoding(ph.getDictionary_page_header().getEncoding()));
                case DATA_PAGE -> {
                    DataPageHeader h = ph.getData_page_header();
                    pages.add(new DataPageV1(body, h.getNum_values(), ph.getUncompressed_page_size(),
                            Statistics.noopStats(org.apache.parquet.schema.Types.required(
                                    org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64).named("x")),
                            encoding(h.getRepetition_level_encoding()), encoding(h.getDefinition_level_encoding()),
                            encoding(h.getEncoding())));
                    values += h.getNum_values();
                }
                case INDEX_PAGE -> {
                    // not needed to read values
                }
                default -> throw new ReferenceFormatException(file + ": page type " + ph.getType() + " is not read here");
            }
        }
        DictionaryPage dict = dictionary;
        long total = md.getNum_values();
        return new PageReader() {
            @Override
            public DictionaryPage readDictionaryPage() {
                return dict;
            }

            @Override
            public long getTotalValueCount() {
                return total;
            }

            @Override
            public DataPage readPage() {
                return pages.poll();
            }
        };
    }

    private static Encoding encoding(org.apache.parquet.format.Encoding e) {
        return Encoding.valueOf(e.name());
    }
}
