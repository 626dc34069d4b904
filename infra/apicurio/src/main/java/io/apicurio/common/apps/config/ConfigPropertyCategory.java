package io.apicurio.common.apps.config;

/**
 * The 3.0.9 shape of the registry's configuration categories, which the served 3.0.6
 * config-definitions jar lacks (without it: NoClassDefFoundError at start).
 */
public enum ConfigPropertyCategory {
    CATEGORY_API("api"),
    CATEGORY_AUTH("auth"),
    CATEGORY_CACHE("cache"),
    CATEGORY_CCOMPAT("ccompat"),
    CATEGORY_DOWNLOAD("download"),
    CATEGORY_GITOPS("gitops"),
    CATEGORY_HEALTH("health"),
    CATEGORY_HIDDEN("hidden"),
    CATEGORY_IMPORT("import"),
    CATEGORY_LIMITS("limits"),
    CATEGORY_REDIRECTS("redirects"),
    CATEGORY_REST("rest"),
    CATEGORY_SEMVER("semver"),
    CATEGORY_STORAGE("storage"),
    CATEGORY_SYSTEM("system"),
    CATEGORY_UI("ui");

    private final String rawValue;

    ConfigPropertyCategory(String rawValue) {
        this.rawValue = rawValue;
    }

    public String getRawValue() {
        return rawValue;
    }
}
