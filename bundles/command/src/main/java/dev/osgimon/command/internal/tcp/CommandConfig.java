package dev.osgimon.command.internal.tcp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@value #PID}: the command server's own PID and its one Metatype definition
 * (until the server left the core, these properties were set on the core's PID).
 */
@ObjectClassDefinition(id = CommandConfig.PID, name = "osgimon command server",
        description = "The TCP command protocol server (L, l, M, m).")
public @interface CommandConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.command";

    @AttributeDefinition(description = "TCP port of the command server (0 turns it off).", min = "0", max = "65535")
    int commandPort() default 2323;

    @AttributeDefinition(description = "Address the command server binds to.")
    String commandBind() default "127.0.0.1";

    @AttributeDefinition(description = "Most connections open at once; when full, the one idle longest is closed"
            + " so that a newcomer is served.", min = "1")
    int commandMaxClients() default 1024;
}
