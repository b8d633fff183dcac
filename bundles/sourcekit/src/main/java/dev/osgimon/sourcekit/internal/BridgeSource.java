package dev.osgimon.sourcekit.internal;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.PointWriter;

/**
 * The one {@link MetricSource} a bridge keeps registered through its {@link Registrar}: each
 * {@code declare} call takes the bridge's metrics as they are then and declares them; the cycles
 * after it collect against what that call declared (replaced whole, in one volatile write). A cycle
 * that meets a metric not declared yet asks for another declare call.
 *
 * @param <D> the bridge's snapshot of what was declared
 */
public final class BridgeSource<D extends BridgeSource.Declaration> implements MetricSource {

    /** What one declare call took from the bridge. */
    public interface Declaration {
        /**
         * Declares it.
         *
         * @param d where to declare
         */
        void declare(Declarations d);
    }

    /**
     * A bridge of application metrics.
     *
     * @param <D> its snapshot of what was declared
     */
    public interface Bridge<D> {
        /** @return the metrics there are now, to declare */
        D declared();

        /**
         * Writes the metrics of one cycle.
         *
         * @param out where to write
         * @param declared what the source last declared
         * @return whether a metric was met that {@code declared} lacks (the source must be declared again)
         */
        boolean collect(PointWriter out, D declared);
    }

    private final Bridge<D> bridge;
    private final Runnable redeclare;
    private volatile D declared;

    /**
     * A source of the bridge's metrics as they are now.
     *
     * @param bridge the bridge
     * @param redeclare asks for another declare call (e.g. {@link Registrar#redeclare()}); returns at once
     */
    public BridgeSource(Bridge<D> bridge, Runnable redeclare) {
        this.bridge = bridge;
        this.redeclare = redeclare;
        this.declared = bridge.declared();
    }

    @Override
    public void declare(Declarations d) {
        D now = bridge.declared();
        now.declare(d);
        declared = now;
    }

    @Override
    public void collect(PointWriter out) {
        if (bridge.collect(out, declared)) {
            redeclare.run();
        }
    }
}
