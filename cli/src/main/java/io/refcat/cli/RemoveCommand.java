package io.refcat.cli;

import io.refcat.indexer.AtomicFiles;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.StacItems;
import io.refcat.store.ReferenceDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Removes datasets from a data directory: the catalogue item first (one commit), then the
 * references, so a running server stops listing and serving a dataset at the same moment, and a
 * run cut short leaves at worst an unlisted reference file, never an item without references.
 */
@Command(name = "remove",
        description = "Remove datasets (by id, COLLECTION/PATH as 'index --data' names them) from the catalogue "
                + "and their references from the data directory.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every dataset was removed", "1:some dataset was not there", "2:usage error"})
final class RemoveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the data directory")
    Path data;

    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "dataset ids, e.g. fixtures/classic_types.nc")
    List<String> datasets;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data.resolve("catalogue"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data " + data + " holds no catalogue");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int missing = 0;
        try (Catalogue catalogue = Catalogue.open(data)) {
            for (String id : datasets) {
                int slash = id.indexOf('/');
                Path refs = data.resolve("refs").resolve(id + ".json");
                Path parquet = data.resolve("refs").resolve(id);
                if (slash <= 0 || !ReferenceDirectory.isDatasetId(id)) {
                    err.println("refcat: '" + id + "' is not a dataset id (COLLECTION/PATH)");
                    missing++;
                    continue;
                }
                boolean item = catalogue.delete(id.substring(0, slash), StacItems.itemId(id.substring(slash + 1)));
                boolean file = Files.deleteIfExists(refs);
                if (!file && Files.isDirectory(parquet) && io.refcat.reference.parquet.ParquetReferences
                        .isReferenceDirectory(parquet)) {
                    AtomicFiles.deleteTree(parquet);
                    file = true;
                }
                if (item || file) {
                    out.println("removed " + id);
                } else {
                    err.println("refcat: no dataset '" + id + "' in " + data);
                    missing++;
                }
            }
        }
        out.flush();
        return missing == 0 ? 0 : 1;
    }
}
