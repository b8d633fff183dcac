package dev.osgimon.source.jmx.internal;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.PlatformManagedObject;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;

import javax.management.Descriptor;
import javax.management.JMException;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Finds the direct way to read a platform MXBean ({@code java.lang:type=ClassLoading} and the
 * like): its object from {@link ManagementFactory} and, for each attribute, the getter of its
 * management interface. An MXBean attribute of a primitive, boxed number, boolean or string type
 * is that getter's value, unconverted, so calling it gives what {@code MBeanServer.getAttributes}
 * gives, without the MBean server's per-call reflection and open-type conversion, which cost a
 * cycle tens of microseconds per MBean while that JDK code is not compiled.
 *
 * <p>The getters of the {@code java.lang.management} interfaces that a cycle reads most (those of
 * the default set among them) are plain calls ({@link #CALLS}); any other getter is called through
 * {@link Method#invoke}, itself some microseconds a call while not compiled.
 */
final class PlatformGetters {

    /** Reads one attribute of the MXBean. */
    @FunctionalInterface
    interface Getter {
        /**
         * @param target the MXBean
         * @return the attribute's value
         * @throws Exception what the getter threw
         */
        Object get(Object target) throws Exception;
    }

    /** The object and the getter of each attribute. */
    record Direct(Object target, Getter[] getters) {
    }

    /** Plain calls by {@code <interface simple name>.<attribute>}, for getters declared by a java.lang.management interface. */
    private static final Map<String, Getter> CALLS = Map.ofEntries(
            Map.entry("ClassLoadingMXBean.LoadedClassCount", t -> ((ClassLoadingMXBean) t).getLoadedClassCount()),
            Map.entry("ClassLoadingMXBean.TotalLoadedClassCount", t -> ((ClassLoadingMXBean) t).getTotalLoadedClassCount()),
            Map.entry("ClassLoadingMXBean.UnloadedClassCount", t -> ((ClassLoadingMXBean) t).getUnloadedClassCount()),
            Map.entry("CompilationMXBean.TotalCompilationTime", t -> ((CompilationMXBean) t).getTotalCompilationTime()),
            Map.entry("OperatingSystemMXBean.AvailableProcessors", t -> ((OperatingSystemMXBean) t).getAvailableProcessors()),
            Map.entry("OperatingSystemMXBean.SystemLoadAverage", t -> ((OperatingSystemMXBean) t).getSystemLoadAverage()),
            Map.entry("RuntimeMXBean.Uptime", t -> ((RuntimeMXBean) t).getUptime()),
            Map.entry("RuntimeMXBean.StartTime", t -> ((RuntimeMXBean) t).getStartTime()),
            Map.entry("ThreadMXBean.ThreadCount", t -> ((ThreadMXBean) t).getThreadCount()),
            Map.entry("ThreadMXBean.PeakThreadCount", t -> ((ThreadMXBean) t).getPeakThreadCount()),
            Map.entry("ThreadMXBean.DaemonThreadCount", t -> ((ThreadMXBean) t).getDaemonThreadCount()),
            Map.entry("ThreadMXBean.TotalStartedThreadCount", t -> ((ThreadMXBean) t).getTotalStartedThreadCount()));

    private PlatformGetters() {
    }

    /**
     * @param server the MBean server the source reads
     * @param name the MBean
     * @param info its MBeanInfo
     * @param attributes the attributes to read
     * @return the direct way, or null if the MBean is not a platform MXBean of the platform MBean
     *         server or an attribute has no getter of such a type (a composite, say)
     */
    static Direct find(MBeanServer server, ObjectName name, MBeanInfo info, String[] attributes) {
        if (server != ManagementFactory.getPlatformMBeanServer()) {
            return null;
        }
        Descriptor d = info.getDescriptor();
        Object iface = d == null ? null : d.getFieldValue("interfaceClassName");
        if (!(iface instanceof String) || !"true".equals(String.valueOf(d.getFieldValue("mxbean")))) {
            return null;
        }
        try {
            Class<?> type = Class.forName((String) iface, false, ClassLoader.getPlatformClassLoader());
            if (!type.isInterface() || !PlatformManagedObject.class.isAssignableFrom(type)
                    || !ManagementFactory.getPlatformManagementInterfaces().contains(type)) {
                return null;
            }
            Object target = null;
            @SuppressWarnings("unchecked")
            List<? extends PlatformManagedObject> beans = ManagementFactory.getPlatformMXBeans((Class<PlatformManagedObject>) type);
            for (PlatformManagedObject b : beans) {
                if (name.equals(b.getObjectName())) {
                    target = b;
                }
            }
            if (target == null || !target.getClass().getName().equals(server.getObjectInstance(name).getClassName())) {
                return null;
            }
            Getter[] getters = new Getter[attributes.length];
            for (int i = 0; i < attributes.length; i++) {
                Method m = getter(type, attributes[i]);
                if (m == null) {
                    return null;
                }
                Getter call = m.getDeclaringClass().getPackageName().equals("java.lang.management")
                        ? CALLS.get(m.getDeclaringClass().getSimpleName() + "." + attributes[i]) : null;
                getters[i] = call != null ? call : reflective(m);
            }
            return new Direct(target, getters);
        } catch (ClassNotFoundException | IllegalArgumentException | JMException | LinkageError | SecurityException e) {
            return null;
        }
    }

    private static Getter reflective(Method m) {
        return t -> {
            try {
                return m.invoke(t);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
        };
    }

    private static Method getter(Class<?> type, String attribute) {
        Method m = method(type, "get" + attribute);
        if (m == null) {
            m = method(type, "is" + attribute);
            if (m != null && m.getReturnType() != boolean.class) {
                return null;
            }
        }
        if (m == null || Modifier.isStatic(m.getModifiers())) {
            return null;
        }
        Class<?> r = m.getReturnType();
        boolean simple = (r.isPrimitive() && r != void.class && r != char.class)
                || r == Long.class || r == Integer.class || r == Short.class || r == Byte.class
                || r == Double.class || r == Float.class || r == Boolean.class || r == String.class;
        return simple ? m : null;
    }

    private static Method method(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
