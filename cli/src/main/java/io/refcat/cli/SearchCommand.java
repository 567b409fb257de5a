package io.refcat.cli;

import io.refcat.search.BadParameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.lucene.ItemQuery;
import io.refcat.search.http.SearchParameters;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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
