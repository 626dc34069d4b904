package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vertx.pgclient.PgException;

/**
 * A database that is not there for now answers 503 with Retry-After, whatever error the client read it from; any
 * other database error stays a 500. (A PostgreSQL restart under load produced each of these; bench/chaos.sh.)
 */
class RequestErrorMappersTest {

    private final RequestErrorMappers mappers = new RequestErrorMappers();

    @ParameterizedTest
    @CsvSource({
            "57P01, terminating connection due to administrator command, 503",
            "57P03, the database system is shutting down, 503",
            "08006, connection failure, 503",
            "23505, duplicate key value violates unique constraint, 500",
            "42P01, relation does not exist, 500"})
    void aPostgresError_isUnavailableOnlyWhileTheServerIsAway(String sqlState, String message, int status) {
        var failure = new CompletionException(new PgException(message, "FATAL", sqlState, null));

        var response = mappers.unexpected(failure);

        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(((ApiError) response.getEntity()).code())
                .isEqualTo(status == 503 ? "database_unavailable" : "internal_error");
        assertThat(response.getHeaderString("Retry-After")).isEqualTo(status == 503 ? "5" : null);
    }
}
