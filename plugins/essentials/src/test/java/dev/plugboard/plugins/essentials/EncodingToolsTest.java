package dev.plugboard.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.tool.ToolException;
import dev.plugboard.plugins.essentials.EncodingTools.Algorithm;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EncodingToolsTest {

    private final EncodingTools tools = new EncodingTools();

    @Nested
    class Hash {

        @ParameterizedTest(name = "{0}(\"{1}\")")
        @CsvSource(delimiter = '|', textBlock = """
            MD5      | abc | 900150983cd24fb0d6963f7d28e17f72
            SHA_1    | abc | a9993e364706816aba3e25717850c26c9cd0d89d
            SHA_256  | abc | ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
            SHA_512  | abc | ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f
            SHA3_256 | abc | 3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532
            MD5      | ''  | d41d8cd98f00b204e9800998ecf8427e
            SHA_1    | ''  | da39a3ee5e6b4b0d3255bfef95601890afd80709
            SHA_256  | ''  | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            SHA_512  | ''  | cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e
            SHA3_256 | ''  | a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a
            """)
        void matchesPublishedTestVectors(Algorithm algorithm, String text, String digest) {
            assertThat(tools.hash(text, algorithm)).isEqualTo(digest);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
            MD5      | 9e107d9d372bb6826bd81d3542a419d6
            SHA_1    | 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12
            SHA_256  | d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592
            SHA_512  | 07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb642e93a252a954f23912547d1e8a3b5ed6e1bfd7097821233fa0538f3db854fee6
            SHA3_256 | 69070dda01975c8c120c3aada1b282394e7f032fa9cf32f4cb2259a0897dfc04
            """)
        void hashesTheQuickBrownFox(Algorithm algorithm, String digest) {
            assertThat(tools.hash("The quick brown fox jumps over the lazy dog", algorithm)).isEqualTo(digest);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
            MD5      | 66ddcd97cfdeabb2f6fb8a999b4bc76f
            SHA_1    | bf15be717ac1b080b4f1c456692825891ff5073d
            SHA_256  | 4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c
            SHA_512  | 9e2ad28633f24451bd4f3c1cb20586a21a44c3aeedbdc01b9cc8fa72917ea7bd689c82b8bf1fef89b911cf8cc46fa2c1ccc10087b2094fd4d3350ecd88526a2c
            SHA3_256 | 9e9bf67e95b10ed4ce3fa9481ac0158a0e71ad67bf7904855258f161fb9dd648
            """)
        void hashesTheUtf8BytesOfNonAsciiText(Algorithm algorithm, String digest) {
            assertThat(tools.hash("\u00e9", algorithm)).isEqualTo(digest);
        }

        @ParameterizedTest(name = "{0} -> {1} hex digits")
        @CsvSource({"MD5, 32", "SHA_1, 40", "SHA_256, 64", "SHA_512, 128", "SHA3_256, 64"})
        void writesLowerCaseHexOfTheDigestLength(Algorithm algorithm, int hexDigits) {
            assertThat(tools.hash("Plugboard", algorithm)).hasSize(hexDigits).matches("[0-9a-f]+");
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Algorithm.class)
        void isDeterministicAndSensitiveToEveryCharacter(Algorithm algorithm) {
            assertThat(tools.hash("text", algorithm)).isEqualTo(tools.hash("text", algorithm))
                    .isNotEqualTo(tools.hash("Text", algorithm))
                    .isNotEqualTo(tools.hash("text ", algorithm));
        }
    }

    @Nested
    class Base64Encode {

        @ParameterizedTest(name = "{0} -> {1} / {2}")
        @CsvSource(delimiter = '|', textBlock = """
            ''                | ''                 | ''
            f                 | Zg==               | Zg
            fo                | Zm8=               | Zm8
            foo               | Zm9v               | Zm9v
            foob              | Zm9vYg==           | Zm9vYg
            fooba             | Zm9vYmE=           | Zm9vYmE
            foobar            | Zm9vYmFy           | Zm9vYmFy
            ???               | Pz8/               | Pz8_
            >>>               | Pj4+               | Pj4-
            h\u00e9llo \ud83c\udf0d    | aMOpbGxvIPCfjI0=   | aMOpbGxvIPCfjI0
            """)
        void encodesUtf8BytesWithTheStandardOrUrlSafeAlphabet(String text, String standard, String urlSafe) {
            assertThat(tools.base64Encode(text, false)).isEqualTo(standard);
            assertThat(tools.base64Encode(text, true)).isEqualTo(urlSafe);
        }

        @Test
        void doesNotWrapLongOutput() {
            assertThat(tools.base64Encode("x".repeat(1000), false)).doesNotContain("\n", "\r").hasSize(1336);
        }
    }

    @Nested
    class Base64Decode {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            Zm9vYmFy           | foobar
            Zg==               | f
            Zg                 | f
            Zm8=               | fo
            Zm8                | fo
            Pz8/               | ???
            Pz8_               | ???
            Pj4+               | >>>
            Pj4-               | >>>
            aMOpbGxvIPCfjI0=   | h\u00e9llo \ud83c\udf0d
            aMOpbGxvIPCfjI0    | h\u00e9llo \ud83c\udf0d
            ''                 | ''
            """)
        void decodesStandardAndUrlSafeWithOrWithoutPadding(String data, String text) {
            assertThat(tools.base64Decode(data)).isEqualTo(text);
        }

        @Test
        void ignoresWhitespaceSuchAsMimeLineBreaks() {
            assertThat(tools.base64Decode(" Zm9v\r\nYmFy \n\tYmF6 ")).isEqualTo("foobarbaz");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"", "a", "\u00e9", "foo bar", "\u65e5\u672c\u8a9e", "\ud83d\ude00\ud83d\ude00", "???>>>",
            "line\nbreak\u0000nul"})
        void decodingUndoesEncodingInBothAlphabets(String text) {
            assertThat(tools.base64Decode(tools.base64Encode(text, false))).isEqualTo(text);
            assertThat(tools.base64Decode(tools.base64Encode(text, true))).isEqualTo(text);
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource(delimiter = '|', textBlock = """
            Zm9v$              | Illegal base64 character 24
            Zm9v!A==           | Illegal base64 character 21
            Z                  | Input byte[] should at least have 2 bytes for base64 bytes
            Zg=                | Input byte array has wrong 4-byte ending unit
            Zg==Zg==           | Input byte array has incorrect ending byte at 4
            Pz8/Pj4-           | Illegal base64 character 2f
            """)
        void rejectsInvalidBase64WithTheDecodersReason(String data, String reason) {
            assertThatThrownBy(() -> tools.base64Decode(data))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("not valid Base64: " + reason);
        }

        @ParameterizedTest(name = "{0} ({1} bytes)")
        @CsvSource({
            "/w==, 1",      // 0xFF never appears in UTF-8
            "wyg=, 2",      // 0xC3 0x28: a lead byte followed by a non-continuation byte
            "7aCA, 3",      // 0xED 0xA0 0x80: an encoded surrogate
            "gA==, 1",      // 0x80: a lone continuation byte
            "AAEC/w==, 4",  // binary data
        })
        void rejectsBytesThatAreNotUtf8Text(String data, int length) {
            assertThatThrownBy(() -> tools.base64Decode(data))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("the decoded bytes are not UTF-8 text (" + length + " bytes)");
        }
    }

    @Nested
    class UrlEncoding {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            plain                        | plain
            a b                          | a%20b
            a+b                          | a%2Bb
            q=1&r=2                      | q%3D1%26r%3D2
            path/to?x#frag               | path%2Fto%3Fx%23frag
            100%                         | 100%25
            caf\u00e9                    | caf%C3%A9
            \ud83d\ude00                 | %F0%9F%98%80
            -_.*                         | -_.*
            AZaz09                       | AZaz09
            """)
        void percentEncodesReservedAndNonAsciiCharactersAndSpacesAsPercent20(String text, String encoded) {
            assertThat(tools.urlEncode(text)).isEqualTo(encoded);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            a%20b                        | a b
            a+b                          | a b
            a%2Bb                        | a+b
            caf%C3%A9                    | caf\u00e9
            caf%c3%a9                    | caf\u00e9
            %F0%9F%98%80                 | \ud83d\ude00
            q%3D1%26r%3D2                | q=1&r=2
            no-escapes                   | no-escapes
            """)
        void decodesPercentEscapesAndPlusAsSpace(String text, String decoded) {
            assertThat(tools.urlDecode(text)).isEqualTo(decoded);
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"", " ", "a b+c", "~!@#$%^&*()_+-=[]{}|;':\",./<>?", "\u00e9\u00e8 \u4e2d\u6587",
            "\ud83d\ude00 emoji", "%20 literal", "tab\tnewline\n"})
        void decodingUndoesEncoding(String text) {
            assertThat(tools.urlDecode(tools.urlEncode(text))).isEqualTo(text);
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"%", "abc%", "%2", "%zz", "%G1", "100%!"})
        void rejectsMalformedPercentEscapes(String text) {
            assertThatThrownBy(() -> tools.urlDecode(text))
                    .isInstanceOf(ToolException.class)
                    .hasMessageStartingWith("not a valid percent-encoded text: ");
        }
    }

    @Nested
    class Uuid {

        @Test
        void generatesACanonicalLowerCaseRandomVersion4Uuid() {
            String text = tools.uuid();

            assertThat(text).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            UUID uuid = UUID.fromString(text);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid).hasToString(text);
        }

        @Test
        void generatesADifferentUuidEveryCall() {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                seen.add(tools.uuid());
            }

            assertThat(seen).hasSize(1000);
        }
    }
}
