package dev.osgimon.itests.osgisources.probes;

/**
 * The implementation of every Declarative Services component of the churn bundles built by
 * {@code OsgiSourceChurnInFrameworkTest} (declared in XML there, copied into each bundle): it
 * offers {@link Runnable} so that the components of other churn bundles can reference it.
 */
public class ChurnComponent implements Runnable {

    @Override
    public void run() {
        // nothing: only its registration and its state matter
    }
}
