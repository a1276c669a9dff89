package dev.plugboard.host.admin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.host.admin.AdminException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartUploadTest {

    private static final String TYPE = "multipart/form-data; boundary=\"XyZ-42\"";

    private static byte[] body(byte[] file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("preamble\r\n--XyZ-42\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nhello\r\n"
                + "--XyZ-42\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(file);
        out.write("\r\n--XyZ-42--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Hands out a few bytes at a time, so that delimiters straddle reads. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    @Test
    void theFilePartStreamsOutExactlyWhateverItsBytes() throws IOException {
        byte[] file = new byte[300_000];
        new Random(7).nextBytes(file);
        // bytes that look like the start of a delimiter, inside the file
        byte[] lookalike = "\r\n--XyZ-4".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(lookalike, 0, file, 1000, lookalike.length);
        assertThat(MultipartUpload.part(trickle(body(file)), TYPE, "file").readAllBytes()).isEqualTo(file);
        assertThat(MultipartUpload.part(new ByteArrayInputStream(body(new byte[0])), TYPE, "file").readAllBytes())
                .isEmpty();
    }

    @Test
    void aBodyWithoutThePartOrBoundaryOrEndIsABadRequest() throws IOException {
        assertThatThrownBy(() -> MultipartUpload.part(new ByteArrayInputStream(body(new byte[] {1})), TYPE, "jar"))
                .isInstanceOf(AdminException.class).hasMessageContaining("no part named 'jar'");
        assertThatThrownBy(() -> MultipartUpload.part(new ByteArrayInputStream(new byte[10]), "multipart/form-data",
                "file")).isInstanceOf(AdminException.class).hasMessageContaining("boundary");
        byte[] truncated = java.util.Arrays.copyOf(body(new byte[5000]), 3000);
        assertThatThrownBy(() -> MultipartUpload.part(new ByteArrayInputStream(truncated), TYPE, "file").readAllBytes())
                .isInstanceOf(AdminException.class).hasMessageContaining("malformed");
    }
}
