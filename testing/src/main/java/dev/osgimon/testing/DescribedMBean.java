package dev.osgimon.testing;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.DynamicMBean;
import javax.management.ImmutableDescriptor;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;

/**
 * A dynamic MBean whose attributes carry descriptors, as an application's would: {@code Sent}
 * (1024), a counter of bytes ({@code metricType=counter}, {@code units=bytes}); {@code Ratio} (0.5),
 * a double without a descriptor. Read-only; for the jmx source's tests, in a plain MBean server or
 * in a bundle dropped into a running distribution.
 */
public final class DescribedMBean implements DynamicMBean {

    @Override
    public Object getAttribute(String attribute) {
        return attribute.equals("Sent") ? (Object) 1024L : (Object) 0.5d;
    }

    @Override
    public void setAttribute(Attribute attribute) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList out = new AttributeList();
        for (String a : attributes) {
            out.add(new Attribute(a, getAttribute(a)));
        }
        return out;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return new MBeanInfo(DescribedMBean.class.getName(), "", new MBeanAttributeInfo[] {
            new MBeanAttributeInfo("Sent", "long", "Bytes sent", true, false, false,
                    new ImmutableDescriptor("metricType=counter", "units=bytes")),
            new MBeanAttributeInfo("Ratio", "double", "", true, false, false),
        }, null, null, null);
    }
}
