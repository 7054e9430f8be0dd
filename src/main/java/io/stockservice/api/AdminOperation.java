package io.stockservice.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler that creates, changes or destroys stock outside a sale: when
 * {@code stock.admin.token} is set, it runs only for a caller presenting that token (see
 * {@link AdminTokenInterceptor}).
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface AdminOperation {

}
