package dev.plugboard.host.websocket;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.websockets.DataFrame;
import org.glassfish.grizzly.websockets.FramingException;
import org.glassfish.grizzly.websockets.rfc6455.RFC6455Handler;

/**
 * The RFC 6455 framing with a limit on the size of a data message (a frame, or the fragments of one
 * message together). Grizzly's own parser keeps reading a frame of whatever length it declares; this
 * one reads each frame's header first and refuses a message that would exceed the limit before any of
 * its payload is kept, which closes the connection with 1009 (message too big). After that, whatever
 * else arrives on the connection is dropped.
 */
final class LimitedFrames extends RFC6455Handler {

    /** The close code for a message too big to process (RFC 6455, 7.4.1). */
    static final int MESSAGE_TOO_BIG = 1009;

    private final long maxMessageBytes;
    private boolean atFrameStart = true;
    private long messageBytes;
    private boolean refused;

    LimitedFrames(long maxMessageBytes) {
        super(false);
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public DataFrame parse(Buffer buffer) {
        if (refused) {
            buffer.position(buffer.limit());
            return null;
        }
        if (atFrameStart) {
            int start = buffer.position();
            if (buffer.remaining() < 2) {
                return null; // nothing taken: the next read is appended and the header read again
            }
            int first = buffer.get(start) & 0xff;
            int code = buffer.get(start + 1) & 0x7f;
            int lengthBytes = code == 126 ? 2 : code == 127 ? 8 : 0;
            if (buffer.remaining() < 2 + lengthBytes) {
                return null;
            }
            long length = code;
            if (lengthBytes > 0) {
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = (length << 8) | (buffer.get(start + 2 + i) & 0xff);
                }
            }
            int opcode = first & 0x0f;
            boolean control = (opcode & 0x08) != 0;
            if (!control) {
                long total = (opcode == 0 ? messageBytes : 0) + length;
                if (length < 0 || total < 0 || total > maxMessageBytes) {
                    refused = true;
                    buffer.position(buffer.limit());
                    throw new TooBig("message too big: the limit is " + maxMessageBytes + " bytes");
                }
                boolean last = (first & 0x80) != 0;
                messageBytes = last ? 0 : total;
            }
        }
        DataFrame frame = super.parse(buffer);
        atFrameStart = frame != null;
        return frame;
    }

    /** A message over the limit: the connection closes with 1009. */
    private static final class TooBig extends FramingException {
        private static final long serialVersionUID = 1L;

        TooBig(String message) {
            super(message);
        }

        @Override
        public int getClosingCode() {
            return MESSAGE_TOO_BIG;
        }
    }
}
