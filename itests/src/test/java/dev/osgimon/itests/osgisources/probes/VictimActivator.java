package dev.osgimon.itests.osgisources.probes;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.cm.ManagedService;

/**
 * A bundle that stops itself when the configuration {@value #PID} arrives (a {@code .cfg} file in
 * the distribution's {@code etc/}): a test can stop a bundle from outside the framework.
 */
public final class VictimActivator implements BundleActivator, ManagedService {

    public static final String PID = "itest.victim";

    private BundleContext context;

    @Override
    public void start(BundleContext context) {
        this.context = context;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("service.pid", PID);
        context.registerService(ManagedService.class, this, props);
    }

    @Override
    public void stop(BundleContext context) {
        this.context = null;
    }

    @Override
    public void updated(Dictionary<String, ?> properties) {
        BundleContext c = context;
        if (properties != null && c != null) {
            Thread stopper = new Thread(() -> {
                try {
                    c.getBundle().stop();
                } catch (BundleException | IllegalStateException e) {
                    throw new IllegalStateException(e);
                }
            }, "itest-victim-stop");
            stopper.start();
        }
    }
}
