package io.sparsefit.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Opaque page cursors: the creation sequence number of the last item seen, base64url-encoded. */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(long sequence) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s" + sequence).getBytes(StandardCharsets.US_ASCII));
    }

    /** The sequence after which the page starts; 0 for no cursor; 400 for a cursor this service did not issue. */
    public static long decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0L;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!text.startsWith("s")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(text.substring(1));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid cursor", List.of(new FieldProblem("cursor", "not a cursor returned by this service")));
        }
    }
}
