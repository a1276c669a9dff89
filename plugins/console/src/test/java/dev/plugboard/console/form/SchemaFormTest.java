package dev.plugboard.console.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaFormTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode schema(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    private static Map<String, List<String>> form(String... pairs) {
        Map<String, List<String>> form = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], List.of(pairs[i + 1]));
        }
        return form;
    }

    @Test
    void scalarsRequiredOptionalDefaultsAndEnums() throws Exception {
        SchemaForm form = SchemaForm.of(schema("{'type':'object','required':['name'],'properties':{"
                + "'name':{'type':'string','description':'who'},'times':{'type':'integer','default':2},"
                + "'ratio':{'type':'number'},'loud':{'type':'boolean'},'mood':{'enum':['calm',3,true]}}}"));
        List<Field> fields = form.fields();
        assertThat(fields).extracting(Field::name).containsExactly("/name", "/times", "/ratio", "/loud", "/mood");
        assertThat(fields).extracting(Field::kind).containsExactly(Field.Kind.STRING, Field.Kind.INTEGER,
                Field.Kind.NUMBER, Field.Kind.BOOLEAN, Field.Kind.ENUM);
        assertThat(fields.get(0).required()).isTrue();
        assertThat(fields.get(0).description()).isEqualTo("who");
        assertThat(fields.get(1).required()).isFalse();
        assertThat(fields.get(1).value()).isEqualTo("2");
        assertThat(fields.get(4).options()).containsExactly("calm", "3", "true");

        JsonNode args = form.arguments(form("/name", "Ada", "/times", "3", "/ratio", "0.5", "/loud", "true",
                "/mood", "1", "csrf", "x"));
        assertThat(args.toString()).isEqualTo("{\"name\":\"Ada\",\"times\":3,\"ratio\":0.5,\"loud\":true,\"mood\":3}");
        assertThat(form.arguments(form("/name", "", "/times", "")).toString()).isEqualTo("{}");
    }

    @Test
    void aValueOfTheWrongShapeIsSentAsTextForTheHostToJudge() throws Exception {
        SchemaForm form = SchemaForm.of(schema("{'type':'object','properties':{'n':{'type':'integer'}}}"));
        assertThat(form.arguments(form("/n", "twelve")).toString()).isEqualTo("{\"n\":\"twelve\"}");
    }

    @Test
    void nestedObjectsArraysAndRefs() throws Exception {
        SchemaForm form = SchemaForm.of(schema("{'type':'object','$defs':{'point':{'type':'object','required':['x'],"
                + "'properties':{'x':{'type':'number'},'y':{'type':'number'}}}},'properties':{"
                + "'origin':{'$ref':'#/$defs/point'},'tags':{'type':'array','items':{'type':'string'}},"
                + "'points':{'type':'array','items':{'$ref':'#/$defs/point'}},"
                + "'a/b':{'type':'string'}}}"));
        List<Field> fields = form.fields();
        assertThat(fields.get(0).kind()).isEqualTo(Field.Kind.OBJECT);
        assertThat(fields.get(0).children()).extracting(Field::name).containsExactly("/origin/x", "/origin/y");
        assertThat(fields.get(1).kind()).isEqualTo(Field.Kind.LINES);
        assertThat(fields.get(2).kind()).isEqualTo(Field.Kind.JSON);
        assertThat(fields.get(3).name()).isEqualTo("/a~1b");

        JsonNode args = form.arguments(form("/origin/x", "1", "/tags", "red\n\nblue\n", "/points",
                "[{\"x\":2}]", "/a~1b", "slash"));
        assertThat(args.toString()).isEqualTo(
                "{\"origin\":{\"x\":1},\"tags\":[\"red\",\"blue\"],\"points\":[{\"x\":2}],\"a/b\":\"slash\"}");
    }

    @Test
    void oneOfAndAnyOfBranchesArePickedByTheRadio() throws Exception {
        SchemaForm form = SchemaForm.of(schema("{'type':'object','required':['shape'],'properties':{'shape':{'oneOf':["
                + "{'title':'circle','type':'object','properties':{'radius':{'type':'number'}}},"
                + "{'title':'square','type':'object','properties':{'side':{'type':'number'}}}]},"
                + "'id':{'anyOf':[{'type':'string'},{'type':'integer'}]}}}"));
        Field shape = form.fields().get(0);
        assertThat(shape.kind()).isEqualTo(Field.Kind.CHOICE);
        assertThat(shape.options()).containsExactly("circle", "square");
        assertThat(shape.children().get(1).children()).extracting(Field::name).containsExactly("/shape|1/side");
        assertThat(form.fields().get(1).options()).containsExactly("string", "integer");

        JsonNode args = form.arguments(form("/shape#", "1", "/shape|0/radius", "9", "/shape|1/side", "4",
                "/id#", "1", "/id|1", "7"));
        assertThat(args.toString()).isEqualTo("{\"shape\":{\"side\":4},\"id\":7}");
        assertThatThrownBy(() -> form.arguments(form("/shape#", "5"))).isInstanceOf(FormException.class)
                .hasMessageContaining("/shape");
    }

    @Test
    void aRecursiveSchemaEndsInAJsonField() throws Exception {
        SchemaForm form = SchemaForm.of(schema("{'type':'object','$defs':{'node':{'type':'object','properties':{"
                + "'label':{'type':'string'},'next':{'$ref':'#/$defs/node'}}}},'properties':{'list':{'$ref':'#/$defs/node'}}}"));
        Field list = form.fields().get(0);
        assertThat(list.children().get(1).kind()).isEqualTo(Field.Kind.JSON);
        JsonNode args = form.arguments(form("/list/label", "a", "/list/next", "{\"label\":\"b\"}"));
        assertThat(args.toString()).isEqualTo("{\"list\":{\"label\":\"a\",\"next\":{\"label\":\"b\"}}}");
    }

    @Test
    void rawJsonIsAnObjectOrANamedError() throws Exception {
        SchemaForm form = SchemaForm.of(null);
        assertThat(form.rawArguments(" {\"a\": [1]} ").toString()).isEqualTo("{\"a\":[1]}");
        assertThat(form.rawArguments("").toString()).isEqualTo("{}");
        assertThatThrownBy(() -> form.rawArguments("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> form.rawArguments("{oops")).hasMessageContaining("not JSON (line 1");
        assertThatThrownBy(() -> SchemaForm.of(schema("{'properties':{'j':{}}}")).arguments(form("/j", "{x")))
                .hasMessageStartingWith("'/j' is not JSON");
    }
}
