package dev.switchboard.testing;

import static io.restassured.RestAssured.given;

import java.util.OptionalDouble;

/** Samples of the service's Prometheus endpoint, as a scraper reads them. */
public final class Metrics {

    private Metrics() {
    }

    /** The value of one sample, written as Prometheus does ({@code name{tag="v",...}}); empty when absent. */
    public static OptionalDouble sample(String sample) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim()))
                .findFirst();
    }
}
