package net.ircbridge.config;

import io.smallrye.config.ConfigMapping;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every key the configuration mappings define, read from the mapping interfaces themselves, so that a misspelt
 * key in the file is reported instead of silently ignored.
 */
final class KnownKeys {

    private final Set<String> keys = new HashSet<>();

    KnownKeys(List<Class<?>> mappings) {
        for (Class<?> mapping : mappings) {
            collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping);
        }
    }

    /** Whether a key of the file (indices such as [0] included) is one the mappings define. */
    boolean contains(String key) {
        return keys.contains(key.replaceAll("\\[\\d+]", "[*]"));
    }

    private void collect(String prefix, Class<?> group) {
        for (Method m : group.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String key = prefix + "." + kebab(m.getName());
            Type type = m.getGenericReturnType();
            Type element = unwrap(type, Optional.class);
            Class<?> raw = raw(element);
            if (raw == List.class) {
                Class<?> item = raw(((ParameterizedType) element).getActualTypeArguments()[0]);
                if (isGroup(item)) {
                    collect(key + "[*]", item);
                } else {
                    keys.add(key);
                    keys.add(key + "[*]");
                }
            } else if (isGroup(raw)) {
                collect(key, raw);
            } else {
                keys.add(key);
            }
        }
    }

    private static boolean isGroup(Class<?> c) {
        return c.isInterface() && c.getName().startsWith("net.ircbridge.");
    }

    private static Type unwrap(Type type, Class<?> wrapper) {
        if (type instanceof ParameterizedType p && p.getRawType() == wrapper) {
            return p.getActualTypeArguments()[0];
        }
        return type;
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    /** The key SmallRye reads for a mapping method: its own kebab-case ({@code notADirectChat} is {@code not-a-direct-chat}). */
    static String kebab(String name) {
        return io.smallrye.config.common.utils.StringUtil.skewer(name);
    }
}
