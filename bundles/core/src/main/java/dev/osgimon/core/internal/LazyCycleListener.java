package dev.osgimon.core.internal;

import org.osgi.service.component.ComponentServiceObjects;

import dev.osgimon.api.CycleListener;

/**
 * A cycle listener got from its service only when the first cycle is told, on the collector
 * thread. Getting it at bind time would activate the listener's component while the core is still
 * activating; a listener that needs a core service in turn (the operator page needs
 * {@code SourceControl}) would make a circular reference that SCR refuses.
 */
final class LazyCycleListener implements CycleListener {

    private final ComponentServiceObjects<CycleListener> service;
    private volatile CycleListener instance;

    LazyCycleListener(ComponentServiceObjects<CycleListener> service) {
        this.service = service;
    }

    @Override
    public void cycleCollected(long timestampNanos, String lines) {
        CycleListener l = instance;
        if (l == null) {
            l = service.getService();
            if (l == null) {
                return; // gone, or could not be activated: asked again next cycle
            }
            instance = l;
        }
        l.cycleCollected(timestampNanos, lines);
    }

    /** Gives the service back (unbind). */
    void release() {
        CycleListener l = instance;
        instance = null;
        if (l != null) {
            try {
                service.ungetService(l);
            } catch (IllegalStateException | IllegalArgumentException alreadyGone) {
                // the listener's bundle stopped first
            }
        }
    }

    @Override
    public String toString() {
        return "cycle listener " + service.getServiceReference();
    }
}
