package io.refcat.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.federation.FederatedSearch;
import io.refcat.federation.Peer;
import io.refcat.federation.PeerClient;
import io.refcat.federation.Peers;
import io.refcat.search.BadParameter;
import io.refcat.search.http.SearchParameters;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.lucene.ItemQuery;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "search", description = "Search a catalogue made by 'index --data': by place, time and text.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:searched (matches or not)", "2:usage error"})
final class SearchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the data directory")
    Path data;

    @Option(names = "--bbox", paramLabel = "W,S,E,N", description = "datasets overlapping this box (degrees)")
    String bbox;

    @Option(names = "--datetime", paramLabel = "TIME[/TIME]", description = "an RFC 3339 instant or interval "
            + "(open ends as ..)")
    String datetime;

    @Option(names = "--collections", paramLabel = "NAME[,NAME]", description = "only these collections")
    String collections;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "at most N matches (default 10)")
    String limit;

    @Option(names = "--json", description = "print each matching STAC item as one JSON line")
    boolean json;

    @Option(names = "--federated", description = "also search the peers of this data directory's node "
            + "(refcat peers add), merged in order, each match naming its site")
    boolean federated;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "2000",
            description = "with --federated: how long to wait for peers (default 2000)")
    long timeoutMs;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "words to find in titles, descriptions, keywords, "
            + "variable and standard names")
    List<String> text;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data.resolve("catalogue"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data " + data + " holds no catalogue");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        put(params, "bbox", bbox);
        put(params, "datetime", datetime);
        put(params, "collections", collections);
        put(params, "limit", limit);
        put(params, "q", text == null || text.isEmpty() ? null : String.join(" ", text));
        ItemQuery q;
        try {
            q = SearchParameters.fromQueryString(params, null);
        } catch (BadParameter e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--" + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (federated) {
            return federated(params, out);
        }
        try (Catalogue catalogue = Catalogue.openReadOnly(data)) {
            Catalogue.Page page = catalogue.search(q);
            for (Map<String, Object> item : page.items()) {
                out.println(json ? JSON.writeValueAsString(item) : line(item));
            }
            if (!json) {
                out.println(page.items().size() + " of " + page.numberMatched() + " matching datasets");
            }
        }
        out.flush();
        return 0;
    }

    /**
     * This catalogue and the peers in DATA/federation, searched as {@code /federation/search} does;
     * each line names the site, and the sites that did not answer are named at the end.
     */
    private int federated(Map<String, List<String>> params, PrintWriter out) throws Exception {
        int n = Integer.parseInt(params.remove("limit").get(0));
        FederatedSearch search = new FederatedSearch(new PeerClient(), Duration.ofMillis(timeoutMs), Duration.ofMillis(timeoutMs));
        List<FederatedSearch.Source> sources = new ArrayList<>();
        try (Catalogue catalogue = Catalogue.openReadOnly(data)) {
            sources.add(FederatedSearch.local("this node", data.toAbsolutePath().toUri().toString(), catalogue));
            for (Peer p : Peers.open(data).list()) {
                if (p.searchable()) {
                    sources.add(search.remote(p.searchUrl(), p.name() == null ? p.url() : p.name(), p.url()));
                }
            }
            Map<String, Object> page = search.search(sources, params, n, null, "refcat-search");
            @SuppressWarnings("unchecked")
            List<Object> features = (List<Object>) page.get("features");
            for (Object f : features) {
                @SuppressWarnings("unchecked")
                Map<String, Object> item = JSON.convertValue(f, Map.class);
                @SuppressWarnings("unchecked")
                Map<String, Object> props = (Map<String, Object>) item.get("properties");
                out.println(json ? JSON.writeValueAsString(item) : line(item) + "\t" + props.get("refcat:node"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fed = (Map<String, Object>) page.get("federation");
            if (!json) {
                out.println(features.size() + " datasets from " + ((List<?>) fed.get("answered")).size() + " sites");
            }
            for (Object f : (List<?>) fed.get("failed")) {
                spec.commandLine().getErr().println("refcat: no answer from " + ((Map<?, ?>) f).get("url") + ": "
                        + ((Map<?, ?>) f).get("reason"));
            }
            for (Object t : (List<?>) fed.get("timed_out")) {
                spec.commandLine().getErr().println("refcat: no answer from " + t + " within " + timeoutMs + " ms");
            }
        }
        out.flush();
        return 0;
    }

    private static void put(Map<String, List<String>> params, String name, String value) {
        if (value != null) {
            params.put(name, List.of(value));
        }
    }

    @SuppressWarnings("unchecked")
    private static String line(Map<String, Object> item) {
        Map<String, Object> p = (Map<String, Object>) item.get("properties");
        Object time = p.get("datetime") != null && !"catalogued".equals(p.get("refcat:time_from")) ? p.get("datetime")
                : p.get("start_datetime") == null ? "-" : p.get("start_datetime") + "/" + p.get("end_datetime");
        return item.get("collection") + "/" + item.get("id") + "\t" + p.get("title") + "\t" + time + "\t"
                + (item.get("bbox") == null ? "-" : item.get("bbox"));
    }
}
