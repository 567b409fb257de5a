package io.refcat.indexer.hdf5;

import io.jhdf.Constants;
import io.jhdf.FractalHeap;
import io.jhdf.GroupSymbolTableNode;
import io.jhdf.LocalHeap;
import io.jhdf.ObjectHeader;
import io.jhdf.SymbolTableEntry;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.btree.BTreeV1;
import io.jhdf.btree.BTreeV2;
import io.jhdf.btree.record.BTreeRecord;
import io.jhdf.btree.record.LinkNameForIndexedGroupRecord;
import io.jhdf.dataset.DatasetLoader;
import io.jhdf.exceptions.HdfException;
import io.jhdf.links.ExternalLink;
import io.jhdf.links.SoftLink;
import io.jhdf.object.message.DataSpaceMessage;
import io.jhdf.object.message.DataTypeMessage;
import io.jhdf.object.message.LinkInfoMessage;
import io.jhdf.object.message.LinkMessage;
import io.jhdf.object.message.SymbolTableMessage;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A group's children, each loaded on its own. jhdf 0.13 loads a group's children all at once and
 * fails the group (and so the file) when one of them is beyond it; refcat lists the links itself
 * (symbol table for old-style groups; link messages, compact or in a fractal heap, for new-style
 * ones) so such a child is one unsupported entry and its siblings are indexed. Objects jhdf
 * refuses are repaired where refcat knows how ({@link RepairedObjects}).
 */
final class GroupLinks {
    /** A symbol table entry's cache type for a soft link: its target path is in the group's local heap. */
    private static final int SYMBOLIC_LINK = 2;
    private final Map<Group, List<Child>> cache = new IdentityHashMap<>();
    private final Map<Dataset, VirtualMapping.HeapId> virtualDatasets = new IdentityHashMap<>();
    private final Map<Dataset, ExternalStorage> externalStorage = new IdentityHashMap<>();

    /**
     * A link and what it leads to: the node, or why it could not be loaded; a committed datatype
     * (a type definition, no data) has neither.
     */
    record Child(String name, long creationOrder, Node node, RuntimeException failure) {
        Node get() {
            if (failure != null) {
                throw failure;
            }
            return node;
        }

        boolean isLink() {
            return node instanceof SoftLink || node instanceof ExternalLink;
        }
    }

    /** The children of {@code g} in creation order where it is tracked, else by name. */
    List<Child> of(Group g) {
        return cache.computeIfAbsent(g, this::load);
    }

    /** The mapping list of a virtual dataset, if {@code d} is one. */
    /** Where a dataset's raw data lie in other files ({@code H5Pset_external}), if they do. */
    Optional<ExternalStorage> externalStorage(Dataset d) {
        return Optional.ofNullable(externalStorage.get(d));
    }

    Optional<VirtualMapping.HeapId> virtualMapping(Dataset d) {
        return Optional.ofNullable(virtualDatasets.get(d));
    }

    private List<Child> load(Group g) {
        HdfBackingStorage storage = g.getHdfFile().getHdfBackingStorage();
        ObjectHeader oh = ObjectHeader.readObjectHeader(storage, g.getAddress());
        List<Child> children = oh.hasMessageOfType(SymbolTableMessage.class) ? oldStyle(storage, g, oh)
                : newStyle(storage, g, oh);
        List<Child> sorted = new ArrayList<>(children);
        sorted.sort(g.isLinkCreationOrderTracked() ? Comparator.comparingLong(Child::creationOrder)
                : Comparator.comparing(Child::name));
        return sorted;
    }

    private List<Child> oldStyle(HdfBackingStorage storage, Group g, ObjectHeader oh) {
        SymbolTableMessage stm = oh.getMessageOfType(SymbolTableMessage.class);
        ByteBuffer names = new LocalHeap(storage, stm.getLocalHeapAddress()).getDataBuffer();
        List<Child> children = new ArrayList<>();
        for (long address : BTreeV1.createGroupBTree(storage, stm.getBTreeAddress()).getChildAddresses()) {
            for (SymbolTableEntry ste : new GroupSymbolTableNode(storage, address).getSymbolTableEntries()) {
                String name = cString(names, ste.getLinkNameOffset());
                if (ste.getCacheType() == SYMBOLIC_LINK) {
                    children.add(new Child(name, 0, new SoftLink(cString(names, ste.getLinkValueOffset()), name, g), null));
                } else {
                    children.add(hard(storage, g, name, 0, ste.getObjectHeaderAddress()));
                }
            }
        }
        return children;
    }

    private List<Child> newStyle(HdfBackingStorage storage, Group g, ObjectHeader oh) {
        List<LinkMessage> links;
        LinkInfoMessage info = oh.getMessageOfType(LinkInfoMessage.class);
        if (info.getBTreeNameIndexAddress() == Constants.UNDEFINED_ADDRESS) {
            links = oh.getMessagesOfType(LinkMessage.class);
        } else {
            BTreeV2<BTreeRecord> names = new BTreeV2<>(storage, info.getBTreeNameIndexAddress());
            FractalHeap heap = new FractalHeap(storage, info.getFractalHeapAddress());
            links = new ArrayList<>();
            for (BTreeRecord r : names.getRecords()) {
                links.add(LinkMessage.fromBuffer(heap.getId(((LinkNameForIndexedGroupRecord) r).getId()),
                        storage.getSuperblock()));
            }
        }
        List<Child> children = new ArrayList<>();
        for (LinkMessage link : links) {
            String name = link.getLinkName();
            long order = link.getCreationOrder();
            switch (link.getLinkType()) {
                case HARD -> children.add(hard(storage, g, name, order, link.getHardLinkAddress()));
                case SOFT -> children.add(new Child(name, order, new SoftLink(link.getSoftLink(), name, g), null));
                case EXTERNAL -> children.add(new Child(name, order,
                        new ExternalLink(link.getExternalFile(), link.getExternalPath(), name, g), null));
                default -> children.add(new Child(name, order, null,
                        new HdfException("link '" + name + "' of type " + link.getLinkType() + " is not followed")));
            }
        }
        return children;
    }

    private Child hard(HdfBackingStorage storage, Group parent, String name, long order, long address) {
        try {
            return new Child(name, order, node(storage, parent, name, address), null);
        } catch (RuntimeException e) {
            return new Child(name, order, null, e);
        }
    }

    private Node node(HdfBackingStorage storage, Group parent, String name, long address) {
        ObjectHeader oh;
        try {
            oh = ObjectHeader.readObjectHeader(storage, address);
        } catch (HdfException refused) {
            RepairedObjects.Repaired r = RepairedObjects.repair(storage, address, name, parent).orElseThrow(() -> refused);
            r.virtualMapping().ifPresent(id -> virtualDatasets.put(r.dataset(), id));
            r.external().ifPresent(e -> externalStorage.put(r.dataset(), e));
            return r.dataset();
        }
        checkRaw(storage, oh, address);
        if (oh.hasMessageOfType(DataSpaceMessage.class)) {
            if (RepairedObjects.misread(oh)) {
                Optional<RepairedObjects.Repaired> r = RepairedObjects.repair(storage, address, name, parent);
                if (r.isPresent()) {
                    return r.get().dataset();
                }
            }
            return DatasetLoader.createDataset(storage, oh, name, parent);
        }
        if (oh.hasMessageOfType(DataTypeMessage.class)) {
            return null; // a committed datatype: a type definition, nothing to reference
        }
        return JhdfInternals.createGroup(storage, address, name, parent);
    }

    /** What libhdf5 checks of an object's header and its group's local heap, and jhdf does not. */
    static void checkRaw(HdfBackingStorage storage, ObjectHeader oh, long address) {
        if (oh.getVersion() == 1) {
            RawObjectHeader.checkV1(storage, address);
        }
        for (io.jhdf.object.message.SymbolTableMessage t : oh.getMessagesOfType(io.jhdf.object.message.SymbolTableMessage.class)) {
            LocalHeaps.checkFreeList(storage, t.getLocalHeapAddress());
        }
    }

    static String cString(ByteBuffer bb, int offset) {
        int end = offset;
        while (end < bb.limit() && bb.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - offset];
        bb.get(offset, b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
