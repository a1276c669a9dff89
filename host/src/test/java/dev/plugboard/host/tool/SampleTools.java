package dev.plugboard.host.tool;

import dev.plugboard.api.content.Content;
import dev.plugboard.api.content.ResourceContents;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.api.tool.ToolResult;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tools covering the shapes the introspector and the result mapper must handle. */
public class SampleTools {

    /** Released by tests to let {@link #block} finish. */
    public final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when {@link #block} starts. */
    public final CountDownLatch blocked = new CountDownLatch(1);

    public enum Units { METRIC, IMPERIAL }

    public record Forecast(String city, double temperature, Units units) {
    }

    public record Point(int x, int y) {
    }

    @Tool(description = "Greets someone")
    public String greetPerson(@Param(description = "who") String name,
            @Param(description = "how many times", defaultValue = "1") int times,
            Optional<String> punctuation) {
        return ("Hello, " + name + punctuation.orElse("!") + " ").repeat(times).trim();
    }

    @Tool(name = "weather.forecast", title = "Forecast", description = "Forecast for a city", readOnly = true,
            openWorld = false)
    public Forecast forecast(String city, @Param(defaultValue = "METRIC") Units units) {
        return new Forecast(city, units == Units.METRIC ? 21.5 : 70.7, units);
    }

    @Tool(description = "Sums points", idempotent = true, destructive = false)
    public int sumX(List<Point> points) {
        return points.stream().mapToInt(Point::x).sum();
    }

    @Tool(description = "An image and a resource")
    public ToolResult media() {
        return ToolResult.of(Content.text("look"), Content.image(new byte[] {1, 2, 3}, "image/png"),
                Content.audio(new byte[] {4}, "audio/wav"),
                Content.embed(ResourceContents.text("test://r", "text/plain", "inside")),
                Content.link("test://l", "linked"));
    }

    @Tool(description = "Fails cleanly")
    public String refuse() {
        throw new ToolException("not today");
    }

    @Tool(description = "Fails badly")
    public String crash() {
        Object o = null;
        return o.toString();
    }

    @Tool(description = "Reports progress and logs", readOnly = true)
    public String work(RequestContext context, @Param(defaultValue = "3") int steps) {
        for (int i = 1; i <= steps; i++) {
            context.progress(i, steps, "step " + i);
            context.log(LogLevel.INFO, "did step " + i);
        }
        return "done " + steps + " by " + context.caller().principal();
    }

    @Tool(description = "Blocks until released or cancelled")
    public String block(RequestContext context) throws InterruptedException {
        blocked.countDown();
        if (!release.await(1, TimeUnit.MINUTES)) {
            return "not released";
        }
        return context.isCancelled() ? "cancelled" : "released";
    }

    @Tool(description = "Ignores interruption and never returns by itself")
    public String stubborn() {
        blocked.countDown();
        while (true) {
            try {
                release.await();
                return "released";
            } catch (InterruptedException e) {
                // keeps waiting on purpose
            }
        }
    }

    @Tool(description = "Returns nothing")
    public void nothing() {
    }

    @Tool(description = "not public")
    String hidden() {
        return "x";
    }

    @Tool(name = "bad name!", description = "invalid name")
    public String badName() {
        return "x";
    }

    @Tool(description = "unsupported parameter")
    public String unsupported(Thread thread) {
        return "x";
    }
}
