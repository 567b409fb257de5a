package io.refcat.cli;

import io.javalin.Javalin;
import io.refcat.search.Catalogue;
import io.refcat.search.StacApi;
import io.refcat.store.DatasetCatalog;
import io.refcat.store.StoreServer;
import io.refcat.store.source.SourceResolver;
import io.refcat.webui.WebUi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", description = "Serve reference files as Zarr v2/v3 stores over HTTP, and a catalogue as a STAC API.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--refs", paramLabel = "DIR", description = "directory of kerchunk references (JSON files, "
            + "Parquet directories)")
    Path refs;

    @Option(names = "--data", paramLabel = "DIR", description = "a data directory made by 'index --data': its "
            + "references (DIR/refs) and its catalogue, as a STAC API under /stac")
    Path data;

    @Option(names = "--port", defaultValue = "8080", description = "port to listen on (0 = any free port)")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default 127.0.0.1)")
    String host;

    @Option(names = "--root", paramLabel = "PATH", arity = "1..*",
            description = "directories whose files may be read; references elsewhere are refused (403). "
                    + "Default: the current directory")
    List<Path> roots;

    @Override
    public Integer call() throws Exception {
        if (refs == null && data == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --refs DIR or --data DIR (or both)");
        }
        if (refs != null && !Files.isDirectory(refs)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--refs " + refs + " is not a directory");
        }
        if (data != null && !Files.isDirectory(data)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data " + data + " is not a directory");
        }
        Path served = refs != null ? refs : data.resolve("refs");
        DatasetCatalog catalog = Files.isDirectory(served) ? DatasetCatalog.load(served) : DatasetCatalog.of(List.of());
        catalog.problems().forEach(p -> spec.commandLine().getErr().println("refcat: " + p));
        SourceResolver resolver = new SourceResolver(roots == null ? List.of(Path.of("")) : roots);
        Javalin app = StoreServer.create(catalog, resolver);
        Catalogue stac = data == null ? null : Catalogue.openReadOnly(data);
        if (stac != null) {
            StacApi.register(app, stac);
        }
        WebUi.register(app);
        app.start(host, port);
        spec.commandLine().getOut().println("refcat: serving " + catalog.datasets().size() + " datasets at http://"
                + host + ":" + app.port() + "/zarr" + (stac == null ? "" : ", the STAC API at http://" + host + ":"
                + app.port() + "/stac"));
        spec.commandLine().getOut().flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            if (stac != null) {
                try {
                    stac.close();
                } catch (java.io.IOException e) {
                    // the process is ending; the catalogue was only read
                }
            }
        }));
        app.jettyServer().server().join();
        return 0;
    }
}
