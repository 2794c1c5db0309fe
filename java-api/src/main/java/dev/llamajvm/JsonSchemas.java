package dev.llamajvm;

import dev.llamajvm.internal.json.Json;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JSON schemas derived from Java records, for {@link Tool#of(String, String, Class)} and
 * {@link Format#jsonSchema(Class)}. Each component is a required property (an {@code Optional}
 * one is optional): strings, numbers, booleans, enums (by constant name), lists, sets and arrays,
 * {@code Map<String, V>} and nested records. Stateless.
 *
 * <p>The text is the same in every JVM: keys keep a fixed order and properties follow the record's
 * components, so a prompt (and the KV cache and saved state made from it) does not change between
 * runs.
 */
public final class JsonSchemas {

    private JsonSchemas() {
    }

    /** The schema of {@code type}, as JSON text; IllegalArgumentException for a type it cannot describe. */
    public static String of(Class<? extends Record> type) {
        return Json.write(schema(type, new HashSet<>()));
    }

    private static Map<String, Object> schema(Type type, Set<Class<?>> enclosing) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                return object("type", "array", "items", schema(args[0], enclosing));
            }
            if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
                return object("type", "object", "additionalProperties", schema(args[1], enclosing));
            }
            if (raw == Optional.class) {
                return schema(args[0], enclosing);
            }
            throw new IllegalArgumentException("no JSON schema for " + type.getTypeName());
        }
        if (type instanceof GenericArrayType g) {
            return object("type", "array", "items", schema(g.getGenericComponentType(), enclosing));
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class || c == char.class || c == Character.class || c == CharSequence.class) {
            return object("type", "string");
        }
        if (c == boolean.class || c == Boolean.class) {
            return object("type", "boolean");
        }
        if (c == int.class || c == long.class || c == short.class || c == byte.class || c == Integer.class
                || c == Long.class || c == Short.class || c == Byte.class || c == BigInteger.class) {
            return object("type", "integer");
        }
        if (c == double.class || c == float.class || c == Double.class || c == Float.class || c == BigDecimal.class) {
            return object("type", "number");
        }
        if (c.isEnum()) {
            List<Object> names = new ArrayList<>();
            for (Object constant : c.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            return object("type", "string", "enum", names);
        }
        if (c.isArray()) {
            return object("type", "array", "items", schema(c.getComponentType(), enclosing));
        }
        if (c.isRecord()) {
            return recordSchema(c, enclosing);
        }
        throw new IllegalArgumentException("no JSON schema for " + c.getName()
                + " (records, strings, numbers, booleans, enums, collections, arrays and maps are supported)");
    }

    /** A JSON object with the given keys and values, in that order (Map.of's order changes from JVM to JVM). */
    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return object;
    }

    private static Map<String, Object> recordSchema(Class<?> c, Set<Class<?>> enclosing) {
        if (!enclosing.add(c)) {
            throw new IllegalArgumentException("record " + c.getName() + " contains itself; a schema cannot say that");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        List<Object> required = new ArrayList<>();
        for (RecordComponent component : c.getRecordComponents()) {
            properties.put(component.getName(), schema(component.getGenericType(), enclosing));
            if (component.getType() != Optional.class) {
                required.add(component.getName());
            }
        }
        enclosing.remove(c);
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return schema;
    }
}
