package dev.switchboard.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;

import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.Tokens;

/**
 * The page at {@code /} in a real browser: Debian's headless chromium, driven through its chromedriver (installed by
 * {@code infra/test}). An order placed through the page's form shows up, and moves to confirmed without a reload
 * when it is confirmed; when the server drops the socket, the page reconnects by itself and shows
 * what happened
 * meanwhile.
 */
@QuarkusTest
class PageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static WebDriver browser;
    private static Path profile;

    @Inject
    OpenConnections sockets;

    @BeforeAll
    static void openBrowser() throws Exception {
        // Selenium's own OpenTelemetry tracing is of no use here: off, so it touches no global OpenTelemetry state.
        System.setProperty("webdriver.remote.enableTracing", "false");
        File driver = new File("/usr/bin/chromedriver");
        assertThat(driver).as("chromedriver (infra/test installs Debian's chromium-driver)").isFile();
        assertThat(driver.canExecute()).isTrue();
        profile = Files.createTempDirectory("switchboard-chromium");
        var options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void orderPlacedInThePage_changesStatusLive_andThePageResumesAfterItsSocketDrops() {
        String sku = "sku-page-" + UUID.randomUUID();
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        browser.get("http://127.0.0.1:" + port + "/");
        // Signed in as an operator would: a token in the tab's session storage (dev mode mints one itself).
        ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('switchboard.token', arguments[0]);",
                Tokens.mint("page-test", java.time.Duration.ofHours(1), "orders:read", "orders:write",
                        "analytics:read", "dead-letters:read", "streams:shop.orders:read",
                        "streams:shop.payments:read", "streams:shop.inventory:read", "streams:carrier.updates:read"));
        browser.navigate().refresh();
        // A row is drawn again on each of its order's events: one read while it is replaced is read again.
        var wait = new WebDriverWait(browser, PATIENCE)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "live"));
        assertThat(browser.findElement(By.id("connection")).getAttribute("data-connects")).isEqualTo("1");
        // Set in the page; a reload would clear it, so finding it later proves the updates came live.
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");

        WebElement form = browser.findElement(By.id("place-form"));
        type(form, "customerId", "c-page");
        type(form, "sku", sku);
        type(form, "quantity", "2");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.attributeToBeNotEmpty(browser.findElement(By.id("place-result")),
                "data-order-id"));
        String orderId = browser.findElement(By.id("place-result")).getAttribute("data-order-id");

        By row = By.cssSelector("tr[data-order-id='" + orderId + "']");
        wait.until(ExpectedConditions.attributeToBe(row, "data-status", "placed"));
        // Confirmed through the API (the default test profile runs no saga: a second profile would restart the
        // service within the suite's JVM, and spans do not survive that restart for the tests after it).
        OrderClient.command(orderId, "confirm", 1);
        wait.until(ExpectedConditions.attributeToBe(row, "data-status", "confirmed"));
        assertThat(browser.findElement(row).findElement(By.cssSelector("td.status")).getText()).isEqualTo("confirmed");
        wait.until(ExpectedConditions
                .presenceOfElementLocated(By.cssSelector("#feed-items li[data-type='order.confirmed.v1']")));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;"))
                .isEqualTo(true);

        // The server drops every stream socket (as a restart does); an order ships while the page is away.
        sockets.stream().filter(c -> c.handshakeRequest().path().startsWith("/ws/streams"))
                .forEach(c -> c.closeAndAwait());
        OrderClient.command(orderId, "ship", 2);
        wait.until(ExpectedConditions.attributeToBe(row, "data-status", "shipped"));
        wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "live"));
        assertThat(browser.findElement(By.id("connection")).getAttribute("data-connects")).isEqualTo("2");
        wait.until(ExpectedConditions
                .presenceOfElementLocated(By.cssSelector("#feed-items li[data-type='order.shipped.v1']")));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;"))
                .isEqualTo(true);
    }

    private static void type(WebElement form, String field, String value) {
        WebElement input = form.findElement(By.name(field));
        input.clear();
        input.sendKeys(value);
    }
}
