package dev.plugboard.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class HungUpClientsTest {

    private static final Logger RESPONDER = Logger.getLogger("org.glassfish.jersey.server.ServerRuntime$Responder");

    private static boolean logged(Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "An I/O error has occurred while writing a response message entity");
        record.setThrown(thrown);
        return RESPONDER.getFilter().isLoggable(record);
    }

    @Test
    void aClientThatHungUpIsNotAnError() {
        HungUpClients.quietOnHangUps();
        assertThat(logged(new RuntimeException(new IOException("Connection is closed")))).isFalse();
        assertThat(logged(new UncheckedIOException(new IOException("Broken pipe")))).isFalse();
        assertThat(logged(new IOException("Connection reset by peer"))).isFalse();
    }

    @Test
    void anyOtherFailureIsLoggedAsJerseyLogsIt() {
        HungUpClients.quietOnHangUps();
        assertThat(logged(new RuntimeException(new IOException("No space left on device")))).isTrue();
        assertThat(logged(new IllegalStateException("Connection is closed"))).isTrue();
        assertThat(logged(null)).isTrue();
    }
}
