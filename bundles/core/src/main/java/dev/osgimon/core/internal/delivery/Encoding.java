package dev.osgimon.core.internal.delivery;

import dev.osgimon.api.transport.CycleEncoder;
import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.TransportFactory;

/**
 * How the collector threads encode cycles for the current target: line protocol ({@link #LINE},
 * rendered by the core) or a factory's {@link CycleEncoder}. Immutable; {@link Delivery#encoding()}
 * hands out a new one whenever the target's format may have changed, so a collector thread makes a
 * new encoder only then, never per cycle.
 */
public final class Encoding {

    /** Line protocol, rendered by the core. */
    public static final Encoding LINE = new Encoding(Formats.LINE, null, null);

    private final String format;
    private final TransportFactory factory;
    private final Target target;

    Encoding(String format, TransportFactory factory, Target target) {
        this.format = format;
        this.factory = factory;
        this.target = target;
    }

    /** @return the format of the batches */
    public String format() {
        return format;
    }

    /** @return whether cycles are rendered as line protocol by the core */
    public boolean line() {
        return factory == null;
    }

    /**
     * A new encoder for one collector thread (not for {@link #LINE}).
     *
     * @return the encoder
     * @throws IllegalStateException if the factory gives none, or one of another format than before
     */
    public CycleEncoder newEncoder() {
        if (factory == null) {
            throw new IllegalStateException("line protocol is rendered by the core");
        }
        CycleEncoder e = factory.encoder(target);
        String f = e == null ? null : e.format();
        if (!format.equals(f)) {
            throw new IllegalStateException("the transport for " + target.redacted() + " gave an encoder of format "
                    + f + " instead of " + format);
        }
        return e;
    }

    @Override
    public String toString() {
        return "Encoding[" + format + "]";
    }
}
