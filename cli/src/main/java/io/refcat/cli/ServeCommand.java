package io.refcat.cli;

import io.javalin.Javalin;
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

@Command(name = "serve", description = "Serve reference files as Zarr v2/v3 stores over HTTP.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--refs", required = true, paramLabel = "DIR", description = "directory of kerchunk JSON files")
    Path refs;

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
        if (!Files.isDirectory(refs)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--refs " + refs + " is not a directory");
        }
        DatasetCatalog catalog = DatasetCatalog.load(refs);
        catalog.problems().forEach(p -> spec.commandLine().getErr().println("refcat: " + p));
        SourceResolver resolver = new SourceResolver(roots == null ? List.of(Path.of("")) : roots);
        Javalin app = StoreServer.create(catalog, resolver);
        WebUi.register(app);
        app.start(host, port);
        spec.commandLine().getOut().println("refcat: serving " + catalog.datasets().size() + " datasets at http://"
                + host + ":" + app.port() + "/zarr");
        spec.commandLine().getOut().flush();
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop));
        app.jettyServer().server().join();
        return 0;
    }
}
