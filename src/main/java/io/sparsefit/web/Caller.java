package io.sparsefit.web;

/**
 * Who makes the current request: the id of the API key it presented (recorded on what it creates) and
 * whether that key is an admin key. Set as a request attribute by the API key filter; absent when keys
 * are off, which {@link Ownership} reads as {@link #ANONYMOUS}.
 *
 * @param keyId the key's configured id; {@code ""} for no key
 * @param admin sees every key's resources
 */
public record Caller(String keyId, boolean admin) {

    /** The request attribute that carries the caller. */
    public static final String ATTRIBUTE = Caller.class.getName();

    /** Keys off (the embedded single-user default), or outside a request (fit workers, cleanup): one owner who sees all. */
    public static final Caller ANONYMOUS = new Caller("", true);
}
