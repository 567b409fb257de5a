package io.refcat.indexer.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Where a virtual dataset's mappings point: the source files (each opened once per scan) and datasets. */
final class VirtualSources {
    private final GroupLinks links;
    private final Map<Path, HdfFile> files = new HashMap<>();

    VirtualSources(GroupLinks links) {
        this.links = links;
    }

    /**
     * A mapping's source dataset: in this file ("."), or in a file named absolutely or relative
     * to this file's directory, as libhdf5 looks first (HDF5_VDS_PREFIX is not consulted).
     */
    Dataset dataset(Dataset vds, VirtualMapping m) throws UnsupportedVariableException {
        HdfFile file = vds.getHdfFile();
        if (!".".equals(m.sourceFile())) {
            Path path = Path.of(m.sourceFile());
            try {
                if (!path.isAbsolute()) {
                    path = file.getFileAsPath().toAbsolutePath().getParent().resolve(path);
                }
                if (!Files.isRegularFile(path)) {
                    throw new UnsupportedVariableException("source file '" + m.sourceFile() + "' of the virtual "
                            + "dataset is not found; libhdf5 would read fill values there");
                }
                HdfFile from = file;
                file = files.computeIfAbsent(path.normalize(), p -> {
                    HdfFile source = new HdfFile(p);
                    from.addExternalFile(source); // closed with it
                    return source;
                });
            } catch (RuntimeException e) {
                throw new UnsupportedVariableException("source file '" + m.sourceFile() + "' of the virtual dataset "
                        + "cannot be opened: " + e.getMessage());
            }
        }
        Node n = file;
        for (String part : m.sourceDataset().split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Node parent = n;
            n = n instanceof Group g ? links.of(g).stream().filter(c -> c.name().equals(part)).findFirst()
                    .map(GroupLinks.Child::get).orElse(null) : null;
            if (n == null) {
                throw new UnsupportedVariableException("source dataset '" + m.sourceDataset() + "' of the virtual "
                        + "dataset is not in '" + m.sourceFile() + "' (no '" + part + "' in " + parent.getPath() + ")");
            }
        }
        if (!(n instanceof Dataset ds)) {
            throw new UnsupportedVariableException("source '" + m.sourceDataset() + "' of the virtual dataset is not a "
                    + "dataset");
        }
        return ds;
    }
}
