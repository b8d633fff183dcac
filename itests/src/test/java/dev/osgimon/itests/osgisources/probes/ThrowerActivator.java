package dev.osgimon.itests.osgisources.probes;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;

/**
 * A bundle whose service listener throws when its own service registers: the framework catches it
 * and publishes a framework event of type ERROR.
 */
public final class ThrowerActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) throws InvalidSyntaxException {
        context.addServiceListener(event -> {
            throw new IllegalStateException("osgimon itest: a service listener that fails on purpose");
        }, "(itest.thrower=true)");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("itest.thrower", "true");
        Runnable nothing = () -> { };
        context.registerService(Runnable.class, nothing, props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework removes the listener and the service
    }
}
