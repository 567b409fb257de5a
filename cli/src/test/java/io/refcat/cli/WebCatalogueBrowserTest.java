package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web catalogue in a real browser (Debian's chromium, headless, driven by Selenium) against a
 * real {@code refcat serve} of the sample data: search by text, box and date, facets that narrow
 * as {@code /stac/aggregate} counts, dataset pages whose quick-looks decode to the values the
 * reference libraries read, and a point series drawn on a click. No console errors anywhere.
 * Screenshots go to {@code target/screenshots}.
 */
class WebCatalogueBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Fixtures.repoRoot().resolve("cli/target/screenshots");

    @TempDir
    static Path tmp;
    static ServerProcess server;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "skipped: no chromium/chromedriver (Debian packages chromium and chromium-driver; .ci/run installs them)");
        Path data = tmp.resolve("data");
        Path f = Fixtures.dataDir();
        assertEquals(0, IndexCommandTest.refcat("index", f.resolve("netcdf3/classic_types.nc").toString(),
                f.resolve("grib/lambert.grib2").toString(), f.resolve("grib/ensemble.grib1").toString(),
                f.resolve("catalogue").toString(), "--data", data.toString(), "--collection", "samples").exit());
        server = ServerProcess.start(List.of("-Xmx256m"), tmp.resolve("server.log"), "--data", data.toString(),
                "--root", f.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // as root in a container, with the network closed: no sandbox, no background connections
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1000", "--user-data-dir=" + tmp.resolve("chrome"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build(), options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void noConsoleErrors() {
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    private static JsonNode api(String path) throws Exception {
        HttpResponse<byte[]> r = server.get(path);
        assertEquals(200, r.statusCode(), path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    /** Opens a search page URL and waits until its results and facets are shown; the count it shows. */
    private static int search(String query) {
        browser.get(server.base + "/" + query);
        return shownCount();
    }

    /** Forgets the last search's completion, so {@link #shownCount} waits for the next one. */
    private static void expectNewSearch() {
        browser.executeScript("delete document.body.dataset.searchMs");
    }

    private static int shownCount() {
        waiting().until(d -> !((String) ((ChromeDriver) d).executeScript("return document.body.dataset.searchMs || ''")).isEmpty());
        return Integer.parseInt(browser.findElement(By.tagName("body")).getAttribute("data-matched"));
    }

    private static void screenshot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void theSearchPageShowsWhatTheStacApiFinds() throws Exception {
        int all = search("");
        assertEquals(api("/stac/search").get("numberMatched").asInt(), all);
        assertTrue(all >= 8, "the sample catalogue holds the indexed files");
        assertEquals(Math.min(10, all), browser.findElements(By.cssSelector("#results li")).size());
        assertTrue(browser.findElements(By.cssSelector("#map path.leaflet-interactive")).size() >= 1,
                "footprints are drawn on the map");
        long ms = (Long) browser.executeScript("return Number(document.body.dataset.searchMs)");
        System.out.println("search page: results and facets shown " + ms + " ms after the query started");
        screenshot("search");

        // text, typed in the box and submitted: the URL holds the query
        WebElement text = browser.findElement(By.id("q"));
        text.sendKeys("precipitation");
        expectNewSearch();
        browser.findElement(By.cssSelector("#search button[type=submit]")).click();
        waiting().until(d -> d.getCurrentUrl().contains("q=precipitation"));
        assertEquals(api("/stac/search?q=precipitation").get("numberMatched").asInt(), shownCount());

        // a typed bounding box and a date range, from a shared URL
        String bbox = "-30,30,40,70";
        int boxed = search("?bbox=" + bbox + "&from=2010-01-01&to=2030-12-31");
        assertEquals(api("/stac/search?bbox=" + bbox + "&datetime=" + q("2010-01-01T00:00:00Z/2030-12-31T23:59:59Z"))
                .get("numberMatched").asInt(), boxed);
        assertTrue(boxed < all, "the box narrows the search");
        assertTrue(browser.findElement(By.id("code")).getText().contains("bbox=[" + bbox + "]"),
                "the code box repeats the query");

        // all sites: the same search through the federation (this node has no peers: itself alone)
        search("");
        expectNewSearch();
        browser.findElement(By.id("sites")).click();
        waiting().until(d -> d.getCurrentUrl().contains("sites=all"));
        shownCount();
        assertEquals("datasets from 1 site", browser.findElement(By.id("count")).getText().toLowerCase(java.util.Locale.ROOT));
        assertEquals(Math.min(10, all), browser.findElements(By.cssSelector("#results li")).size());
        assertTrue(browser.findElement(By.cssSelector("#results li .meta")).getText().contains("from "),
                "each result names its site");
    }

    @Test
    void aFacetClickNarrowsToTheCountTheAggregationGives() throws Exception {
        search("");
        WebElement grib = waiting().until(d -> d.findElement(By.cssSelector("button[data-facet='refcat:format'][data-key='GRIB']")));
        int frequency = Integer.parseInt(grib.findElements(By.tagName("span")).get(1).getText());
        JsonNode agg = api("/stac/aggregate?aggregations=format_frequency");
        int expected = 0;
        for (JsonNode b : agg.get("aggregations").get(0).get("buckets")) {
            if (b.get("key").asText().equals("GRIB")) {
                expected = b.get("frequency").asInt();
            }
        }
        assertEquals(expected, frequency);
        expectNewSearch();
        grib.click();
        waiting().until(d -> d.getCurrentUrl().contains("refcat%3Aformat=GRIB"));
        assertEquals(frequency, shownCount());
        assertEquals(frequency, api("/stac/search?filter-lang=cql2-text&filter=" + q("\"refcat:format\" = 'GRIB'"))
                .get("numberMatched").asInt());
    }

    @Test
    void datasetPagesShowQuickLooksThatDecodeToTheValues() throws Exception {
        // NetCDF3: values straddle zero, so the diverging map; sampled back through the colour bar
        BufferedImage v2 = openQuickLook("classic_types.nc", "v2_f8");
        JsonNode expected = JSON.readTree(Fixtures.expectedFor(Fixtures.dataDir().resolve("netcdf3/classic_types.nc")).toFile())
                .get("variables").get("v2_f8").get("values");
        HttpResponse<byte[]> png = server.get("/quicklook/samples/classic_types.nc/v2_f8.png");
        String[] range = png.headers().firstValue("X-Quicklook-Range").orElseThrow().split(" ");
        int scale = Integer.parseInt(png.headers().firstValue("X-Quicklook-Scale").orElseThrow());
        assertEquals("diverging", png.headers().firstValue("X-Quicklook-Colormap").orElseThrow());
        double min = Double.parseDouble(range[0]);
        double max = Double.parseDouble(range[1]);
        for (int i = 0; i < 15; i++) {
            int row = i / 5;
            int col = i % 5;
            int argb = v2.getRGB(col * scale + scale / 2, row * scale + scale / 2);
            JsonNode want = expected.get(i);
            if (!want.isNumber()) {
                assertEquals(0, argb >>> 24, "NaN and infinities are transparent at " + i);
                continue;
            }
            double got = valueOf(v2, argb, min, max);
            assertEquals(want.asDouble(), got, (max - min) / 100, "pixel of element " + i);
        }
        screenshot("quicklook-netcdf3");

        // HDF5 (NetCDF4): the image against netCDF4-python, pixel by pixel; the Zarr URL the page
        // hands out opens in xarray with the original's values; a click draws the point's series,
        // whose values are libnetcdf's exactly
        Python.requireModules("netCDF4", "xarray", "zarr", "cfgrib");
        Path original = Fixtures.dataDir().resolve("catalogue/global_0_360_hourly.nc");
        BufferedImage pr = openQuickLook("global_0_360_hourly.nc", "pr");
        String zarrUrl = browser.findElement(By.cssSelector("#links a")).getText();
        assertTrue(zarrUrl.endsWith("/zarr/samples/global_0_360_hourly.nc"), zarrUrl);
        JsonNode truth = truth(original, "netcdf4", "pr", Map.of("time", 0), Map.of("lat", 5, "lon", 7), zarrUrl);
        assertTrue(truth.get("zarr_matches").asBoolean(), "xarray on the page's Zarr URL reads the original's values");
        assertPixels(pr, quickLookHeaders("global_0_360_hourly.nc/pr"), truth.get("slice"));
        screenshot("dataset");
        clickCell(pr, quickLookHeaders("global_0_360_hourly.nc/pr"), 5, 7);
        waiting().until(d -> !d.findElement(By.id("series")).getText().contains("Loading")
                && !d.findElements(By.cssSelector("#series svg, #series .error")).isEmpty());
        WebElement chart = browser.findElements(By.id("series-chart")).stream().findFirst().orElseThrow(() ->
                new AssertionError("no series chart: " + browser.findElement(By.id("series")).getText()));
        assertEquals(24, chart.findElements(By.tagName("circle")).size(), "one point per hour of the day");
        JsonNode series = api(browser.findElement(By.id("series-json")).getAttribute("href").replace(server.base, ""));
        assertEquals(truth.get("series"), series.get("values"), "the series is what libnetcdf reads at that point");
        assertEquals("2010-07-01T03:00:00Z", series.get("coords").get("time").get(3).asText());
        // the keyboard's way: a typed point
        browser.findElement(By.id("point-lat")).sendKeys("30");
        browser.findElement(By.id("point-lon")).sendKeys("60");
        browser.findElement(By.id("point-lon")).sendKeys(org.openqa.selenium.Keys.ENTER);
        waiting().until(d -> d.findElements(By.id("series-json")).stream().anyMatch(a -> a.getAttribute("href").contains("lat=30")));
        assertEquals(api("/series/samples/global_0_360_hourly.nc/pr?lat=30&lon=60").get("values"),
                api(browser.findElement(By.id("series-json")).getAttribute("href").replace(server.base, "")).get("values"));

        // GRIB (a Lambert grid, 2-D coordinates): the image against cfgrib (ecCodes)
        BufferedImage t2m = openQuickLook("lambert.grib2", "t2m");
        JsonNode grib = truth(Fixtures.dataDir().resolve("grib/lambert.grib2"), "cfgrib", "t2m", Map.of(),
                Map.of("y", 3, "x", 4), null);
        assertPixels(t2m, quickLookHeaders("lambert.grib2/t2m"), grib.get("slice"));
        assertEquals(grib.get("series"), api("/series/samples/lambert.grib2/t2m?index.y=3&index.x=4").get("values"));
        screenshot("quicklook-grib");
    }

    private static Map<String, String> quickLookHeaders(String path) throws Exception {
        HttpResponse<byte[]> r = server.get("/quicklook/samples/" + path + ".png");
        Map<String, String> h = new java.util.HashMap<>();
        r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        return h;
    }

    /** Every cell of the image, sampled at its centre, maps back through the colour bar to the truth. */
    private static void assertPixels(BufferedImage image, Map<String, String> headers, JsonNode truth) {
        String[] range = headers.get("x-quicklook-range").split(" ");
        double min = Double.parseDouble(range[0]);
        double max = Double.parseDouble(range[1]);
        int scale = Integer.parseInt(headers.get("x-quicklook-scale"));
        boolean flipped = Boolean.parseBoolean(headers.get("x-quicklook-flipped"));
        int rows = truth.size();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < truth.get(r).size(); c++) {
                int shownRow = flipped ? rows - 1 - r : r;
                int argb = image.getRGB(c * scale + scale / 2, shownRow * scale + scale / 2);
                JsonNode want = truth.get(r).get(c);
                if (want.isNull()) {
                    assertEquals(0, argb >>> 24, "missing values are transparent at " + r + "," + c);
                } else {
                    assertEquals(want.asDouble(), valueOf(image, argb, min, max), (max - min) / 60, "cell " + r + "," + c);
                }
            }
        }
    }

    /** Clicks the centre of the cell holding element (row, col) of the slice. */
    private static void clickCell(BufferedImage image, Map<String, String> headers, int row, int col) {
        int scale = Integer.parseInt(headers.get("x-quicklook-scale"));
        int rows = (image.getHeight() - 46) / scale;
        int shownRow = Boolean.parseBoolean(headers.get("x-quicklook-flipped")) ? rows - 1 - row : row;
        WebElement img = browser.findElement(By.id("quicklook"));
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", img);
        // offsets are from the element's centre (Selenium 4); the image is shown at its natural size
        int dx = col * scale + scale / 2 - img.getSize().getWidth() / 2;
        int dy = shownRow * scale + scale / 2 - img.getSize().getHeight() / 2;
        new org.openqa.selenium.interactions.Actions(browser).moveToElement(img, dx, dy).click().perform();
    }

    /** What netCDF4-python or cfgrib reads: a slice, a series, and whether xarray on a Zarr URL agrees. */
    private static JsonNode truth(Path original, String engine, String variable, Map<String, Integer> fixed,
                                  Map<String, Integer> seriesAt, String zarr) throws Exception {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("original", original.toString());
        request.put("engine", engine);
        request.put("variable", variable);
        request.put("fixed", fixed);
        request.put("series_at", seriesAt);
        if (zarr != null) {
            request.put("zarr", zarr);
        }
        Path file = Files.writeString(tmp.resolve("truth-" + variable + ".json"), JSON.writeValueAsString(request));
        Process p = new ProcessBuilder(Python.executable(), Fixtures.repoRoot().resolve("cli/src/test/python/web_truth.py")
                .toString(), file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) && p.exitValue() == 0, "web_truth.py failed: " + out);
        return JSON.readTree(out);
    }

    /**
     * The search page over a catalogue of 10,000 items (synthetic: a box of up to 20° anywhere, a year
     * between 1950 and 2030, two variables): how long after navigation the first results and facets
     * are shown, and how long a text search takes. Reported, not asserted (bench/RESULTS.md).
     */
    @Test
    void theSearchPageOverTenThousandItems() throws Exception {
        Path data = tmp.resolve("ten-thousand");
        java.util.Random r = new java.util.Random(7);
        String[] kinds = {"air_temperature", "precipitation_flux", "sea_surface_temperature", "wind_speed"};
        try (io.refcat.search.lucene.Catalogue c = io.refcat.search.lucene.Catalogue.open(data)) {
            byte[] refs = "{\"version\":1,\"refs\":{\".zgroup\":\"{\\\"zarr_format\\\":2}\"}}".getBytes(StandardCharsets.UTF_8);
            for (int batch = 0; batch < 10; batch++) {
                List<io.refcat.search.lucene.Catalogue.Entry> entries = new java.util.ArrayList<>();
                for (int i = batch * 1000; i < (batch + 1) * 1000; i++) {
                    double w = -180 + r.nextDouble() * 340;
                    double south = -90 + r.nextDouble() * 160;
                    String year = Integer.toString(1950 + r.nextInt(80));
                    String kind = kinds[r.nextInt(kinds.length)];
                    var vars = List.of(new io.refcat.indexer.cf.DatasetMetadata.Variable(kind, List.of("time", "lat", "lon"),
                            "<f4", List.of(12L, 40L, 40L), kind, kind.replace('_', ' '), "1", false));
                    var m = new io.refcat.indexer.cf.DatasetMetadata(Map.of("title", kind.replace('_', ' ') + " " + i,
                            "institution", "site " + (i % 7)), new io.refcat.indexer.cf.DatasetMetadata.TimeCoverage(
                            year + "-01-01T00:00:00Z", year + "-12-31T00:00:00Z", "standard", "time"),
                            new double[] {w, south, w + r.nextDouble() * 20, south + r.nextDouble() * 20}, vars, List.of(), 1000, 12);
                    entries.add(new io.refcat.search.lucene.Catalogue.Entry(io.refcat.search.StacItems.item(
                            new io.refcat.search.StacItems.Source("c" + (i % 5), "c/d" + i + ".nc", "HDF5",
                                    "file:///archive/d" + i + ".nc", java.time.Instant.EPOCH), m), refs));
                }
                c.put(entries);
            }
        }
        try (ServerProcess big = ServerProcess.start(List.of("-Xmx256m"), tmp.resolve("big.log"), "--data", data.toString(),
                "--root", tmp.toString())) {
            long cold = readyMs(big.base + "/");
            assertEquals("10000", browser.findElement(By.tagName("body")).getAttribute("data-matched"));
            long[] warm = new long[5];
            long[] search = new long[5];
            for (int i = 0; i < warm.length; i++) { // the median of five, after the server's first requests
                warm[i] = readyMs(big.base + "/");
                readyMs(big.base + "/?q=temperature&bbox=-30,20,60,70&from=1990-01-01&to=2020-12-31");
                search[i] = Long.parseLong(browser.findElement(By.tagName("body")).getAttribute("data-search-ms"));
            }
            java.util.Arrays.sort(warm);
            java.util.Arrays.sort(search);
            String report = "search page over 10,000 items: results and facets shown " + warm[2] + " ms after navigation ("
                    + cold + " ms for the server's first page); a text + box + date search answered and drawn in "
                    + search[2] + " ms";
            System.out.println(report);
            Files.writeString(SHOTS.resolve("timing.txt"), report + "\n");
            screenshot("search-10000");
        }
    }

    /** Navigates to a search page URL: milliseconds from navigation until its results and facets are shown. */
    private static long readyMs(String url) {
        browser.get(url);
        waiting().until(d -> !((String) ((ChromeDriver) d).executeScript("return document.body.dataset.readyMs || ''")).isEmpty());
        return Long.parseLong(browser.findElement(By.tagName("body")).getAttribute("data-ready-ms"));
    }

    /** Opens a dataset page, shows a variable's quick-look, and returns the image the browser loaded. */
    private static BufferedImage openQuickLook(String item, String variable) throws Exception {
        browser.get(server.base + "/datasets/samples/" + item);
        WebElement button = waiting().until(d -> d.findElement(By.cssSelector("button[data-variable='" + variable + "']")));
        button.click();
        waiting().until(d -> "true".equals(d.findElement(By.id("quicklook")).getAttribute("data-loaded")));
        assertTrue(((Long) browser.executeScript("return document.getElementById('quicklook').naturalWidth")) > 0);
        String src = browser.findElement(By.id("quicklook")).getAttribute("src");
        return ImageIO.read(new ByteArrayInputStream(server.get(src).body()));
    }

    private static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight() - 50; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) >>> 24 != 0) {
                    seen.add(image.getRGB(x, y));
                }
            }
        }
        return seen.size();
    }

    /** A pixel's value: the nearest colour of the image's own colour bar, along [min, max]. */
    private static double valueOf(BufferedImage image, int argb, double min, double max) {
        int barY = image.getHeight() - 46 + 12;
        int left = 8;
        int width = image.getWidth() - 16;
        int best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int x = 0; x < width; x++) {
            int c = image.getRGB(left + x, barY);
            long d = 0;
            for (int shift = 0; shift < 24; shift += 8) {
                long diff = (c >> shift & 0xff) - (argb >> shift & 0xff);
                d += diff * diff;
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = x;
            }
        }
        return min + (max - min) * best / (width - 1);
    }
}
