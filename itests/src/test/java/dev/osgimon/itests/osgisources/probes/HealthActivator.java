package dev.osgimon.itests.osgisources.probes;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Registers two Felix health checks: {@value #FAILING}, which answers CRITICAL, and
 * {@value #HANGING}, which does not answer until the bundle stops.
 */
public final class HealthActivator implements BundleActivator {

    public static final String FAILING = "itest-failing";
    public static final String HANGING = "itest-hanging";

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void start(BundleContext context) {
        HealthCheck failing = () -> new Result(Result.Status.CRITICAL, "osgimon itest: failing on purpose");
        context.registerService(HealthCheck.class, failing, props(FAILING));
        HealthCheck hanging = () -> {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Result(Result.Status.OK, "released");
        };
        context.registerService(HealthCheck.class, hanging, props(HANGING));
    }

    @Override
    public void stop(BundleContext context) {
        stopped.countDown();
    }

    private static Dictionary<String, Object> props(String name) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HealthCheck.NAME, name);
        return props;
    }
}
