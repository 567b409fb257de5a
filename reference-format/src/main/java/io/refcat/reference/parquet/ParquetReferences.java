package io.refcat.reference.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refcat.reference.LargeReferenceSet;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceFormatException;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.reference.zarr.ZarrJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * kerchunk's Parquet reference layout, which fsspec's {@code LazyReferenceMapper} reads: a
 * directory with {@code .zmetadata} ({@code {"metadata": {key: JSON}, "record_size": N}}) and, per
 * array, files {@code <array>/refs.<i>.parq} of {@code N} rows each (the last may be shorter),
 * row {@code r} of file {@code i} being the chunk of linear C-order index {@code i*N + r}, with
 * columns {@code path} (string, null where there is no reference), {@code offset}, {@code size}
 * ({@code 0, 0} for a whole file) and {@code raw} (inline bytes, else null).
 *
 * <p>Decisions: files are written uncompressed (dictionary-encoded paths keep them small), so no
 * native codec or Hadoop is needed to write or read them; Parquet references compressed by other
 * tools (kerchunk writes zstd) are refused with a clear error. Records whose chunks are all absent
 * get no file (fsspec reads a missing file as missing chunks). What refcat knows of the sources
 * goes into {@code refcat.json} beside {@code .zmetadata}, not into it: {@code .zmetadata} is what
 * every client reads on open, and a list of 100,000 source files would slow that down.
 */
public final class ParquetReferences {
    public static final int DEFAULT_RECORD_SIZE = 10_000;
    /** What refcat knows beyond kerchunk's layout (source sizes, unsupported variables), beside it. */
    static final String EXTENSION = "refcat.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            "message refs { optional binary path (STRING); required int64 offset; required int64 size; optional binary raw; }");

    private ParquetReferences() {
    }

    /** Writes {@code set} into {@code dir} (created; must not hold other references). */
    public static void write(LargeReferenceSet set, Path dir, int recordSize) throws IOException {
        if (recordSize <= 0) {
            throw new IllegalArgumentException("record size must be > 0, got " + recordSize);
        }
        Files.createDirectories(dir);
        ObjectNode meta = MAPPER.createObjectNode();
        ObjectNode metadata = meta.putObject("metadata");
        for (Map.Entry<String, Reference> e : set.metadata().entrySet()) {
            if (!(e.getValue() instanceof Reference.Inline inline)) {
                throw new ReferenceFormatException("metadata key " + e.getKey() + " is not inline");
            }
            metadata.set(e.getKey(), MAPPER.readTree(inline.data()));
        }
        meta.put("record_size", recordSize);
        ObjectNode ext = MAPPER.createObjectNode();
        ObjectNode sources = ext.putObject("sources");
        set.sources().forEach((url, info) -> {
            ObjectNode source = sources.putObject(url).put("size", info.size());
            if (info.version() != null) {
                source.put("version", info.version());
            }
        });
        ObjectNode unsupported = ext.putObject("unsupported");
        set.unsupported().forEach(unsupported::put);
        for (Map.Entry<String, ZarrArrayMetadata> a : set.arrays().entrySet()) {
            writeArray(set, a.getKey(), dir.resolve(a.getKey()), recordSize,
                    LargeReferenceSet.chunkCount(a.getValue().chunkGrid()));
        }
        Files.write(dir.resolve(EXTENSION), MAPPER.writeValueAsBytes(ext));
        Files.write(dir.resolve(".zmetadata"), MAPPER.writeValueAsBytes(meta));
    }

    private static void writeArray(LargeReferenceSet set, String path, Path dir, int recordSize, long total)
            throws IOException {
        RecordWriter w = new RecordWriter(dir, recordSize, total);
        try {
            set.chunks(path, w::put);
        } finally {
            w.close();
        }
    }

    /** Writes the rows of consecutive records, padding absent chunks, one Parquet file per record. */
    private static final class RecordWriter {
        private final Path dir;
        private final int recordSize;
        private final long total;
        private final SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        private ParquetWriter<Group> writer;
        private long record = -1;
        private long next;

        RecordWriter(Path dir, int recordSize, long total) {
            this.dir = dir;
            this.recordSize = recordSize;
            this.total = total;
        }

        void put(long index, Reference ref) throws IOException {
            long r = index / recordSize;
            if (r != record) {
                finishRecord();
                record = r;
                next = r * recordSize;
                Files.createDirectories(dir);
                Path file = dir.resolve("refs." + r + ".parq");
                Files.deleteIfExists(file);
                writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                        .withConf(new PlainParquetConfiguration())
                        .withType(SCHEMA)
                        .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                        .build();
            }
            while (next < index) {
                writer.write(groups.newGroup().append("offset", 0L).append("size", 0L));
                next++;
            }
            Group g = groups.newGroup();
            if (ref instanceof Reference.Inline inline) {
                g.append("offset", 0L).append("size", 0L).append("raw", Binary.fromConstantByteArray(inline.data()));
            } else if (ref instanceof Reference.Range range) {
                g.append("path", range.url()).append("offset", range.offset()).append("size", range.length());
            } else {
                g.append("path", ((Reference.WholeFile) ref).url()).append("offset", 0L).append("size", 0L);
            }
            writer.write(g);
            next++;
        }

        private void finishRecord() throws IOException {
            if (writer == null) {
                return;
            }
            long end = Math.min(total, (record + 1) * recordSize);
            while (next < end) {
                writer.write(groups.newGroup().append("offset", 0L).append("size", 0L));
                next++;
            }
            writer.close();
            writer = null;
        }

        void close() throws IOException {
            finishRecord();
        }
    }

    /** Whether {@code dir} holds Parquet references (a {@code .zmetadata} with {@code record_size}). */
    public static boolean isReferenceDirectory(Path dir) {
        Path meta = dir.resolve(".zmetadata");
        if (!Files.isRegularFile(meta)) {
            return false;
        }
        try {
            return MAPPER.readTree(meta.toFile()).has("record_size");
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens a Parquet reference directory: its metadata now, each record when first needed. */
    public static ParquetReferenceSet open(Path dir) throws IOException {
        JsonNode meta = MAPPER.readTree(dir.resolve(".zmetadata").toFile());
        if (meta == null || !meta.path("metadata").isObject() || !meta.path("record_size").canConvertToLong()
                || meta.get("record_size").asLong() <= 0) {
            throw new ReferenceFormatException(dir + "/.zmetadata: not Parquet references (no metadata or record_size)");
        }
        TreeMap<String, Reference> metadata = new TreeMap<>();
        Map<String, ZarrArrayMetadata> arrays = new TreeMap<>();
        var fields = meta.get("metadata").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            byte[] json = e.getValue().toString().getBytes(StandardCharsets.UTF_8);
            metadata.put(e.getKey(), new Reference.Inline(json));
            if (e.getKey().endsWith(".zarray")) {
                String path = e.getKey().equals(".zarray") ? "" : e.getKey().substring(0, e.getKey().length() - 8);
                arrays.put(path, ZarrArrayMetadata.fromJson(ZarrJson.readObject(json, e.getKey()), e.getKey()));
            }
        }
        JsonNode ext = Files.isRegularFile(dir.resolve(EXTENSION)) ? MAPPER.readTree(dir.resolve(EXTENSION).toFile())
                : MAPPER.createObjectNode();
        TreeMap<String, ReferenceSet.SourceInfo> sources = new TreeMap<>();
        ext.path("sources").fields().forEachRemaining(e ->
                sources.put(e.getKey(), ReferenceSet.SourceInfo.fromJson(e.getValue())));
        TreeMap<String, String> unsupported = new TreeMap<>();
        ext.path("unsupported").fields().forEachRemaining(e -> unsupported.put(e.getKey(), e.getValue().asText()));
        return new ParquetReferenceSet(dir, meta.get("record_size").asLong(), metadata, arrays, sources, unsupported);
    }

    /** Reads a Parquet reference directory whole into memory. */
    public static ReferenceSet read(Path dir) throws IOException {
        ParquetReferenceSet set = open(dir);
        TreeMap<String, Reference> refs = new TreeMap<>(set.metadata());
        for (Map.Entry<String, ZarrArrayMetadata> a : set.arrays().entrySet()) {
            long[] grid = a.getValue().chunkGrid();
            String prefix = a.getKey().isEmpty() ? "" : a.getKey() + "/";
            set.chunks(a.getKey(), (i, ref) -> refs.put(prefix + a.getValue().chunkKey(LargeReferenceSet.unravel(i, grid)), ref));
        }
        return new ReferenceSet(refs, set.sources(), set.unsupported(), new TreeMap<>());
    }

    static Reference row(Group g) {
        if (g.getFieldRepetitionCount("raw") > 0) {
            return new Reference.Inline(g.getBinary("raw", 0).getBytes());
        }
        if (g.getFieldRepetitionCount("path") == 0) {
            return null;
        }
        String url = g.getString("path", 0);
        long offset = g.getLong("offset", 0);
        long size = g.getLong("size", 0);
        return offset == 0 && size == 0 ? new Reference.WholeFile(url) : new Reference.Range(url, offset, size);
    }
}
