package dev.plugboard.plugins.search;

import java.io.Reader;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The analyzer for tool text: identifiers are split where their words meet ({@code convertTime},
 * {@code get_current_time}, {@code base64Encode}), then words are lower-cased, English stop words
 * dropped and the rest stemmed (Porter), so that "converting times" matches {@code convert_time}.
 *
 * <p>At index time the split identifier keeps its whole form as well, and the token graph is
 * flattened for indexing.
 */
final class ToolTextAnalyzer extends Analyzer {

    private static final int SPLIT = WordDelimiterGraphFilter.GENERATE_WORD_PARTS
            | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
            | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
            | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS
            | WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE;

    /** An acronym followed by a capitalised word, as in {@code HTTPResponse}: split between them. */
    private static final Pattern ACRONYM_THEN_WORD = Pattern.compile("(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})");

    private final boolean indexing;

    /**
     * @param indexing true for the analyzer that indexes (keeps whole identifiers, flattens the graph),
     *     false for the one that reads queries
     */
    ToolTextAnalyzer(boolean indexing) {
        this.indexing = indexing;
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        int flags = indexing ? SPLIT | WordDelimiterGraphFilter.PRESERVE_ORIGINAL : SPLIT;
        TokenStream stream = new WordDelimiterGraphFilter(source, flags, null);
        if (indexing) {
            stream = new FlattenGraphFilter(stream);
        }
        stream = new LowerCaseFilter(stream);
        stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }

    @Override
    protected Reader initReader(String fieldName, Reader reader) {
        return new PatternReplaceCharFilter(ACRONYM_THEN_WORD, " ", reader);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
    }
}
