package dev.switchboard.testing;

import static io.restassured.RestAssured.given;

import java.util.OptionalDouble;

/** Samples of the service's Prometheus endpoint, as a scraper reads them. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The value of one sample, written as Prometheus does ({@code name{tag="v",...}}); empty when absent. A sample
     * counted inside a trace may carry an exemplar after its value ({@code 1.0 # {trace_id="..."} 1.0}).
     */
    public static OptionalDouble sample(String sample) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(sample + " "))
                .map(line -> line.substring(sample.length() + 1))
                .mapToDouble(value -> Double.parseDouble(value.split(" # ", 2)[0].trim()))
                .findFirst();
    }
}
