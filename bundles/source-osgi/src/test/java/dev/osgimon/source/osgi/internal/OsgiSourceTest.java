package dev.osgimon.source.osgi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.RecordingWriter;

class OsgiSourceTest {

    private final BundleContext context = mock(BundleContext.class);
    private final ServiceComponentRuntime scr = mock(ServiceComponentRuntime.class);
    private final List<Bundle> bundles = new ArrayList<>();
    private final Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> components = new LinkedHashMap<>();

    static OsgiConfig config(boolean components, int maxProblems) {
        return new OsgiConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return OsgiConfig.class;
            }

            @Override
            public boolean components() {
                return components;
            }

            @Override
            public int maxProblems() {
                return maxProblems;
            }
        };
    }

    static Bundle bundle(int state, boolean fragment) {
        Bundle b = mock(Bundle.class);
        when(b.getState()).thenReturn(state);
        BundleRevision revision = mock(BundleRevision.class);
        when(revision.getTypes()).thenReturn(fragment ? BundleRevision.TYPE_FRAGMENT : 0);
        when(b.adapt(BundleRevision.class)).thenReturn(revision);
        return b;
    }

    void component(String name, String bsn, int state, String... missing) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        d.bundle = new BundleDTO();
        d.bundle.symbolicName = bsn;
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.description = d;
        c.state = state;
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[missing.length];
        for (int i = 0; i < missing.length; i++) {
            c.unsatisfiedReferences[i] = new UnsatisfiedReferenceDTO();
            c.unsatisfiedReferences[i].name = missing[i];
        }
        components.computeIfAbsent(d, k -> new ArrayList<>()).add(c);
    }

    @BeforeEach
    void framework() throws Exception {
        when(context.getBundles()).thenAnswer(i -> bundles.toArray(new Bundle[0]));
        when(context.getAllServiceReferences(null, null)).thenReturn(new ServiceReference<?>[7]);
        when(scr.getComponentDescriptionDTOs()).thenAnswer(i -> new ArrayList<>(components.keySet()));
        when(scr.getComponentConfigurationDTOs(any())).thenAnswer(i -> components.get(i.getArgument(0)));
    }

    @Test
    void countsBundlesByStateAndFragments() {
        bundles.add(bundle(Bundle.ACTIVE, false));
        bundles.add(bundle(Bundle.ACTIVE, false));
        bundles.add(bundle(Bundle.RESOLVED, true));
        bundles.add(bundle(Bundle.RESOLVED, false));
        bundles.add(bundle(Bundle.INSTALLED, false));
        bundles.add(bundle(Bundle.STARTING, false));
        bundles.add(bundle(Bundle.STOPPING, false));
        OsgiSource source = new OsgiSource(context, scr, config(true, 10));
        RecordingWriter out = new RecordingWriter();
        source.collect(out);
        assertThat(out.named("osgi_bundles").get(0).fields()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "installed", 1L, "resolved", 2L, "starting", 1L, "active", 2L, "stopping", 1L,
                "fragments", 1L, "total", 7L));
        // one bundle stops: active goes down by one, resolved up by one, once the framework said so
        bundles.set(0, bundle(Bundle.RESOLVED, false));
        events(source).bundleChanged(new BundleEvent(BundleEvent.STOPPED, bundles.get(0)));
        RecordingWriter after = new RecordingWriter();
        source.collect(after);
        assertThat(after.named("osgi_bundles").get(0).fields()).containsEntry("active", 1L).containsEntry("resolved", 3L);
    }

    static FrameworkEvents events(OsgiSource source) {
        return source.events();
    }

    @Test
    void aCycleWithoutAnEventReadsNoDtoAndWritesTheSamePointsAndAServiceEventReadsThemAgain() {
        bundles.add(bundle(Bundle.ACTIVE, false));
        component("a", "x.a", ComponentConfigurationDTO.ACTIVE);
        component("c", "x.c", ComponentConfigurationDTO.UNSATISFIED_REFERENCE, "db");
        OsgiSource source = new OsgiSource(context, scr, config(true, 10));
        RecordingWriter first = new RecordingWriter();
        source.collect(first);
        for (int i = 0; i < 3; i++) {
            RecordingWriter again = new RecordingWriter();
            source.collect(again);
            assertThat(again.points()).isEqualTo(first.points());
        }
        verify(scr, org.mockito.Mockito.times(1)).getComponentDescriptionDTOs();
        verify(context, org.mockito.Mockito.times(1)).getBundles();
        assertThat(source.rebuilds()).containsExactly(1L, 1L);

        // the missing reference arrives: its service's registration is the event
        components.clear();
        component("a", "x.a", ComponentConfigurationDTO.ACTIVE);
        component("c", "x.c", ComponentConfigurationDTO.ACTIVE);
        events(source).serviceChanged(new ServiceEvent(ServiceEvent.REGISTERED, mock(ServiceReference.class)));
        RecordingWriter after = new RecordingWriter();
        source.collect(after);
        assertThat(after.named("osgi_components").get(0).fields()).containsEntry("active", 2L)
                .containsEntry("unsatisfied_reference", 0L);
        assertThat(after.named("osgi_component_problem")).isEmpty();
        assertThat(source.rebuilds()).containsExactly(1L, 2L);
    }

    @Test
    void aRebuildThatFailedIsTriedAgainInTheNextCycle() {
        component("c", "x.c", ComponentConfigurationDTO.UNSATISFIED_REFERENCE, "db");
        when(scr.getComponentDescriptionDTOs()).thenThrow(new IllegalStateException("SCR is stopping"))
                .thenAnswer(i -> new ArrayList<>(components.keySet()));
        OsgiSource source = new OsgiSource(context, scr, config(true, 10));
        assertThatThrownBy(() -> source.collect(new RecordingWriter())).hasMessage("SCR is stopping");
        RecordingWriter out = new RecordingWriter();
        source.collect(out);
        assertThat(out.named("osgi_components").get(0).fields()).containsEntry("unsatisfied_reference", 1L);
        assertThat(out.named("osgi_component_problem")).hasSize(1);
    }

    @Test
    void countsComponentsAndNamesEveryProblem() {
        component("a", "x.a", ComponentConfigurationDTO.ACTIVE);
        component("b", "x.b", ComponentConfigurationDTO.SATISFIED);
        component("c", "x.c", ComponentConfigurationDTO.UNSATISFIED_REFERENCE, "db", "cache");
        component("d", "x.d", ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION);
        component("e", "x.e", ComponentConfigurationDTO.FAILED_ACTIVATION);
        components.values().iterator().next().get(0).failure = "never"; // an active one keeps its last failure
        components.get(components.keySet().stream().filter(d -> d.name.equals("e")).findFirst().get()).get(0).failure =
                "java.lang.IllegalStateException: no\n\tat x.E.<init>";
        OsgiSource source = new OsgiSource(context, scr, config(true, 10));
        RecordingWriter out = new RecordingWriter();
        source.collect(out);
        assertThat(out.named("osgi_components").get(0).fields()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "satisfied", 1L, "active", 1L, "unsatisfied_reference", 1L, "unsatisfied_configuration", 1L,
                "failed_activation", 1L, "total", 5L));
        assertThat(out.named("osgi_component_problem")).hasSize(3);
        RecordingWriter.Point c = out.one("osgi_component_problem", "component", "c");
        assertThat(c.tags()).containsEntry("bundle", "x.c");
        assertThat(c.fields()).containsEntry("state", "unsatisfied_reference").containsEntry("unsatisfied_references", "db cache");
        assertThat(out.one("osgi_component_problem", "component", "d").fields())
                .containsEntry("state", "unsatisfied_configuration");
        assertThat(out.one("osgi_component_problem", "component", "e").fields())
                .containsEntry("state", "failed_activation").extracting(f -> f.get("failure")).asString()
                .startsWith("java.lang.IllegalStateException: no");
        DeclarationCheck.assertAgree(source, out);
    }

    @Test
    void problemPointsAreBoundedButTheCountsStayComplete() {
        for (int i = 0; i < 5; i++) {
            component("p" + i, "x", ComponentConfigurationDTO.UNSATISFIED_REFERENCE, "r");
        }
        OsgiSource source = new OsgiSource(context, scr, config(true, 2));
        RecordingWriter out = new RecordingWriter();
        source.collect(out);
        assertThat(out.named("osgi_component_problem")).hasSize(2);
        assertThat(out.named("osgi_components").get(0).fields()).containsEntry("unsatisfied_reference", 5L);
        source.modified(config(false, 2));
        RecordingWriter off = new RecordingWriter();
        source.collect(off);
        assertThat(off.named("osgi_components")).isEmpty();
        assertThat(off.named("osgi_bundles")).hasSize(1);
    }

    @Test
    void aNegativeMaxProblemsIsRefusedAndChangesNothing() {
        component("p", "x", ComponentConfigurationDTO.UNSATISFIED_REFERENCE, "r");
        OsgiSource source = new OsgiSource(context, scr, config(true, 5));
        assertThatThrownBy(() -> source.modified(config(false, -1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxProblems");
        RecordingWriter out = new RecordingWriter();
        source.collect(out);
        assertThat(out.named("osgi_component_problem")).hasSize(1);
    }

    @Test
    void countsFrameworkEventsAndServicesAndRemovesItsListenersOnDeactivate() {
        OsgiSource source = new OsgiSource(context, scr, config(true, 5));
        org.mockito.ArgumentCaptor<FrameworkEvents> listener = org.mockito.ArgumentCaptor.forClass(FrameworkEvents.class);
        verify(context).addFrameworkListener(listener.capture());
        FrameworkEvents events = listener.getValue();
        Bundle b = bundle(Bundle.ACTIVE, false);
        events.frameworkEvent(new FrameworkEvent(FrameworkEvent.ERROR, b, new RuntimeException("boom")));
        events.frameworkEvent(new FrameworkEvent(FrameworkEvent.ERROR, b, null));
        events.frameworkEvent(new FrameworkEvent(FrameworkEvent.WARNING, b, null));
        events.frameworkEvent(new FrameworkEvent(FrameworkEvent.PACKAGES_REFRESHED, b, null));
        events.frameworkEvent(new FrameworkEvent(FrameworkEvent.INFO, b, null));
        events.bundleChanged(new BundleEvent(BundleEvent.INSTALLED, b));
        events.bundleChanged(new BundleEvent(BundleEvent.STARTED, b));
        events.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, b));
        ServiceReference<?> ref = mock(ServiceReference.class);
        events.serviceChanged(new ServiceEvent(ServiceEvent.REGISTERED, ref));
        events.serviceChanged(new ServiceEvent(ServiceEvent.REGISTERED, ref));
        events.serviceChanged(new ServiceEvent(ServiceEvent.UNREGISTERING, ref));
        events.serviceChanged(new ServiceEvent(ServiceEvent.MODIFIED, ref));
        RecordingWriter out = new RecordingWriter();
        source.collect(out);
        assertThat(out.named("osgi_events").get(0).fields()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "framework_errors", 2L, "framework_warnings", 1L, "bundle_installs", 1L, "bundle_uninstalls", 1L,
                "refreshes", 1L));
        assertThat(out.named("osgi_services").get(0).fields()).containsEntry("registered", 7L + 1);
        source.deactivate();
        verify(context).removeFrameworkListener(events);
        verify(context).removeBundleListener(events);
        verify(context).removeServiceListener(events);
    }
}
