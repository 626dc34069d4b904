package dev.switchboard.testing;

/**
 * Where the local servers are, read from the variables infra/lib/common.sh exports and with its defaults, for the
 * integration tests: they run outside Quarkus, where the %test configuration that names these addresses is not
 * loaded.
 */
public final class LocalServers {

    public static final String PG_HOST = env("SWITCHBOARD_PG_HOST", "127.0.0.1");
    public static final int PG_PORT = Integer.parseInt(env("SWITCHBOARD_PG_PORT", "5432"));
    public static final String DB_USER = env("SWITCHBOARD_DB_USER", "switchboard");
    public static final String DB_PASSWORD = env("SWITCHBOARD_DB_PASSWORD", "switchboard");
    /** infra/test recreates it empty before every run; the integration tests go on in it after the unit tests. */
    public static final String TEST_DATABASE = "switchboard_test";
    public static final String KAFKA = env("SWITCHBOARD_KAFKA_HOST", "127.0.0.1") + ":"
            + env("SWITCHBOARD_KAFKA_PORT", "9092");
    public static final String REGISTRY = "http://" + env("SWITCHBOARD_REGISTRY_HOST", "127.0.0.1") + ":"
            + env("SWITCHBOARD_REGISTRY_PORT", "8090") + "/apis/registry/v3";
    public static final String RABBITMQ_HOST = env("SWITCHBOARD_RABBITMQ_HOST", "127.0.0.1");
    public static final int RABBITMQ_PORT = Integer.parseInt(env("SWITCHBOARD_RABBITMQ_PORT", "5672"));
    /** The local issuer's name and audience (infra/token), as the dev and test profiles verify them. */
    public static final String TOKEN_ISSUER = env("SWITCHBOARD_JWT_ISSUER", "switchboard-dev");
    public static final String TOKEN_AUDIENCE = env("SWITCHBOARD_JWT_AUDIENCE", "switchboard");

    private LocalServers() {
    }

    public static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    /**
     * Gives the shared test clients (RawTopics, Tokens) the values they read from the configuration, as system
     * properties, which MicroProfile Config reads without Quarkus. Call before the first of them is used.
     */
    public static void configureTestClients() {
        System.setProperty("kafka.bootstrap.servers", KAFKA);
        System.setProperty("mp.jwt.verify.issuer", TOKEN_ISSUER);
        System.setProperty("mp.jwt.verify.audiences", TOKEN_AUDIENCE);
    }

    public static String jdbcUrl() {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + TEST_DATABASE;
    }
}
