package io.stockservice.api;

/**
 * One reason a request was refused, as listed in a problem's {@code errors}.
 *
 * @param field the JSON field or path variable at fault ({@code body} for the body as a
 * whole)
 * @param reason what is wrong with it
 */
record FieldError(String field, String reason) {

}
