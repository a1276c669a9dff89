package dev.plugboard.host.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.GraphQLScalarType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code JSON} scalar: any JSON value, taken from variables as parsed JSON and from literals
 * by walking the literal, and written out as it is (maps, lists, strings, numbers, booleans, null
 * or Jackson nodes).
 */
final class JsonScalar {

    static final GraphQLScalarType TYPE = GraphQLScalarType.newScalar()
            .name("JSON")
            .description("Any JSON value")
            .coercing(new Coercing<Object, Object>() {
                @Override
                public Object serialize(Object value, GraphQLContext context, Locale locale) {
                    return value;
                }

                @Override
                public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                    return input;
                }

                @Override
                public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                        Locale locale) {
                    return literal(input, variables);
                }
            })
            .build();

    private JsonScalar() {
    }

    private static Object literal(Value<?> value, CoercedVariables variables) {
        return switch (value) {
            case NullValue n -> null;
            case StringValue s -> s.getValue();
            case BooleanValue b -> b.isValue();
            case IntValue i -> i.getValue();
            case FloatValue f -> f.getValue();
            case EnumValue e -> e.getName();
            case VariableReference v -> variables.get(v.getName());
            case ArrayValue a -> {
                List<Object> out = new ArrayList<>();
                for (Value<?> item : a.getValues()) {
                    out.add(literal(item, variables));
                }
                yield out;
            }
            case ObjectValue o -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (ObjectField field : o.getObjectFields()) {
                    out.put(field.getName(), literal(field.getValue(), variables));
                }
                yield out;
            }
            default -> throw new CoercingParseLiteralException("not a JSON value");
        };
    }
}
