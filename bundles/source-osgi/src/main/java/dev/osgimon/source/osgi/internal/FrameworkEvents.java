package dev.osgimon.source.osgi.internal;

import java.util.concurrent.atomic.AtomicBoolean;
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
 * (registrations minus unregistrations, on top of the count when it started). It also marks what
 * the source caches as changed: the bundle counts on every bundle event (a synchronous listener sees
 * every state change), the component states on every service event (a component's service coming
 * and going, a reference's target appearing, and the modification of the Declarative Services
 * runtime's {@code service.changecount}, which SCR raises on every component state change), every
 * bundle event and a package refresh. Every method is cheap and allocation-free: listeners run on
 * the framework's threads.
 */
final class FrameworkEvents implements FrameworkListener, SynchronousBundleListener, AllServiceListener {

    final LongAdder errors = new LongAdder();
    final LongAdder warnings = new LongAdder();
    final LongAdder refreshes = new LongAdder();
    final LongAdder installs = new LongAdder();
    final LongAdder uninstalls = new LongAdder();
    final LongAdder services = new LongAdder();
    /** Set when the bundle counts may have changed; the source clears it before it counts again. */
    final AtomicBoolean bundlesChanged = new AtomicBoolean(true);
    /** Set when the component states may have changed; the source clears it before it reads them again. */
    final AtomicBoolean componentsChanged = new AtomicBoolean(true);

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
                bundlesChanged.set(true);
                componentsChanged.set(true);
                break;
            default:
                break;
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        bundlesChanged.set(true);
        componentsChanged.set(true);
        if (event.getType() == BundleEvent.INSTALLED) {
            installs.increment();
        } else if (event.getType() == BundleEvent.UNINSTALLED) {
            uninstalls.increment();
        }
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        componentsChanged.set(true);
        if (event.getType() == ServiceEvent.REGISTERED) {
            services.increment();
        } else if (event.getType() == ServiceEvent.UNREGISTERING) {
            services.decrement();
        }
    }
}
