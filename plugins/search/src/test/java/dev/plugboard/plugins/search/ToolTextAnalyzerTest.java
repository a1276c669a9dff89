package dev.plugboard.plugins.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class ToolTextAnalyzerTest {

    private static List<String> tokens(Analyzer analyzer, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("f", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                out.add(term.toString());
            }
            stream.end();
        }
        return out;
    }

    private final Analyzer query = new ToolTextAnalyzer(false);
    private final Analyzer index = new ToolTextAnalyzer(true);

    @Test
    void identifiersAreSplitWhereTheirWordsMeet() throws IOException {
        assertThat(tokens(query, "convertTime")).containsExactly("convert", "time");
        assertThat(tokens(query, "get_current_time")).containsExactly("get", "current", "time");
        assertThat(tokens(query, "parseHTTPResponse")).containsExactly("pars", "http", "respons");
        assertThat(tokens(query, "base64Encode")).containsExactly("base", "64", "encod");
    }

    @Test
    void wordsAreStemmedAndStopWordsDropped() throws IOException {
        assertThat(tokens(query, "Converting the times of the meetings")).containsExactly("convert", "time", "meet");
    }

    @Test
    void indexingKeepsTheWholeIdentifierToo() throws IOException {
        assertThat(tokens(index, "get_current_time")).contains("get_current_tim", "get", "current", "time");
    }

    @Test
    void oddTextGivesNoTokensRatherThanAnError() throws IOException {
        assertThat(tokens(query, "!!! ... ???")).isEmpty();
        assertThat(tokens(query, "")).isEmpty();
        assertThat(tokens(query, "天気予報 погода")).isNotEmpty();
    }
}
