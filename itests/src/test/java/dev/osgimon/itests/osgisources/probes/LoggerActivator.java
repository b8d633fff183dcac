package dev.osgimon.itests.osgisources.probes;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bundle that logs {@value #ERRORS} errors through SLF4J when it starts. */
public final class LoggerActivator implements BundleActivator {

    public static final int ERRORS = 5;

    @Override
    public void start(BundleContext context) {
        Logger log = LoggerFactory.getLogger("dev.osgimon.itests.logger");
        for (int i = 1; i <= ERRORS; i++) {
            log.error("osgimon itest: error {} of {} on purpose", i, ERRORS);
        }
    }

    @Override
    public void stop(BundleContext context) {
        // nothing started
    }
}
