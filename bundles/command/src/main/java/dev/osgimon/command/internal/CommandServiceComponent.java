package dev.osgimon.command.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.osgimon.api.admin.CommandService;
import dev.osgimon.api.admin.LogLevelAdmin;
import dev.osgimon.api.admin.MetricCatalog;
import dev.osgimon.api.admin.SourceControl;

/**
 * The {@link CommandService}: parses a protocol line and runs it against {@link SourceControl}
 * and, when they are there, {@link LogLevelAdmin} and {@link MetricCatalog}.
 */
@Component(service = CommandService.class)
public final class CommandServiceComponent implements CommandService {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LogLevelAdmin levels;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetricCatalog catalog;

    private final CommandProcessor processor;

    /**
     * Creates the service.
     *
     * @param sources the source switch
     */
    @Activate
    public CommandServiceComponent(@Reference SourceControl sources) {
        this.processor = new CommandProcessor(sources, () -> levels, () -> catalog);
    }

    @Override
    public String execute(String line, String who) {
        return processor.execute(line, who);
    }
}
