package dev.osgimon.source.jmx.internal;

import java.lang.management.ManagementFactory;
import java.util.Hashtable;

import javax.management.MBeanServer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import dev.osgimon.api.MetricSource;
import dev.osgimon.sourcekit.internal.Registrar;

/**
 * The {@code jmx} source as the framework runs it: a {@link JmxSource} on the platform MBean server,
 * registered once as the {@link MetricSource} named {@value #NAME} (tag {@code jmx}) by a
 * {@link Registrar}, which modifies its service property {@value Registrar#GENERATION} when the
 * source asks for another declare call (its MBeans' declarations changed), so that the core takes
 * the new ones on the registrar's thread while the source keeps its place and counters.
 */
@Component(service = {}, configurationPid = JmxConfig.PID)
@Designate(ocd = JmxConfig.class)
public final class JmxComponent {

    /** The source's name. */
    static final String NAME = "jmx";

    private final JmxSource source;
    /** Set once registered; a cycle may run before (the core binds the source inside the registration). */
    private volatile Registrar registrar;

    /**
     * Starts the source and registers it.
     *
     * @param context the bundle context to register with
     * @param config the configuration
     * @throws IllegalArgumentException if a pattern or {@code maxSeries} is malformed (nothing is then started)
     */
    @Activate
    public JmxComponent(BundleContext context, JmxConfig config) {
        this(context, ManagementFactory.getPlatformMBeanServer(), config);
    }

    /**
     * Starts the source on a given MBean server and registers it.
     *
     * @param context the bundle context to register with
     * @param server the MBean server
     * @param config the configuration
     */
    JmxComponent(BundleContext context, MBeanServer server, JmxConfig config) {
        source = new JmxSource(server, config, System::nanoTime, this::redeclare);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(MetricSource.NAME, NAME);
        props.put(MetricSource.TAGS, new String[] {"jmx"});
        try {
            registrar = new Registrar(context, props, source, "osgimon-jmx-declare");
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * Takes a new configuration (the patterns are resolved again at the next cycle). A bad one is
     * refused (logged by SCR as an error) and the previous one stays in force.
     *
     * @param config the new configuration
     * @throws IllegalArgumentException if a pattern or {@code maxSeries} is malformed
     */
    @Modified
    void modified(JmxConfig config) {
        source.modified(config);
    }

    /** Withdraws the source (stopping the registrar's thread) and stops listening to the MBean server. */
    @Deactivate
    void deactivate() {
        registrar.close();
        source.close();
    }

    /** @return the source (tests) */
    JmxSource source() {
        return source;
    }

    /**
     * Asks for another declare call (the collector thread). A request made before the registrar is
     * set is dropped: the source asks again at every cycle until the core has its declarations.
     */
    private void redeclare() {
        Registrar r = registrar;
        if (r != null) {
            r.redeclare();
        }
    }
}
