package dev.osgimon.core.internal;

import org.osgi.service.component.ComponentServiceObjects;

/**
 * A whiteboard service (a {@link dev.osgimon.api.model.CycleObserver} or a deprecated
 * {@link dev.osgimon.api.CycleListener}) got from its service objects only when the first cycle is
 * told, on the collector thread. Getting it at bind time would activate the service's component
 * while the core is still activating; one that needs a core service in turn (the operator page
 * needs {@code SourceControl}) would make a circular reference that SCR refuses.
 *
 * @param <S> the service type
 */
final class LazyService<S> {

    private final ComponentServiceObjects<S> service;
    private volatile S instance;

    LazyService(ComponentServiceObjects<S> service) {
        this.service = service;
    }

    /** @return the service, got now if not yet; null if it is gone or could not be activated (asked again next cycle) */
    S get() {
        S s = instance;
        if (s == null) {
            s = service.getService();
            instance = s;
        }
        return s;
    }

    /** Gives the service back (unbind). */
    void release() {
        S s = instance;
        instance = null;
        if (s != null) {
            try {
                service.ungetService(s);
            } catch (IllegalStateException | IllegalArgumentException alreadyGone) {
                // the service's bundle stopped first
            }
        }
    }

    @Override
    public String toString() {
        return "service " + service.getServiceReference();
    }
}
