package io.refcat.indexer.hdf5;

import io.jhdf.AbstractNode;
import io.jhdf.HdfFile;
import io.jhdf.ObjectHeader;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.exceptions.HdfBrokenLinkException;
import io.jhdf.exceptions.HdfException;
import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.exceptions.UnsupportedHdfException;
import io.jhdf.links.ExternalLink;
import io.jhdf.links.SoftLink;
import io.jhdf.object.message.FillValueMessage;
import io.jhdf.object.message.FilterPipelineMessage;
import io.jhdf.object.message.FillValueOldMessage;
import io.jhdf.object.datatype.ArrayDataType;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.VariableLength;
import io.refcat.indexer.ContiguousLayout;
import io.refcat.indexer.Format;
import io.refcat.indexer.NetcdfFill;
import io.refcat.indexer.FormatScanner;
import io.refcat.indexer.LibraryText;
import io.refcat.indexer.ScanException;
import io.refcat.indexer.ScanOptions;
import io.refcat.reference.ByteSource;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * HDF5 and NetCDF4 → virtual Zarr, using jhdf for the object model and its chunk indexes (see
 * {@link JhdfInternals}); only metadata and index structures are read.
 *
 * <p>Layouts: contiguous (split as {@link ContiguousLayout} says), compact (inlined: its bytes
 * live in the object header), chunked (one reference per stored chunk; chunks never written
 * have no key, so clients read the fill value). Addresses from jhdf are relative to the user
 * block; references hold absolute offsets.
 *
 * <p>NetCDF4 semantics: dimension names as libnetcdf gives them ({@link NetcdfDimensions}); scales
 * that are "a netCDF dimension but not a netCDF variable" are not arrays. {@code _FillValue} becomes the Zarr {@code fill_value}, else,
 * in files libnetcdf wrote ({@code _NCProperties}), netcdf.h's default fill, else the dataset's
 * HDF5 fill value, else 0 (what HDF5 returns for unwritten data).
 *
 * <p>Soft links to datasets are followed; so are external links, whose references then point
 * into the linked file. Links to groups are not duplicated.
 *
 * <p>Chunks stored with some filters skipped keep their filter mask in the reference set: only
 * the served views, which decode per chunk, read them correctly.
 *
 * <p>A dataset refcat cannot reference (a datatype or filter not handled yet) is listed in the result's {@code unsupported} map with the reason; the rest
 * of the file is indexed. A structure that cannot be read, or data that would lie past the end of
 * the file, fails the whole file: it is truncated or corrupt, and half a dataset is worse than none.
 */
public final class Hdf5Scanner implements FormatScanner {

    @Override
    public boolean canScan(Format format) {
        return format == Format.HDF5;
    }

    @Override
    public VirtualDataset scan(ByteSource source, Format format, ScanOptions options) throws IOException {
        String url = source.url();
        ByteSourceChannel channel = new ByteSourceChannel(source);
        try (HdfFile hdf = new HdfFile(channel, uriOf(url))) {
            SuperblockChecks.check(source, hdf);
            try {
                GroupLinks.checkRaw(hdf.getHdfBackingStorage(), io.jhdf.ObjectHeader.readObjectHeader(hdf.getHdfBackingStorage(),
                        hdf.getAddress()), hdf.getAddress());
            } catch (IllegalArgumentException e) {
                throw new ScanException(url, hdf.getAddress(), "root group: " + e.getMessage() + " (libhdf5 refuses the file)");
            }
            Walk walk = new Walk(hdf, Location.of(url, hdf, source.size()), options,
                    hdf.getAttribute("_NCProperties") != null);
            walk.dimensions.collectScales(hdf, walk.links);
            walk.group(hdf, "");
            walk.describeDeferred();
            SuperblockChecks.requireReadsInside(source, hdf, channel.maxReadEnd());
            TreeMap<String, ReferenceSet.SourceInfo> sources = new TreeMap<>();
            sources.put(url, ReferenceSet.SourceInfo.of(source));
            walk.externalFiles.forEach((u, size) -> sources.put(u, new ReferenceSet.SourceInfo(size)));
            return new VirtualDataset(walk.groups, walk.arrays, sources, walk.unsupported);
        } catch (CorruptFileException e) {
            throw new ScanException(url, e.offset, e.getMessage(), e);
        } catch (RuntimeException e) {
            long at = channel.lastReadAt();
            // the offset is where jhdf was last reading: at or near what does not parse
            throw new ScanException(url, at, "HDF5 structures do not parse: the file is corrupt, or uses what refcat "
                    + "cannot read yet (jhdf: " + LibraryText.of(e) + ")", e);
        }
    }

    /** A structure that points outside the file: the file is truncated or corrupt, not partly usable. */
    private static final class CorruptFileException extends RuntimeException {
        final long offset;

        CorruptFileException(long offset, String message) {
            super(message);
            this.offset = offset;
        }
    }

    private static URI uriOf(String url) {
        try {
            return URI.create(url.replace(" ", "%20"));
        } catch (IllegalArgumentException e) {
            return URI.create("refcat:unnamed");
        }
    }

    /**
     * A file that references point into: its URL, user block and size, where its superblock ends
     * and where its superblock says the file ends (no data lie outside: an address there is corrupt).
     */
    private record Location(String url, long userBlock, long fileSize, long superblockEnd, long recordedEnd) {

        static Location of(String url, HdfFile file, long size) {
            io.jhdf.Superblock sb = file.getHdfBackingStorage().getSuperblock();
            int o = sb.getSizeOfOffsets();
            // Fixed fields, four addresses, then (versions 0 and 1) the root group's symbol table
            // entry or (versions 2 and 3) a checksum; HDF5 File Format Specification, section II.A.
            long bytes = switch (sb.getVersionOfSuperblock()) {
                case 0 -> 24 + 4L * o + 2L * o + 24;
                case 1 -> 28 + 4L * o + 2L * o + 24;
                default -> 12 + 4L * o + 4;
            };
            return new Location(url, file.getUserBlockSize(), size, file.getUserBlockSize() + bytes,
                    SuperblockChecks.end(file));
        }

        /** Data must lie after the superblock and before the end of file the superblock records. */
        void requireInside(long offset, long length) throws UnsupportedVariableException {
            if (offset < superblockEnd) {
                throw new UnsupportedVariableException("its data address " + offset + " lies inside the file's superblock"
                        + " (bytes " + userBlock + " to " + superblockEnd + "): the file is corrupt");
            }
            if (offset + length > recordedEnd) {
                throw new UnsupportedVariableException("its data (" + length + " bytes at " + offset + ") run past the "
                        + "end of file its superblock records (" + recordedEnd + "): the file is corrupt");
            }
        }
    }

    private static final class Walk {
        final HdfFile home;
        final Location homeLocation;
        final Map<String, Long> externalFiles = new TreeMap<>();
        final ScanOptions options;
        final boolean writtenByLibnetcdf;
        final Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        final List<VirtualArray> arrays = new ArrayList<>();
        final TreeMap<String, String> unsupported = new TreeMap<>();
        final NetcdfDimensions dimensions = new NetcdfDimensions();
        final Map<String, DeferredArray> deferred = new LinkedHashMap<>();
        final GroupLinks links = new GroupLinks();
        final VirtualSources virtualSources = new VirtualSources(links);

        Walk(HdfFile home, Location homeLocation, ScanOptions options, boolean writtenByLibnetcdf) {
            this.home = home;
            this.homeLocation = homeLocation;
            this.writtenByLibnetcdf = writtenByLibnetcdf;
            this.options = options;
        }

        /**
         * Datasets libnetcdf does not show as variables: array datatypes always; in files it did
         * not write, also the user-defined types (enum, compound, sequence) that have no committed
         * netCDF type. Observed against libnetcdf 4.9 on the fixtures and corpus.
         */
        private boolean skippedByLibnetcdf(DataType type) {
            if (type instanceof ArrayDataType) {
                return true;
            }
            if (writtenByLibnetcdf) {
                return false;
            }
            return (type instanceof io.jhdf.object.datatype.EnumDataType e && !Hdf5Types.isBoolean(e))
                    || type instanceof io.jhdf.object.datatype.CompoundDataType
                    || (type instanceof VariableLength v && !v.isVariableLengthString());
        }

        /** A step that may find a node unsupported: a child visited, or an array described late. */
        @FunctionalInterface
        interface DeferredArray {
            void describe() throws UnsupportedVariableException;
        }

        void describeDeferred() {
            deferred.forEach((path, d) -> recordingFailures(path, false, d::describe));
        }

        /** Runs one node's step; a reason it cannot be referenced goes to {@code unsupported}, the file goes on. */
        private void recordingFailures(String path, boolean isLink, DeferredArray step) {
            try {
                step.describe();
            } catch (UnsupportedVariableException e) {
                unsupported.put(path, e.getMessage());
            } catch (UnsupportedHdfException | HdfFilterException e) {
                unsupported.put(path, "jhdf: " + LibraryText.of(e));
            } catch (HdfBrokenLinkException e) {
                unsupported.put(path, "link whose target cannot be reached: " + e.getMessage());
            } catch (HdfException e) {
                UnsupportedHdfException why = unsupportedCause(e);
                if (why != null) {
                    // jhdf reads the structure but not this feature of it (external raw storage,
                    // region references, ...): this object is left out, the rest of the file is not.
                    unsupported.put(path, "jhdf: " + LibraryText.of(why));
                    return;
                }
                String unreadable = unreadableHeader(e);
                if (unreadable != null) {
                    // an object header lacking a message every dataset has, or holding a datatype of
                    // no known class (libhdf5 cannot open either): this object is left out and said
                    // so, the rest of the file is not
                    unsupported.put(path, unreadable);
                    return;
                }
                if (!isLink) {
                    throw e;
                }
                unsupported.put(path, "link whose target cannot be read: " + e.getMessage());
            }
        }

        private static final java.util.regex.Pattern MISSING_MESSAGE = java.util.regex.Pattern.compile(
                "Requested message type '(\\w+)' not present");
        private static final java.util.regex.Pattern UNKNOWN_CLASS = java.util.regex.Pattern.compile(
                "Unrecognized data class = (\\d+)");

        /**
         * Why one object's header cannot be read, where jhdf says it is that object's own header
         * (a missing {@code DataLayoutMessage}, a datatype class HDF5 does not define), or null.
         */
        private static String unreadableHeader(Throwable e) {
            for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
                String text = c.getMessage() == null ? "" : c.getMessage();
                java.util.regex.Matcher m = MISSING_MESSAGE.matcher(text);
                if (m.find()) {
                    return "the object's header has no " + m.group(1) + "; it cannot be read";
                }
                m = UNKNOWN_CLASS.matcher(text);
                if (m.find()) {
                    return "the object's datatype is of class " + m.group(1) + ", which HDF5 does not define";
                }
            }
            return null;
        }

        private static UnsupportedHdfException unsupportedCause(Throwable e) {
            for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (c instanceof UnsupportedHdfException u) {
                    return u;
                }
            }
            return null;
        }

        void group(Group g, String path) {
            Map<String, String> problems = new TreeMap<>();
            groups.put(path, Hdf5Attributes.of(g, problems));
            problems.forEach((name, why) -> unsupported.put(join(path, "@" + name), "attribute: " + why));
            for (GroupLinks.Child link : inNetcdfOrder(links.of(g))) {
                String childPath = join(path, NetcdfDimensions.variableName(link.name()));
                recordingFailures(childPath, link.isLink(), () -> child(link.get(), childPath, path));
            }
        }

        private void child(Node node, String childPath, String groupPath) throws UnsupportedVariableException {
            Node n = node;
            if (n instanceof SoftLink || n instanceof ExternalLink) {
                n = node instanceof SoftLink soft ? soft.getTarget() : ((ExternalLink) node).getTarget();
                if (n instanceof Group) {
                    // Following it would repeat the target group's arrays under a second path.
                    throw new UnsupportedVariableException("link to group " + n.getPath()
                            + " is not duplicated; its target is indexed where it stands");
                }
            }
            if (n instanceof Group child) {
                group(child, childPath);
            } else if (n instanceof Dataset d) {
                if (skippedByLibnetcdf(d.getDataType())) {
                    // libnetcdf skips these, so they must not take phony dimension numbers
                    // from the variables it does show: they are described last.
                    deferred.put(childPath, () -> arrays.add(array(d, childPath, groupPath)));
                } else if (!NetcdfDimensions.isDimensionOnly(d)) {
                    arrays.add(array(d, childPath, groupPath));
                }
            } else if (n != null && n.getType() != io.jhdf.api.NodeType.COMMITTED_DATATYPE) {
                // Committed datatypes (null from GroupLinks) are type definitions: nothing to reference.
                unsupported.put(childPath, "HDF5 object of type " + n.getType() + " is not referenced");
            }
        }

        /**
         * The order in which libnetcdf defines variables, and so numbers phony dimensions: a
         * group's subgroups first (recursively), then its datasets; each in creation order where
         * the group tracks it, else by name (as {@link GroupLinks} lists them). Checked against
         * libnetcdf on the fixtures and corpus.
         */
        private static List<GroupLinks.Child> inNetcdfOrder(List<GroupLinks.Child> links) {
            List<GroupLinks.Child> ordered = new ArrayList<>(links.stream().filter(c -> c.node() instanceof Group).toList());
            ordered.addAll(links.stream().filter(c -> !(c.node() instanceof Group)).toList());
            return ordered;
        }

        VirtualArray array(Dataset d, String path, String groupPath) throws UnsupportedVariableException {
            if (d.getDataType() instanceof VariableLength vlen) {
                return variableLength(d, vlen, path, groupPath);
            }
            // An array datatype's dimensions become trailing array dimensions, as h5py shows them.
            DataType type = d.getDataType();
            int[] inner = new int[0];
            if (type instanceof ArrayDataType a) {
                inner = a.getArrayTypeDimensions();
                type = a.getBaseType();
                long elements = 1;
                for (int n : inner) {
                    elements *= n;
                }
                if (elements * type.getSize() != a.getSize()) {
                    // sizes that do not add up (RepairedObjects rewrites the v2 form jhdf misreads): never guess
                    throw new UnsupportedVariableException("array datatype of " + a.getSize() + " bytes read as "
                            + Arrays.toString(inner) + " x " + type.getSize() + " bytes; not referenced");
                }
            }
            DType dtype = Hdf5Types.dtype(type);
            Described v = describe(d, path, groupPath, inner);
            List<Long> shape = v.shape();
            Map<String, Object> attrs = withEnumMapping(v.attributes(), d.getDataType());
            List<String> dims = v.dimensions();
            Object fill = fillValue(d, dtype);
            Optional<VirtualMapping.HeapId> mapping = links.virtualMapping(d);
            if (mapping.isPresent()) {
                return virtualDataset(d, mapping.get(), path, shape, dtype, fill, attrs, dims);
            }
            return switch (d.getDataLayout()) {
                case CONTIGUOUS -> contiguous((ContiguousDataset) d, path, shape, dtype, fill, attrs, dims);
                case COMPACT -> compact(d, path, shape, dtype, fill, attrs, dims);
                case CHUNKED -> chunked((ChunkedDatasetBase) d, path, shape, dtype, fill, attrs, dims, inner.length);
            };
        }

        /** A virtual dataset followed to its sources' chunks, where they tile it ({@link VirtualAssembly}). */
        private VirtualArray virtualDataset(Dataset d, VirtualMapping.HeapId id, String path, List<Long> shape,
                                            DType dtype, Object fill, Map<String, Object> attrs, List<String> dims)
                throws UnsupportedVariableException {
            List<Integer> whole = shape.stream().map(n -> (int) Math.max(1, Math.min(n, Integer.MAX_VALUE))).toList();
            VirtualArray blank = new VirtualArray(path, ZarrArrayMetadata.uncompressed(shape, whole, dtype, fill), attrs,
                    dims, new TreeMap<>());
            List<VirtualAssembly.Source> sources = new ArrayList<>();
            for (VirtualMapping m : VirtualMapping.read(d.getHdfFile().getHdfBackingStorage(), id)) {
                sources.add(new VirtualAssembly.Source(m, sourceArray(virtualSources.dataset(d, m), path)));
            }
            return VirtualAssembly.assemble(blank, sources);
        }

        /** A virtual dataset's source as a bare array: its chunks, codecs and fill value. */
        private VirtualArray sourceArray(Dataset src, String path) throws UnsupportedVariableException {
            if (links.virtualMapping(src).isPresent()) {
                throw new UnsupportedVariableException("source " + src.getPath() + " is itself virtual; not followed");
            }
            DType dtype = Hdf5Types.dtype(src.getDataType());
            List<Long> shape = Arrays.stream(src.getDimensionsAsLong()).boxed().toList();
            Object fill = fillValue(src, dtype);
            List<String> dims = IntStream.range(0, shape.size()).mapToObj(i -> "dim_" + i).toList();
            return switch (src.getDataLayout()) {
                case CONTIGUOUS -> contiguous((ContiguousDataset) src, path, shape, dtype, fill, Map.of(), dims);
                case COMPACT -> compact(src, path, shape, dtype, fill, Map.of(), dims);
                case CHUNKED -> chunked((ChunkedDatasetBase) src, path, shape, dtype, fill, Map.of(), dims, 0);
            };
        }

        private VirtualArray contiguous(ContiguousDataset d, String path, List<Long> shape, DType dtype, Object fill,
                                        Map<String, Object> attrs, List<String> dims)
                throws UnsupportedVariableException {
            // Storage never allocated (the undefined address, e.g. a variable netCDF created but never
            // wrote): no chunk at all, so every reader uses the fill value. A reference at offset 0
            // would hand out the file's signature as data.
            Optional<ExternalStorage> external = links.externalStorage(d);
            if (external.isPresent()) {
                return externallyStored(d, external.get(), path, shape, dtype, fill, attrs, dims);
            }
            boolean allocated = !d.isEmpty() && !unallocated(d);
            Location at = locationOf(d);
            ContiguousLayout layout = ContiguousLayout.of(at.url(), allocated ? at.userBlock() + d.getDataAddress() : 0,
                    shape, dtype.itemSize(), options.targetChunkBytes());
            if (!allocated) {
                return new VirtualArray(path, ZarrArrayMetadata.uncompressed(shape, layout.chunks(), dtype, fill), attrs,
                        dims, new TreeMap<>());
            }
            long start = at.userBlock() + d.getDataAddress();
            at.requireInside(start, layout.refs().values().stream().mapToLong(r -> ((Reference.Range) r).end()).max()
                    .orElse(start) - start);
            layout.refs().values().forEach(r -> {
                Reference.Range range = (Reference.Range) r;
                if (range.end() > at.fileSize()) {
                    throw new CorruptFileException(range.offset(), "data of '" + path + "' at " + range.offset() + " ("
                            + range.length() + " bytes) extends past the end of " + at.url() + " (" + at.fileSize()
                            + " bytes)");
                }
            });
            return new VirtualArray(path, ZarrArrayMetadata.uncompressed(shape, layout.chunks(), dtype, fill), attrs,
                    dims, layout.refs());
        }

        /**
         * Raw data kept in other files (H5Pset_external): the dataset's bytes are its slots one
         * after the other, each a range of a file named relative to the HDF5 file's directory
         * (docs/DECISIONS.md). Chunks are cut as for contiguous data, or one row each where those would
         * straddle slots; each must lie in one slot.
         */
        private VirtualArray externallyStored(ContiguousDataset d, ExternalStorage ext, String path, List<Long> shape,
                                              DType dtype, Object fill, Map<String, Object> attrs, List<String> dims)
                throws UnsupportedVariableException {
            Location at = locationOf(d);
            if (!at.url().startsWith("file://")) {
                throw new UnsupportedVariableException("raw data in external files of a remote HDF5 file are not "
                        + "referenced yet");
            }
            java.nio.file.Path dir = java.nio.file.Path.of(at.url().substring("file://".length())).getParent();
            long rowBytes = dtype.itemSize();
            for (int i = 1; i < shape.size(); i++) {
                rowBytes = Math.multiplyExact(rowBytes, shape.get(i));
            }
            // One row per chunk where the usual chunks straddle slots: slots are often one per record
            // (a time step per file), and a reference is one range of one file.
            for (long target : new long[] {options.targetChunkBytes(), rowBytes}) {
                ContiguousLayout layout = ContiguousLayout.of("", 0, shape, dtype.itemSize(), target);
                Map<String, Long> files = new TreeMap<>();
                Optional<TreeMap<String, Reference>> refs = inSlots(layout, ext, dir, files);
                if (refs.isPresent()) {
                    externalFiles.putAll(files); // the store checks their sizes too
                    return new VirtualArray(path, ZarrArrayMetadata.uncompressed(shape, layout.chunks(), dtype, fill),
                            attrs, dims, refs.get());
                }
            }
            throw new UnsupportedVariableException("its external storage slots split a row of the data (slot sizes "
                    + ext.slots().stream().map(sl -> Long.toString(sl.size())).toList() + " bytes, rows of " + rowBytes
                    + "); a reference is one range of one file");
        }

        /** Each chunk of the layout as a range of the one slot holding it; empty where one straddles slots. */
        private Optional<TreeMap<String, Reference>> inSlots(ContiguousLayout layout, ExternalStorage ext,
                                                             java.nio.file.Path dir, Map<String, Long> files)
                throws UnsupportedVariableException {
            TreeMap<String, Reference> refs = new TreeMap<>();
            for (Map.Entry<String, Reference> e : layout.refs().entrySet()) {
                Reference.Range logical = (Reference.Range) e.getValue();
                long start = 0;
                Reference.Range placed = null;
                for (ExternalStorage.Slot slot : ext.slots()) {
                    long size = slot.size() == ExternalStorage.UNLIMITED ? Long.MAX_VALUE - start : slot.size();
                    if (logical.offset() >= start && logical.end() <= start + size) {
                        placed = externalRange(dir, slot, logical.offset() - start, logical.length(), files);
                        break;
                    }
                    start += size;
                }
                if (placed == null) {
                    return Optional.empty();
                }
                refs.put(e.getKey(), placed);
            }
            return Optional.of(refs);
        }

        private Reference.Range externalRange(java.nio.file.Path dir, ExternalStorage.Slot slot, long within,
                                              long length, Map<String, Long> files)
                throws UnsupportedVariableException {
            java.nio.file.Path file = dir.resolve(slot.name()).normalize();
            long size;
            try {
                size = java.nio.file.Files.size(file);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UnsupportedVariableException("its external raw data file " + slot.name()
                        + " does not exist (libhdf5 cannot read the data either)");
            } catch (java.io.IOException e) {
                throw new UnsupportedVariableException("its external raw data file " + slot.name() + " cannot be read: "
                        + e.getMessage());
            }
            String url = "file://" + file.toAbsolutePath();
            long offset = slot.offset() + within;
            if (offset + length > size) {
                throw new UnsupportedVariableException("its external raw data file " + slot.name() + " has " + size
                        + " bytes, but the data run to byte " + (offset + length));
            }
            files.put(url, size);
            return new Reference.Range(url, offset, length);
        }

        private VirtualArray compact(Dataset d, String path, List<Long> shape, DType dtype, Object fill,
                                     Map<String, Object> attrs, List<String> dims) {
            ByteBuffer buf = ((io.jhdf.dataset.DatasetBase) d).getDataBuffer();
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            List<Integer> chunks = new ArrayList<>();
            shape.forEach(s -> chunks.add(Math.toIntExact(Math.max(1, s))));
            TreeMap<String, Reference> refs = new TreeMap<>();
            refs.put(shape.isEmpty() ? "0" : "0" + ".0".repeat(shape.size() - 1), new Reference.Inline(bytes));
            return new VirtualArray(path, ZarrArrayMetadata.uncompressed(shape, chunks, dtype, fill), attrs, dims, refs);
        }

        private VirtualArray chunked(ChunkedDatasetBase d, String path, List<Long> shape, DType dtype, Object fill,
                                     Map<String, Object> attrs, List<String> dims, int innerRank)
                throws UnsupportedVariableException {
            // HDF5's shuffle works on whole dataset elements (an array datatype's included).
            Hdf5Filters.Chain codecs = Hdf5Filters.chain(filters(d), d.getDataType().getSize());
            requireLayoutElementSize(d);
            int[] chunkDims = d.getChunkDimensions();
            List<Integer> chunks = new ArrayList<>();
            for (int c : chunkDims) {
                chunks.add(c);
            }
            for (int i = shape.size() - innerRank; i < shape.size(); i++) {
                chunks.add(Math.toIntExact(shape.get(i)));
            }
            ZarrArrayMetadata meta = new ZarrArrayMetadata(shape, chunks, dtype, codecs.compressor(), codecs.filters(),
                    fill, 'C', ".");
            TreeMap<String, Reference> refs = new TreeMap<>();
            TreeMap<String, Integer> masks = new TreeMap<>();
            Location at = locationOf(d);
            long userBlock = at.userBlock();
            long[] grid = meta.chunkGrid();
            if (!d.isEmpty()) {
                for (Chunk c : JhdfInternals.chunks(d)) {
                    if (c.getAddress() < 0) {
                        continue; // fixed and extensible arrays list unwritten chunks at the undefined address
                    }
                    if (userBlock + c.getAddress() + c.getSize() > at.fileSize()) {
                        throw new CorruptFileException(userBlock + c.getAddress(), "chunk of '" + path + "' at "
                                + (userBlock + c.getAddress()) + " (" + c.getSize() + " bytes) extends past the end of "
                                + at.url() + " (" + at.fileSize() + " bytes)");
                    }
                    at.requireInside(userBlock + c.getAddress(), c.getSize());
                    long[] maskBits = c.getFilterMask().toLongArray();
                    long[] index = gridIndex(c.getChunkOffset(), chunkDims, grid, innerRank);
                    String key = meta.chunkKey(index);
                    refs.put(key, new Reference.Range(at.url(), userBlock + c.getAddress(), c.getSize()));
                    if (maskBits.length > 0 && maskBits[0] != 0) {
                        // e.g. lzf leaves a chunk it cannot shrink uncompressed and says so here
                        masks.put(key, (int) maskBits[0]);
                    }
                }
            }
            return new VirtualArray(path, meta, attrs, dims, refs, masks);
        }

        /**
         * A chunked layout message ends with the size of one element, which must be the
         * datatype's: libhdf5 reads chunks by it, so a corrupt one makes libhdf5 read other
         * values than the chunks hold.
         */
        private static void requireLayoutElementSize(ChunkedDatasetBase d) throws UnsupportedVariableException {
            io.jhdf.object.message.DataLayoutMessage layout = d.getHeader().getMessageOfType(
                    io.jhdf.object.message.DataLayoutMessage.class);
            int elementSize;
            if (layout instanceof io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessage v3) {
                elementSize = v3.getSize();
            } else if (layout instanceof io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessageV4 v4) {
                int[] dims = v4.getChunkDimensions();
                elementSize = dims[dims.length - 1];
            } else {
                return;
            }
            if (elementSize != d.getDataType().getSize()) {
                throw new UnsupportedVariableException("its chunk layout gives " + elementSize + "-byte elements, its "
                        + "datatype " + d.getDataType().getSize() + "-byte ones: the file is corrupt");
            }
        }

        /**
         * A chunk's position in the grid from its element offset in the chunk index. A corrupt
         * B-tree key gives an offset off the grid or outside the array (libhdf5 then reads the
         * chunk's elements as fill); a reference under such a key would be wrong or never read,
         * so the dataset is reported instead.
         */
        private static long[] gridIndex(long[] offset, int[] chunkDims, long[] grid, int innerRank)
                throws UnsupportedVariableException {
            long[] index = new long[offset.length + innerRank];
            for (int i = 0; i < offset.length; i++) {
                index[i] = offset[i] / chunkDims[i];
                if (offset[i] < 0 || offset[i] % chunkDims[i] != 0 || index[i] >= grid[i]) {
                    throw new UnsupportedVariableException("its chunk index is corrupt: a chunk at element offset "
                            + Arrays.toString(offset) + " is off the grid of " + Arrays.toString(chunkDims)
                            + "-element chunks of the " + Arrays.toString(grid) + "-chunk array");
                }
            }
            return index;
        }

        /** Contiguous storage at the undefined address: never written. */
        private static boolean unallocated(Dataset d) {
            return d instanceof ContiguousDataset c && c.getDataAddress() < 0;
        }

        /**
         * Variable-length strings and sequences live in the global heap, not in chunks a reference
         * can point at: they are read and inlined as one {@code vlen-utf8} or {@code vlen-array}
         * chunk of an object array (as xarray and zarr-python read them), up to
         * {@link Vlen#MAX_INLINE_BYTES}.
         */
        private VirtualArray variableLength(Dataset d, VariableLength vlen, String path, String groupPath)
                throws UnsupportedVariableException {
            Described v = describe(d, path, groupPath, new int[0]);
            List<Long> shape = v.shape();
            io.refcat.reference.zarr.Codec codec;
            byte[] chunk;
            if (vlen.isVariableLengthString()) {
                codec = io.refcat.reference.zarr.Codec.of("vlen-utf8");
                chunk = unallocated(d) ? null : Vlen.strings(d.getDataFlat(), path);
            } else {
                DType element = Hdf5Types.dtype(vlen.getParent());
                if (element.kind() != 'i' && element.kind() != 'u' && element.kind() != 'f') {
                    throw new UnsupportedVariableException("variable-length sequences of " + element
                            + " have no numcodecs encoding");
                }
                codec = new io.refcat.reference.zarr.Codec("vlen-array", Map.of("dtype", element.toString()));
                chunk = unallocated(d) ? null : Vlen.arrays(d.getDataFlat(), element, path);
            }
            List<Integer> chunks = new ArrayList<>();
            shape.forEach(s -> chunks.add(Math.toIntExact(Math.max(1, s))));
            TreeMap<String, Reference> refs = new TreeMap<>();
            // Never written (storage unallocated): no chunk, so clients read the fill value ("" for
            // strings, as libnetcdf and h5py give), rather than a chunk of no elements.
            if (d.getSize() > 0 && chunk != null) {
                refs.put(shape.isEmpty() ? "0" : "0" + ".0".repeat(shape.size() - 1), new Reference.Inline(chunk));
            }
            ZarrArrayMetadata meta = new ZarrArrayMetadata(shape, chunks, DType.OBJECT, null, List.of(codec),
                    vlen.isVariableLengthString() ? "" : null, 'C', ".");
            return new VirtualArray(path, meta, v.attributes(), v.dimensions(), refs);
        }

        /**
         * Where a dataset's bytes are: this file, or, behind an external link jhdf followed, the
         * linked file (recorded among the sources, so the store checks its size too).
         */
        private Location locationOf(Dataset d) {
            HdfFile file = d.getHdfFile();
            if (file == home) {
                return homeLocation;
            }
            java.nio.file.Path path = file.getFileAsPath();
            if (path == null) {
                throw new IllegalStateException("external file of " + d.getPath() + " has no local path");
            }
            String url = "file://" + path.toAbsolutePath().normalize();
            externalFiles.put(url, file.size());
            return Location.of(url, file, file.size());
        }

        /**
         * An enum's members as CF flags, {@code flag_values} and {@code flag_meanings} (names with
         * blanks get underscores, as CF requires blank-separated words); the data are the base integers,
         * as h5py reads them. h5py's booleans are mapped to a bool dtype instead.
         */
        private static Map<String, Object> withEnumMapping(Map<String, Object> attrs, DataType type) {
            if (!(type instanceof io.jhdf.object.datatype.EnumDataType e) || Hdf5Types.isBoolean(e)
                    || attrs.containsKey("flag_values") || attrs.containsKey("flag_meanings")) {
                return attrs;
            }
            Map<String, Object> out = new LinkedHashMap<>(attrs);
            List<Long> values = new ArrayList<>();
            List<String> names = new ArrayList<>();
            new TreeMap<>(e.getEnumMapping()).forEach((value, name) -> {
                values.add((long) value);
                names.add(name.trim().replaceAll("\\s+", "_"));
            });
            out.put("flag_values", values);
            out.put("flag_meanings", String.join(" ", names));
            return out;
        }

        /** What every dataset has, whatever its type: shape, visible attributes, dimension names. */
        private record Described(List<Long> shape, Map<String, Object> attributes, List<String> dimensions) {
        }

        private Described describe(Dataset d, String path, String groupPath, int[] inner)
                throws UnsupportedVariableException {
            List<Long> shape = new ArrayList<>();
            for (long s : d.getDimensionsAsLong()) {
                shape.add(s);
            }
            for (int s : inner) {
                shape.add((long) s);
            }
            if (shape.size() == inner.length && d.getSize() == 0) {
                throw new UnsupportedVariableException("null dataspace: the dataset has no shape and no value "
                        + "(h5py reads it as Empty); Zarr has no equivalent");
            }
            Map<String, String> problems = new TreeMap<>();
            Map<String, Object> attrs = Hdf5Attributes.of(d, problems);
            problems.forEach((name, why) -> unsupported.put(path + "/@" + name, "attribute: " + why));
            return new Described(shape, attrs, dimensions.names(d, groupPath, shape));
        }

        private Object fillValue(Dataset d, DType dtype) throws UnsupportedVariableException {
            Object fill = null;
            Attribute attr = d.getAttribute("_FillValue");
            if (attr != null && !attr.isEmpty()) {
                fill = attr.getData();
                if (fill != null && fill.getClass().isArray()) {
                    fill = java.lang.reflect.Array.getLength(fill) == 0 ? null : java.lang.reflect.Array.get(fill, 0);
                }
            }
            if (fill == null) {
                // libnetcdf reads a variable without _FillValue with netcdf.h's default, whatever
                // fill value (often none) the HDF5 dataset holds.
                fill = writtenByLibnetcdf ? NetcdfFill.defaultFor(dtype) : d.getFillValue();
            }
            if (dtype.kind() == 'V') {
                return structuredFill(d, dtype);
            }
            if (dtype.kind() == 'S') {
                byte[] b = fill instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
                return Base64.getEncoder().encodeToString(Arrays.copyOf(b, dtype.itemSize()));
            }
            if (!(fill instanceof Number n)) {
                return dtype.kind() == 'f' ? (Object) 0.0 : (Object) 0L;
            }
            if (dtype.kind() == 'f') {
                return n.doubleValue();
            }
            Object v = Hdf5Attributes.json(n);
            return v;
        }

        /** The filter pipeline message's filters, in order (none: unfiltered). */
        private static List<FilterPipelineMessage.FilterInfo> filters(Dataset d) {
            ObjectHeader header = ((AbstractNode) d).getHeader();
            return header.hasMessageOfType(FilterPipelineMessage.class)
                    ? header.getMessageOfType(FilterPipelineMessage.class).getFilters() : List.of();
        }

        /**
         * A structured or opaque dataset's fill value: base64 of its bytes in the stored layout, as
         * Zarr v2 writes a structured fill value, so unwritten chunks read as libhdf5 reads them; null
         * (zeros) where the dataset defines none, or all zeros.
         */
        private static String structuredFill(Dataset d, DType dtype) {
            if (!(d instanceof AbstractNode node)) {
                return null;
            }
            ObjectHeader header = node.getHeader();
            ByteBuffer value = null;
            if (header.hasMessageOfType(FillValueMessage.class)) {
                FillValueMessage m = header.getMessageOfType(FillValueMessage.class);
                value = m.isFillValueDefined() ? m.getFillValue() : null;
            } else if (header.hasMessageOfType(FillValueOldMessage.class)) {
                value = header.getMessageOfType(FillValueOldMessage.class).getFillValue();
            }
            if (value == null || value.remaining() != dtype.itemSize()) {
                return null;
            }
            byte[] bytes = new byte[value.remaining()];
            value.duplicate().get(bytes);
            for (byte b : bytes) {
                if (b != 0) {
                    return Base64.getEncoder().encodeToString(bytes);
                }
            }
            return null;
        }

        private static String join(String parent, String name) {
            return parent.isEmpty() ? name : parent + "/" + name;
        }
    }
}
