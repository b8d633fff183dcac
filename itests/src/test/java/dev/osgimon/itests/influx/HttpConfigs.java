package dev.osgimon.itests.influx;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.osgimon.core.internal.delivery.Outbox;
import dev.osgimon.core.internal.delivery.ParsedTarget;
import dev.osgimon.influxdb.http.internal.InfluxHttpConfig;
import dev.osgimon.influxdb.http.internal.InfluxHttpTransportFactory;

/**
 * Writers of the influxdb-http bundle used without a framework, configured like the PID would, behind
 * the core's outbox (which buffers, retries and counts) as the core uses them.
 */
final class HttpConfigs {

    private HttpConfigs() {
    }

    /** A configuration with the metatype defaults, overridden by {@code props} (property name → value). */
    static InfluxHttpConfig config(Map<String, Object> props) {
        return (InfluxHttpConfig) Proxy.newProxyInstance(InfluxHttpConfig.class.getClassLoader(),
                new Class<?>[] {InfluxHttpConfig.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return InfluxHttpConfig.class;
                        case "toString":
                            return "config";
                        case "hashCode":
                            return 0;
                        case "equals":
                            return proxy == args[0];
                        default:
                            return props.getOrDefault(method.getName(), method.getDefaultValue());
                    }
                });
    }

    static Outbox transport(String target, int bufferLines, Map<String, Object> props) {
        Outbox o = new Outbox("itest-outbox", bufferLines, 256L << 20, 50, 300);
        InfluxHttpTransportFactory factory = new InfluxHttpTransportFactory(config(props));
        o.useWriter(target, () -> factory.create(ParsedTarget.parse(target)));
        return o;
    }

    /** Sends the lines (each without its newline) in one call, as the core does for one cycle. */
    static void send(Outbox t, String... lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append('\n');
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        t.append(bytes, 0, bytes.length, lines.length);
    }
}
