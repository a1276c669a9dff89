package dev.plugboard.plugins.conformance;

import java.util.Base64;

/**
 * The binary fixtures of the reference server: a 1×1 PNG and a WAV header. Both are kept as the
 * reference's base64 text so that they can be compared with it at a glance; the API takes bytes.
 */
final class TestMedia {

    /** A 70-byte 1×1 RGBA PNG ({@code TEST_IMAGE_BASE64}). */
    static final String IMAGE_BASE64 =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    /** A 44-byte WAV header, PCM mono 8 kHz 16-bit ({@code TEST_AUDIO_BASE64}). */
    static final String AUDIO_BASE64 = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

    /** The media type of {@link #png()}. */
    static final String PNG = "image/png";

    /** The media type of {@link #wav()}; the conformance checker wants exactly this one. */
    static final String WAV = "audio/wav";

    private TestMedia() {
    }

    /** The PNG's bytes (a fresh copy). */
    static byte[] png() {
        return Base64.getDecoder().decode(IMAGE_BASE64);
    }

    /** The WAV's bytes (a fresh copy). */
    static byte[] wav() {
        return Base64.getDecoder().decode(AUDIO_BASE64);
    }
}
