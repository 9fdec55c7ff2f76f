package io.sparsefit.web;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Ownership of stored resources by API key, in one place for every feature (datasets, fits, models, and
 * any later resource): each table has an {@code api_key_id} column; a new row records
 * {@link #keyIdForNew()}; every read, listing and delete adds {@link Scope#clause} to its SQL and
 * {@link Scope#bind}s it, so another key's rows are simply not found (404, listings filtered) and no
 * code path can forget a check that would happen after the read. An admin key, keys off, and work
 * outside a request (fit workers, retention) see every row.
 */
public final class Ownership {

    private static final String PARAM = "ownerKeyId";

    private Ownership() {
    }

    /** The caller of the current request, or {@link Caller#ANONYMOUS} with keys off or outside a request. */
    public static Caller current() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        Object caller = request == null ? null : request.getAttribute(Caller.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        return caller instanceof Caller c ? c : Caller.ANONYMOUS;
    }

    /** The key id to record on a resource created now ({@code ""} with keys off). */
    public static String keyIdForNew() {
        return current().keyId();
    }

    /** What the current caller may see. */
    public static Scope scope() {
        Caller caller = current();
        return caller.admin() ? Scope.ALL : new Scope(caller.keyId());
    }

    /**
     * What {@code find} reads of the resource {@code what} ("dataset", "model", ...) {@code id} within the caller's
     * {@link #scope()}: the lookup of an owned resource that answers 404 when there is none or it is another key's.
     */
    public static <T> T owned(String what, String id, BiFunction<String, Scope, Optional<T>> find) {
        return find.apply(id, scope()).orElseThrow(() -> ApiException.notFound(what, id));
    }

    /** Deletes the resource {@code what} {@code id} within the caller's {@link #scope()}; 404 when {@code delete} found none. */
    public static void deleteOwned(String what, String id, BiPredicate<String, Scope> delete) {
        if (!delete.test(id, scope())) {
            throw ApiException.notFound(what, id);
        }
    }

    /**
     * The rows a caller may see: all of them ({@code keyId == null}) or those of one key. The SQL clause
     * uses a named parameter, so a statement that uses it names its other parameters too.
     */
    public record Scope(String keyId) {

        public static final Scope ALL = new Scope(null);

        /** {@code ""} or {@code " and <column> = :ownerKeyId"}, to append to a where clause. */
        public String clause(String column) {
            return keyId == null ? "" : " and " + column + " = :" + PARAM;
        }

        /** {@link #clause} on the usual column name {@code api_key_id}. */
        public String clause() {
            return clause("api_key_id");
        }

        /** Binds the parameter of {@link #clause} when there is one. */
        public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
            return keyId == null ? statement : statement.param(PARAM, keyId);
        }
    }
}
