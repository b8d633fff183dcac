package dev.osgimon.api.admin;

import org.osgi.annotation.versioning.ProviderType;

/** The core's delivery state, for status pages and health checks. */
@ProviderType
public interface DeliveryMonitor {

    /** @return the state now */
    DeliveryStatus deliveryStatus();
}
