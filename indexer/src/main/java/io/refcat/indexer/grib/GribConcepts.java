package io.refcat.indexer.grib;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * ecCodes' concepts (paramId, shortName, cfVarName, name, units, cfName, typeOfLevel), so refcat
 * names GRIB parameters and levels as ecCodes and cfgrib do. The table is generated from ecCodes'
 * definitions by {@code indexer/tables/generate_grib_concepts.py}.
 *
 * <p>Evaluation follows ecCodes: a concept is first looked up among the message centre's local
 * definitions together with the WMO master ones, then among ECMWF's local ones with the master
 * ones (ecCodes' fallback chain); within one lookup, the entry whose conditions all hold and which
 * has the most conditions wins, the first such in file order on ties.
 */
final class GribConcepts {
    private static final String RESOURCE = "concepts.tsv.gz";
    private static final GribConcepts INSTANCE = load();

    /** One entry: its value, and its conditions as key → Long or String. */
    private record Entry(String dir, String value, Map<String, Object> conditions) {
    }

    private static final int MEMO_LIMIT = 100_000;
    private final Map<String, List<Entry>> byConcept;
    private final Map<List<Object>, java.util.Optional<String>> memo = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, String> centres;

    private GribConcepts(Map<String, List<Entry>> byConcept, Map<Integer, String> centres) {
        this.byConcept = byConcept;
        this.centres = centres;
    }

    static GribConcepts get() {
        return INSTANCE;
    }

    /** A WMO centre's abbreviation (ecCodes' {@code centre} key as a string), or its number. */
    String centre(int code) {
        return centres.getOrDefault(code, Integer.toString(code));
    }

    /** @return the concept's value, or null where no entry matches (ecCodes' "unknown") */
    String evaluate(int edition, String concept, int centre, Map<String, Object> keys) {
        // an archive's fields share a few key sets: each is evaluated once (a miss scans thousands of entries)
        List<Object> id = List.of(edition, concept, centre, keys);
        java.util.Optional<String> cached = memo.get(id);
        if (cached != null) {
            return cached.orElse(null);
        }
        String v = lookUp(edition, concept, centre, Map.copyOf(keys));
        if (memo.size() < MEMO_LIMIT) {
            memo.put(List.of(edition, concept, centre, Map.copyOf(keys)), java.util.Optional.ofNullable(v));
        }
        return v;
    }

    private String lookUp(int edition, String concept, int centre, Map<String, Object> keys) {
        List<Entry> entries = byConcept.getOrDefault(edition + "/" + concept, List.of());
        String local = centres.getOrDefault(centre, "");
        String v = best(entries, local, keys);
        return v != null || local.equals("ecmf") ? v : best(entries, "ecmf", keys);
    }

    private static String best(List<Entry> entries, String local, Map<String, Object> keys) {
        Entry best = null;
        for (Entry e : entries) {
            if (!e.dir().equals("master") && !e.dir().equals(local)) {
                continue;
            }
            if ((best == null || e.conditions().size() > best.conditions().size()) && matches(e, keys)) {
                best = e;
            }
        }
        return best == null ? null : best.value();
    }

    private static boolean matches(Entry e, Map<String, Object> keys) {
        for (Map.Entry<String, Object> c : e.conditions().entrySet()) {
            if (!c.getValue().equals(keys.get(c.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static GribConcepts load() {
        Map<String, List<Entry>> byConcept = new HashMap<>();
        Map<Integer, String> centres = new HashMap<>();
        try (InputStream in = GribConcepts.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("GRIB concept table " + RESOURCE + " is missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\t", -1);
                if (f[1].equals("centre")) {
                    centres.put(Integer.parseInt(f[2]), f[3]);
                    continue;
                }
                Map<String, Object> conditions = new HashMap<>();
                for (String c : f[4].split(";")) {
                    int eq = c.indexOf('=');
                    if (eq > 0) {
                        String v = c.substring(eq + 1);
                        conditions.put(c.substring(0, eq), v.startsWith("'") ? v.substring(1, v.length() - 1) : number(v));
                    }
                }
                byConcept.computeIfAbsent(f[0] + "/" + f[1], k -> new ArrayList<>()).add(new Entry(f[2], f[3], conditions));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GribConcepts(byConcept, centres);
    }

    private static Object number(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return v; // a key compared with another key, e.g. "centre=ecmf": never matches a number
        }
    }
}
