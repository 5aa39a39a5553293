package org.mailsift.agent.webui;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.agent.daemon.ConfigReload;
import org.mailsift.agent.daemon.ControllerService;
import org.mailsift.agent.daemon.ServiceGroup;
import org.mailsift.core.config.ConfigDirectory;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An admin in a real browser (Debian's chromium through chromium-driver) against a running daemon with real corpus
 * messages: logs in, sees the status numbers match /stat, changes a threshold and sees the next scan of an uploaded
 * message use it, filters history, logs out. Each page is saved as a screenshot under target/webui-screenshots and
 * checked to show something. Skipped where chromium, chromedriver or the corpus is missing.
 */
class WebUiBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "webui-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READ = "read-secret";
    private static final String ENABLE = "enable-secret";

    @TempDir
    Path dir;

    private AgentContext context;
    private ServiceGroup services;
    private WebDriver browser;
    private WebDriverWait wait;
    private String base;
    private Path etc;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startDaemonAndBrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium / chromium-driver not installed (scripts/install-test-deps.sh installs them)");
        etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        writeControllerConfig(0, READ, ENABLE);
        context = new AgentContext(config(), dir.resolve("data"));
        // as RunCommand reloads (ContextLoader): the data directory's dynamic/ (what the page saves) over etc/
        context.configApplier(new ConfigReload(context, () -> services.running(), this::config)::apply);
        startServices();

        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--user-data-dir=" + dir.resolve("chromium-profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(driverService, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        Files.createDirectories(SHOTS);
    }

    /** Loopback is trusted by default: trust another address so the browser must log in. */
    private void writeControllerConfig(int controllerPort, String read, String enable) throws IOException {
        Files.writeString(etc.resolve("override.d/worker-controller.inc"), "bind_socket = \"127.0.0.1:" + controllerPort + "\";\n"
                + "password = \"" + read + "\";\nenable_password = \"" + enable + "\";\nsecure_ip = \"192.0.2.1\";\n"
                + "max_message = 200000;\n");
    }

    private void startServices() throws Exception {
        services = new ServiceGroup(context, List.of(new ControllerService()));
        services.start(Duration.ofSeconds(10));
        ControllerService controller = (ControllerService) services.running().get(0);
        port = ((InetSocketAddress) controller.server().controllerAddresses().get(0)).getPort();
        base = "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (services != null) {
            services.stop(Duration.ofSeconds(10));
        }
        if (context != null) {
            try {
                context.close();
            } catch (Exception e) {
                // the temp directory goes anyway
            }
        }
    }

    private ConfigDirectory config() {
        return ConfigDirectory.open(etc).withDynamicDirectory(dir.resolve("data/dynamic"));
    }

    @Test
    void anAdminLogsInWatchesTunesScansFiltersAndLogsOut() throws Exception {
        List<Path> spam = corpus("spam", 4);
        List<Path> ham = corpus("ham", 4);
        // the daemon's traffic: real corpus messages scanned and learned through the controller API
        for (Path p : spam.subList(0, 3)) {
            assertThat(post("/learnspam", p).statusCode()).isEqualTo(200);
        }
        for (Path p : ham.subList(0, 3)) {
            assertThat(post("/learnham", p).statusCode()).isEqualTo(200);
        }
        double topScore = Double.NEGATIVE_INFINITY;
        Path topMessage = null;
        for (Path p : Stream.concat(spam.stream(), ham.stream()).toList()) {
            JsonNode r = JSON.readTree(post("/checkv2", p).body());
            if (r.path("score").asDouble() > topScore) {
                topScore = r.path("score").asDouble();
                topMessage = p;
            }
        }

        // login: a wrong password is refused on the page, the enable password opens it
        browser.get(base + "/");
        WebElement password = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password")));
        shot("login");
        password.sendKeys("not-the-password");
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("login-error"), "Wrong password."));
        password.clear();
        password.sendKeys(ENABLE);
        browser.findElement(By.id("login-submit")).click();

        // status: the numbers on the page are those of /stat
        JsonNode stat = JSON.readTree(get("/stat").body());
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-stat=scanned]"), stat.path("scanned").asText()));
        assertThat(stat.path("scanned").asLong()).isEqualTo(8);
        assertThat(text("[data-stat=learned_spam]")).isEqualTo(statfile(stat, "BAYES_SPAM").path("revision").asText()).isEqualTo("3");
        assertThat(text("[data-stat=learned_ham]")).isEqualTo(statfile(stat, "BAYES_HAM").path("revision").asText()).isEqualTo("3");
        assertThat(text("[data-stat=version]")).isEqualTo(stat.path("version").asText());
        assertThat(text("#who")).isEqualTo("administrator");
        long noAction = stat.path("actions").path("no action").asLong();
        assertThat(browser.findElement(By.cssSelector("#actions-table tbody tr:last-child")).getText()).endsWith(" " + noAction);
        shot("status");

        // a reload keeps the session
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-stat=scanned]"), "8"));
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();

        // throughput: the chart draws the scans just made
        browser.get(base + "/#throughput");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#graph canvas")));
        wait.until(ExpectedConditions.textMatches(By.id("graph-summary"), java.util.regex.Pattern.compile("Clean \\d+")));
        shot("throughput");

        // configuration: bad thresholds are refused on the page, a good one is saved to local.d and applied
        browser.get(base + "/#configuration");
        WebElement reject = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("t-reject")));
        wait.until(d -> !reject.getDomProperty("value").isEmpty());
        WebElement greylist = browser.findElement(By.id("t-greylist"));
        WebElement addHeader = browser.findElement(By.id("t-add_header"));
        replace(reject, "fifteen");
        browser.findElement(By.id("actions-save")).click();
        wait.until(ExpectedConditions.textMatches(By.id("actions-message"), java.util.regex.Pattern.compile("not a number")));
        double newReject = Math.floor((topScore - 0.5) * 100) / 100;
        replace(greylist, "");
        replace(addHeader, Double.toString(newReject + 1));
        replace(reject, Double.toString(newReject));
        browser.findElement(By.id("actions-save")).click();
        wait.until(ExpectedConditions.textMatches(By.id("actions-message"), java.util.regex.Pattern.compile("out of order")));
        assertThat(Files.exists(dir.resolve("data/dynamic/actions.conf"))).as("nothing saved half-way").isFalse();
        replace(addHeader, "");
        browser.findElement(By.id("actions-save")).click();
        wait.until(ExpectedConditions.textMatches(By.id("actions-message"), java.util.regex.Pattern.compile("applied")));
        assertThat(Files.readString(dir.resolve("data/dynamic/actions.conf"))).contains("reject = " + newReject + ";");
        assertThat(JSON.readTree(get("/actions").body()).toString()).contains("{\"action\":\"reject\",\"value\":" + newReject + "}");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dump-table tbody tr td")));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('dump-filter').value='actions.reject';"
                + "document.getElementById('dump-filter').dispatchEvent(new Event('input'));");
        wait.until(ExpectedConditions.textMatches(By.cssSelector("#dump-table tbody"),
                java.util.regex.Pattern.compile("dynamic/actions\\.conf:\\d+")));
        shot("configuration");

        // scan / learn: an uploaded message is scanned with the new threshold; a file that is no mail is refused
        browser.get(base + "/#scan");
        WebElement file = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("scan-file")));
        file.sendKeys(withoutMboxLine(topMessage).toAbsolutePath().toString());
        browser.findElement(By.id("scan-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("r-action"), "reject"));
        assertThat(text("#r-score")).endsWith("/ " + String.format(java.util.Locale.ROOT, "%.2f", newReject));
        assertThat(browser.findElements(By.cssSelector("#r-symbols tbody tr"))).isNotEmpty();
        shot("scan");
        Path big = dir.resolve("big.eml");
        Files.writeString(big, "From: a@example.org\r\nSubject: big\r\n\r\n" + "x".repeat(250_000));
        file.clear();
        file.sendKeys(big.toAbsolutePath().toString());
        browser.findElement(By.id("scan-submit")).click();
        wait.until(ExpectedConditions.textMatches(By.id("scan-message"), java.util.regex.Pattern.compile("accepts at most 200,000 bytes")));
        Object unlabelled = ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll("
                + "'input, select, textarea')).filter(e => !e.labels.length && !e.getAttribute('aria-label')).map(e => e.id);");
        assertThat((List<?>) unlabelled).as("every field has a label").isEmpty();
        file.clear();
        file.sendKeys(SHOTS.resolve("status.png").toAbsolutePath().toString());
        browser.findElement(By.id("scan-submit")).click();
        wait.until(ExpectedConditions.textMatches(By.id("scan-message"), java.util.regex.Pattern.compile("does not look like an email")));

        // history: the filter narrows the rows, a row opens its symbols
        browser.get(base + "/#history");
        wait.until(d -> d.findElements(By.cssSelector("#history-table tbody tr.clickable")).size() == 9);
        browser.findElement(By.id("history-filter")).sendKeys("reject");
        wait.until(d -> d.findElements(By.cssSelector("#history-table tbody tr.clickable")).size() == 1);
        WebElement row = browser.findElement(By.cssSelector("#history-table tbody tr.clickable"));
        assertThat(row.getText()).contains("reject");
        shot("history");
        row.sendKeys(Keys.ENTER); // rows open from the keyboard too
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("history-details")));
        assertThat(browser.findElements(By.cssSelector("#details-symbols tbody tr"))).isNotEmpty();
        shot("history-details");
        browser.findElement(By.id("history-reset")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textMatches(By.id("history-count"), java.util.regex.Pattern.compile("History reset\\. 0 of 0")));
        assertThat(JSON.readTree(get("/history").body()).size()).isZero();

        // phone width: the status page still fits without sideways scrolling
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(base + "/#status");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-stat=scanned]"), "9"));
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
        shot("status-phone");
        browser.manage().window().setSize(new Dimension(1280, 800));

        // logout: back at the login page, and a reload does not log in again
        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password")));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password")));
        assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();

        List<LogEntry> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getMessage().contains("Content Security Policy") || e.getMessage().contains("Uncaught"))
                .toList();
        assertThat(problems).as("no CSP violation or script error in the console").isEmpty();
    }

    @Test
    void anOpenPageRidesOutARestartAndAChangedPasswordEndsTheSession() throws Exception {
        browser.get(base + "/");
        WebElement password = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password")));
        password.sendKeys(READ, Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.id("who"), "read-only"));
        // keyboard only: Tab from the skip link reaches the navigation, Enter follows a link
        WebElement skip = browser.findElement(By.cssSelector("a.skip"));
        skip.sendKeys(Keys.TAB);
        WebElement focused = browser.switchTo().activeElement();
        assertThat(focused.getText()).isEqualTo("Status");
        focused.sendKeys(Keys.TAB);
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-nav=throughput]"), "aria-current", "page"));
        assertThat(browser.findElement(By.id("history-reset")).isDisplayed()).as("no write buttons when read-only").isFalse();

        // the controller stops: the page says so and keeps trying; it comes back on the same port
        services.stop(Duration.ofSeconds(10));
        browser.findElement(By.cssSelector("[data-nav=history]")).click();
        wait.until(ExpectedConditions.textMatches(By.id("banner"), java.util.regex.Pattern.compile("Cannot reach")));
        shot("restart-banner");
        writeControllerConfig(port, READ, ENABLE);
        context.replaceConfig(config());
        startServices();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("banner")));
        wait.until(ExpectedConditions.textMatches(By.id("history-count"), java.util.regex.Pattern.compile("0 of 0")));

        // the admin changes the passwords (applied as SIGHUP does): the open page goes back to the login
        writeControllerConfig(port, "new-read", "new-enable");
        context.applyConfiguration();
        browser.findElement(By.id("history-refresh")).click();
        wait.until(ExpectedConditions.textMatches(By.id("login-error"), java.util.regex.Pattern.compile("no longer valid")));

        // guessing is throttled, and the page says how long to wait
        WebElement again = browser.findElement(By.id("login-password"));
        for (int i = 0; i < 40 && !browser.findElement(By.id("login-error")).getText().contains("Wait"); i++) {
            again.clear();
            again.sendKeys("guess-" + i);
            browser.findElement(By.id("login-submit")).click();
            final int attempt = i;
            wait.until(d -> !d.findElement(By.id("login-submit")).getDomProperty("disabled").equals("true")
                    && attempt >= 0);
        }
        assertThat(browser.findElement(By.id("login-error")).getText()).matches("Too many failed password attempts.*Wait \\d+ seconds.*");
        shot("login-throttled");
    }

    private static List<Path> corpus(String cls, int n) throws IOException {
        Path d = Path.of(System.getProperty("mailsift.corpus", "/nonexistent")).resolve(cls);
        Assumptions.assumeTrue(Files.isDirectory(d), "corpus not available");
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().limit(n).toList();
        }
    }

    private Path withoutMboxLine(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        if (s.startsWith("From ")) {
            b = s.substring(s.indexOf('\n') + 1).getBytes(StandardCharsets.ISO_8859_1);
        }
        Path out = dir.resolve(p.getFileName() + ".eml");
        Files.write(out, b);
        return out;
    }

    private HttpResponse<String> post(String path, Path message) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Password", ENABLE)
                .POST(HttpRequest.BodyPublishers.ofFile(withoutMboxLine(message))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Password", READ).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode statfile(JsonNode stat, String symbol) {
        for (JsonNode f : stat.path("statfiles")) {
            if (symbol.equals(f.path("symbol").asText()) && !f.has("label")) {
                return f;
            }
        }
        return JSON.createObjectNode();
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static void replace(WebElement input, String value) {
        input.clear();
        if (!value.isEmpty()) {
            input.sendKeys(value);
        }
    }

    /** Saves target/webui-screenshots/NAME.png and checks it shows more than a blank page. */
    private void shot(String name) throws IOException {
        if (!name.startsWith("history-details")) {
            ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0);");
        }
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Path file = SHOTS.resolve(name + ".png");
        Files.write(file, png);
        BufferedImage image = ImageIO.read(file.toFile());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as(file + " is blank").isGreaterThan(20);
        assertThat(new File(file.toString()).length()).isGreaterThan(5_000);
    }
}
