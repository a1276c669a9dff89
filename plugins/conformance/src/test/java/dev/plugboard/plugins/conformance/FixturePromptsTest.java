package dev.plugboard.plugins.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plugboard.api.content.Content;
import dev.plugboard.api.content.ImageContent;
import dev.plugboard.api.content.Message;
import dev.plugboard.api.content.ResourceContents;
import dev.plugboard.api.content.Role;
import dev.plugboard.api.prompt.Prompt;
import dev.plugboard.api.tool.Param;
import dev.plugboard.testkit.RecordingContext.Unanswered;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FixturePromptsTest {

    private final FixturePrompts prompts = new FixturePrompts();

    @Test
    void simplePromptIsOneUserMessageWithATitle() throws Exception {
        assertThat(prompts.simplePrompt()).isEqualTo("This is a simple prompt for testing.");
        assertThat(FixturePrompts.class.getMethod("simplePrompt").getAnnotation(Prompt.class)).satisfies(p -> {
            assertThat(p.name()).isEqualTo("test_simple_prompt");
            assertThat(p.title()).isEqualTo("Simple Test Prompt");
            assertThat(p.description()).isEqualTo("A simple prompt without arguments");
        });
    }

    @Test
    void promptWithArgumentsQuotesBoth() throws Exception {
        assertThat(prompts.promptWithArguments("first", "second"))
                .isEqualTo("Prompt with arguments: arg1='first', arg2='second'");

        var parameters = FixturePrompts.class.getMethod("promptWithArguments", String.class, String.class)
                .getParameters();
        assertThat(parameters).extracting(p -> p.getName() + ": " + p.getAnnotation(Param.class).description())
                .containsExactly("arg1: First test argument", "arg2: Second test argument");
    }

    @Test
    void completesArg1ByPrefix() {
        assertThat(prompts.completeArg1("test")).containsExactly("test", "testing");
        assertThat(prompts.completeArg1("par")).containsExactly("paris", "park", "party");
        assertThat(prompts.completeArg1("zzz")).isEmpty();
    }

    @Test
    void embeddedResourcePromptEmbedsTheGivenUriThenAsksAboutIt() {
        assertThat(prompts.promptWithEmbeddedResource("test://example")).containsExactly(
                Message.user(Content.embed(ResourceContents.text("test://example", "text/plain",
                        "Embedded resource content for testing."))),
                Message.user("Please process the embedded resource above."));
    }

    @Test
    void imagePromptShowsThePngThenAsksAboutIt() {
        List<Message> messages = prompts.promptWithImage();

        assertThat(messages).hasSize(2).allSatisfy(m -> assertThat(m.role()).isEqualTo(Role.USER));
        assertThat(messages.get(0).content()).isInstanceOfSatisfying(ImageContent.class, image -> {
            assertThat(image.mimeType()).isEqualTo("image/png");
            assertThat(Base64.getEncoder().encodeToString(image.data())).isEqualTo(TestMedia.IMAGE_BASE64);
        });
        assertThat(messages.get(1)).isEqualTo(Message.user("Please analyze the image above."));
    }

    @Test
    void inputRequiredPromptAsksForContextUnderUserContext() {
        var unanswered = catchThrowableOfType(Unanswered.class,
                () -> prompts.inputRequiredPrompt(Clients.everything()));
        assertThat(unanswered.requests()).containsExactly(Map.entry("user_context",
                InputRequiredTools.form("What context should the prompt use?", "context", "string")));

        var ctx = Clients.everything().answer("user_context",
                Clients.accepted(Map.of("context", "test context")));
        assertThat(prompts.inputRequiredPrompt(ctx)).isEqualTo("Prompt with context: test context");
    }
}
