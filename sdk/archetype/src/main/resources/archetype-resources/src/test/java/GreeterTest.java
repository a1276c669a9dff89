package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.testkit.RecordingContext;
import org.junit.jupiter.api.Test;

/** Unit tests: the component is a plain Java object; RecordingContext stands in for the host's context. */
class GreeterTest {

    private final Greeter greeter = new Greeter();
    private final RecordingContext context = new RecordingContext("test-client");

    @Test
    void greetsInTheToneAsked() {
        assertEquals(new Greeter.Greeting("Hi Ada!", 7), greeter.greet("Ada", Greeter.Tone.FRIENDLY, context));
        assertEquals("Good day, Ada.", greeter.greet("Ada", Greeter.Tone.FORMAL, context).text());
        assertEquals(new RecordingContext.Log(LogLevel.INFO, "greeting Ada for test-client"), context.logs().get(0));
    }

    @Test
    void refusesABlankName() {
        ToolException e = assertThrows(ToolException.class, () -> greeter.greet(" ", Greeter.Tone.FRIENDLY, context));
        assertEquals("name must not be blank", e.getMessage());
    }

    @Test
    void writesTheWelcomePrompt() {
        assertTrue(greeter.welcomeMessage("Ada").contains("Ada"));
    }
}
