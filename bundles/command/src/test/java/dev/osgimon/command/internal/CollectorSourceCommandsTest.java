package dev.osgimon.command.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.core.internal.Collector;
import dev.osgimon.core.internal.CoreConfig;

/**
 * The M/m contract against the core's real {@link SourceControl}, the {@link Collector}, with
 * its own {@code monitoring} source. Sources are bound as DS would bind them.
 */
class CollectorSourceCommandsTest extends SourceCommandsContract {

    private final AtomicLong serviceIds = new AtomicLong(100);
    private Collector collector;
    private Method addSource;

    @Override
    SourceControl create() throws Exception {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
                    }
                    return null;
                });
        // an interval of an hour: no cycle runs during the test
        collector = new Collector(context, config(Map.of("interval", 3600,
                "target", "tcp://127.0.0.1:9")));
        addSource = Collector.class.getDeclaredMethod("addSource", MetricSource.class, Map.class);
        addSource.setAccessible(true);
        register("monitoring", "internal"); // what the collector registers for itself through the framework
        return collector;
    }

    @Override
    void register(String name, String... tags) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.SERVICE_ID, serviceIds.incrementAndGet());
        props.put(MetricSource.NAME, name);
        props.put(MetricSource.TAGS, tags);
        MetricSource source = out -> out.point(name).field("value", 1L);
        addSource.invoke(collector, source, props);
    }

    @Override
    void dispose() throws Exception {
        Method deactivate = Collector.class.getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(collector);
    }

    @Override
    String allSources(String memory, String net, String netSolo5, String http) {
        return "http:" + http + ",memory:" + memory + ",monitoring:X,net:" + net + ",net-solo5:" + netSolo5;
    }

    private static CoreConfig config(Map<String, Object> values) {
        return (CoreConfig) Proxy.newProxyInstance(CoreConfig.class.getClassLoader(), new Class<?>[] {CoreConfig.class},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getDefaultValue());
    }
}
