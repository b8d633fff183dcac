package dev.osgimon.source.jmx.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

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
 */
final class PlatformGetters {

    /** The object and the getter of each attribute. */
    record Direct(Object target, Method[] getters) {
    }

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
            Method[] getters = new Method[attributes.length];
            for (int i = 0; i < attributes.length; i++) {
                getters[i] = getter(type, attributes[i]);
                if (getters[i] == null) {
                    return null;
                }
            }
            return new Direct(target, getters);
        } catch (ClassNotFoundException | IllegalArgumentException | JMException | LinkageError | SecurityException e) {
            return null;
        }
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
