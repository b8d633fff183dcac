package dev.osgimon.source.osgi.internal;

import java.util.concurrent.atomic.LongAdder;

import org.osgi.framework.AllServiceListener;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Counts framework events as they happen: errors, warnings, package refreshes, bundle installs and
 * uninstalls (cumulative since the source started), and keeps the number of registered services
 * (registrations minus unregistrations, on top of the count when it started). Every method is
 * cheap and allocation-free: listeners run on the framework's threads.
 */
final class FrameworkEvents implements FrameworkListener, SynchronousBundleListener, AllServiceListener {

    final LongAdder errors = new LongAdder();
    final LongAdder warnings = new LongAdder();
    final LongAdder refreshes = new LongAdder();
    final LongAdder installs = new LongAdder();
    final LongAdder uninstalls = new LongAdder();
    final LongAdder services = new LongAdder();

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        switch (event.getType()) {
            case FrameworkEvent.ERROR:
                errors.increment();
                break;
            case FrameworkEvent.WARNING:
                warnings.increment();
                break;
            case FrameworkEvent.PACKAGES_REFRESHED:
                refreshes.increment();
                break;
            default:
                break;
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.INSTALLED) {
            installs.increment();
        } else if (event.getType() == BundleEvent.UNINSTALLED) {
            uninstalls.increment();
        }
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.REGISTERED) {
            services.increment();
        } else if (event.getType() == ServiceEvent.UNREGISTERING) {
            services.decrement();
        }
    }
}
