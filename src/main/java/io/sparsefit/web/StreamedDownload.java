package io.sparsefit.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.coyote.CloseNowException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an answer that is read from the store while it is sent (a dataset's rows or a scoring's predictions, one
 * stored chunk at a time), so that a client can always tell a complete download from a broken one. A failure before
 * the answer is committed is an ordinary problem+json answer (what was buffered of the body is dropped). After it, the
 * status and the first bytes are on the wire (the dataset was deleted under the download, the database went away):
 * no problem can be sent any more, so the connection is closed before the chunked body's last chunk and the client
 * sees a broken transfer, never a complete-looking 200 with a short body.
 *
 * <p>Why not hold the rows instead (one snapshot transaction for the whole download, or a lock that makes the delete
 * wait): that pins a pooled database connection, and on PostgreSQL an old snapshot, for as long as the slowest client
 * takes to read, or makes a DELETE hang behind it; a download is sized by the store, not the heap, so it may take minutes.
 */
public final class StreamedDownload {

    private static final Logger log = LoggerFactory.getLogger(StreamedDownload.class);

    private StreamedDownload() {
    }

    /** What writes the body; it may close {@code out}, which does nothing (the container ends the answer). */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What writes a CSV body, one record at a time, to a printer in RFC 4180 format. */
    @FunctionalInterface
    public interface CsvBody {
        void writeTo(CSVPrinter printer) throws IOException;
    }

    /** Streams {@code body} as the answer of {@code contentType}; see the class comment for what a failure does. */
    public static void write(HttpServletResponse response, String contentType, Body body) throws IOException {
        response.setContentType(contentType);
        // Closing the servlet stream would end the answer cleanly, and flushing it would commit it, even on the way out of
        // a failure (a JsonGenerator or a writer in try-with-resources): the body gets a stream whose close does neither.
        OutputStream out = new FilterOutputStream(response.getOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                this.out.write(b, off, len);
            }

            @Override
            public void close() {
            }
        };
        try {
            body.writeTo(out);
            out.flush();
        } catch (ClientAbortException gone) {
            throw gone; // the client went away: nothing to tell it
        } catch (RuntimeException | IOException e) {
            if (!response.isCommitted()) {
                response.resetBuffer();
                throw e; // nothing sent yet: answered as problem+json by ProblemAdvice
            }
            log.warn("Download {} broke off after its answer started; connection closed ({})", contentType, e.toString());
            // Tomcat closes the connection at once for this exception, without logging it as a servlet error.
            throw new CloseNowException("The answer broke off after it started: " + e.getMessage(), e);
        }
    }

    /** Streams a CSV answer (UTF-8, RFC 4180, numbers as the caller writes them) written by {@code body}. */
    public static void csv(HttpServletResponse response, CsvBody body) throws IOException {
        write(response, "text/csv;charset=UTF-8", out -> {
            CSVPrinter printer = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16),
                    CSVFormat.RFC4180);
            body.writeTo(printer);
            printer.flush();
        });
    }
}
