package dev.plugboard.host.admin.http;

import dev.plugboard.host.admin.AdminException;
import dev.plugboard.host.admin.AdminException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Streams one field of a {@code multipart/form-data} body (RFC 7578) without holding the body in
 * memory: the other parts are skipped as they pass, the field's bytes are handed on as they arrive.
 */
final class MultipartUpload {

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private MultipartUpload() {
    }

    /**
     * The content of the part named {@code field}.
     *
     * @param contentType the request's {@code Content-Type} (with its {@code boundary} parameter)
     * @throws AdminException {@link Reason#BAD_REQUEST} when the body is malformed or has no such part
     */
    static InputStream part(InputStream body, String contentType, String field) throws IOException {
        String boundary = boundary(contentType);
        // With a line break in front, every delimiter, the first included, reads CRLF "--" boundary.
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(new byte[] {'\r', '\n'}), body);
        Delimited parts = new Delimited(in, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
        parts.skipToDelimiter();
        while (true) {
            int a = parts.rawByte();
            int b = parts.rawByte();
            if (a == '-' && b == '-') {
                throw new AdminException(Reason.BAD_REQUEST, "the multipart body has no part named '" + field + "'");
            }
            if (a != '\r' || b != '\n') {
                throw malformed();
            }
            String headers = parts.headers();
            if (field.equals(fieldName(headers))) {
                return parts;
            }
            parts.skipToDelimiter();
        }
    }

    private static AdminException malformed() {
        return new AdminException(Reason.BAD_REQUEST, "the multipart/form-data body is malformed");
    }

    private static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = p.substring("boundary=".length()).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!value.isEmpty() && value.length() <= 70) {
                    return value;
                }
            }
        }
        throw new AdminException(Reason.BAD_REQUEST, "a multipart/form-data body needs a boundary parameter");
    }

    /** The {@code name} of a part's {@code Content-Disposition: form-data}, or null. */
    private static String fieldName(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                for (String param : line.substring(colon + 1).split(";")) {
                    String p = param.trim();
                    if (p.toLowerCase(Locale.ROOT).startsWith("name=")) {
                        String value = p.substring("name=".length()).trim();
                        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                                ? value.substring(1, value.length() - 1) : value;
                    }
                }
            }
        }
        return null;
    }

    /** A stream that ends at the next delimiter, and can then be moved past it. */
    private static final class Delimited extends InputStream {
        private final InputStream in;
        private final byte[] delimiter;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int limit;
        private boolean eof;
        private boolean atDelimiter;

        Delimited(InputStream in, byte[] delimiter) {
            this.in = in;
            this.delimiter = delimiter;
        }

        /** Fills the buffer until it holds at least {@code n} bytes or the body ended. */
        private void fill(int n) throws IOException {
            if (limit - pos >= n || eof) {
                return;
            }
            if (pos > 0) {
                System.arraycopy(buffer, pos, buffer, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            while (limit < n && !eof) {
                int r = in.read(buffer, limit, buffer.length - limit);
                if (r < 0) {
                    eof = true;
                } else {
                    limit += r;
                }
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (atDelimiter) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            fill(delimiter.length + 1);
            int available = limit - pos;
            int found = indexOfDelimiter();
            if (found == pos) {
                pos += delimiter.length;
                atDelimiter = true;
                return -1;
            }
            int safe = found >= 0 ? found - pos : available - (delimiter.length - 1);
            if (safe <= 0) {
                throw malformed();
            }
            int n = Math.min(len, safe);
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            return n;
        }

        private int indexOfDelimiter() {
            outer:
            for (int i = pos; i <= limit - delimiter.length; i++) {
                for (int j = 0; j < delimiter.length; j++) {
                    if (buffer[i + j] != delimiter[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        void skipToDelimiter() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) >= 0) {
                // discarded
            }
            atDelimiter = false;
        }

        int rawByte() throws IOException {
            fill(1);
            if (limit - pos < 1) {
                throw malformed();
            }
            return buffer[pos++] & 0xff;
        }

        /** The part's header lines, up to and without the empty line that ends them. */
        String headers() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            // an empty header block is just CRLF
            while (true) {
                int c = rawByte();
                out.write(c);
                if (out.size() == 2 && c == '\n' && out.toByteArray()[0] == '\r') {
                    return "";
                }
                matched = c == end[matched] ? matched + 1 : c == '\r' ? 1 : 0;
                if (matched == 4) {
                    byte[] all = out.toByteArray();
                    return new String(all, 0, all.length - 4, StandardCharsets.UTF_8);
                }
                if (out.size() > MAX_HEADER_BYTES) {
                    throw malformed();
                }
            }
        }
    }
}
