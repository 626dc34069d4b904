package dev.switchboard.testing;

import java.util.List;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Every @QuarkusTest request made with RestAssured carries the operator's token (all scopes) unless it sets its own
 * Authorization header, so that tests about orders, streams and dead letters need not repeat it. The security
 * tests take the filter off in their @BeforeEach ({@code RestAssured.replaceFiltersWith(List.of())}).
 */
public class OperatorToken implements QuarkusTestBeforeEachCallback {

    private static final Filter BEARER = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + Tokens.operator());
        }
        return context.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.replaceFiltersWith(List.of(BEARER));
    }
}
