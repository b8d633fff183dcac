package dev.osgimon.itests.osgisources.probes;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A bundle that registers two MXBeans on the platform MBean server while it runs: {@value #GOOD} with
 * a long attribute {@code Requests} and a {@code CompositeData} attribute {@code Usage} (a
 * {@link MemoryUsage}), and {@value #BROKEN} whose {@code Bad} getter throws next to a readable
 * {@code Good}. It unregisters them when it stops.
 */
public final class JmxProbeActivator implements BundleActivator {

    public static final String GOOD = "dev.osgimon.itest:type=Probe,name=good";
    public static final String BROKEN = "dev.osgimon.itest:type=Probe,name=broken";
    public static final long REQUESTS = 4711;
    public static final long INIT = 1024;
    public static final long USED = 2048;
    public static final long COMMITTED = 4096;
    public static final long MAX = 8192;
    public static final int GOOD_VALUE = 5;

    /** The probe's interface: a number and a composite. */
    public interface ProbeMXBean {
        long getRequests();

        MemoryUsage getUsage();
    }

    /** An interface with a getter that throws. */
    public interface BrokenProbeMXBean {
        int getGood();

        int getBad();
    }

    /** The probe. */
    public static final class Probe implements ProbeMXBean {
        @Override
        public long getRequests() {
            return REQUESTS;
        }

        @Override
        public MemoryUsage getUsage() {
            return new MemoryUsage(INIT, USED, COMMITTED, MAX);
        }
    }

    /** The broken probe. */
    public static final class BrokenProbe implements BrokenProbeMXBean {
        @Override
        public int getGood() {
            return GOOD_VALUE;
        }

        @Override
        public int getBad() {
            throw new IllegalStateException("itest: this getter always throws");
        }
    }

    @Override
    public void start(BundleContext context) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        server.registerMBean(new Probe(), new ObjectName(GOOD));
        server.registerMBean(new BrokenProbe(), new ObjectName(BROKEN));
    }

    @Override
    public void stop(BundleContext context) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        server.unregisterMBean(new ObjectName(GOOD));
        server.unregisterMBean(new ObjectName(BROKEN));
    }
}
