package dev.osgimon.shell.internal;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.annotation.ElementType;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for Gogo commands: sets {@code osgi.command.scope} and
 * {@code osgi.command.function}, which both the Felix Gogo runtime and the Karaf console read.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@interface GogoCommand {

    /** Prefix of the generated property names. */
    String PREFIX_ = "osgi.command.";

    /**
     * The command scope ({@code osgi.command.scope}).
     *
     * @return the scope
     */
    String scope();

    /**
     * The command names ({@code osgi.command.function}).
     *
     * @return the names
     */
    String[] function();
}
