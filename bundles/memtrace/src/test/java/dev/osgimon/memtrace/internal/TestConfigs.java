package dev.osgimon.memtrace.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Typed configurations as DS would build them: the given values, the annotation defaults for the rest. */
final class TestConfigs {

    private TestConfigs() {
    }

    static MemtraceConfig config(Map<String, Object> values) {
        return (MemtraceConfig) Proxy.newProxyInstance(MemtraceConfig.class.getClassLoader(),
                new Class<?>[] {MemtraceConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> MemtraceConfig.class;
                    case "toString" -> "MemtraceConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
