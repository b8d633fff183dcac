package dev.osgimon.itests.web.probes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Registers the Felix health check {@value #NAME}: CRITICAL while the file its bundle's header
 * {@value #FAIL_WHEN} names exists, OK otherwise. Its results are not cached by the executor, so a
 * run reads the file.
 */
public final class SwitchableHealthActivator implements BundleActivator {

    public static final String NAME = "itest-switch";
    public static final String FAIL_WHEN = "Itest-Fail-When";

    @Override
    public void start(BundleContext context) {
        Path marker = Path.of(context.getBundle().getHeaders().get(FAIL_WHEN));
        HealthCheck check = () -> Files.exists(marker)
                ? new Result(Result.Status.CRITICAL, "osgimon itest: " + marker + " exists")
                : new Result(Result.Status.OK, "osgimon itest: no " + marker);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HealthCheck.NAME, NAME);
        props.put("hc.resultCacheTtlInMs", 1L);
        context.registerService(HealthCheck.class, check, props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the check
    }
}
