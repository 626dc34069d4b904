package dev.switchboard.platform.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a caller's token must hold for this endpoint, e.g. {@code orders:write}. A path parameter in braces
 * is replaced by its value in the request: {@code streams:{topic}:read} on {@code /streams/shop.orders} needs
 * {@code streams:shop.orders:read}. Checked by {@link ScopeFilter}; every endpoint declares its scope, or
 * {@code @PermitAll} where none applies (ArchitectureTest).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresScope {

    String value();
}
