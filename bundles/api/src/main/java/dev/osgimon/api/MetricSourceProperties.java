package dev.osgimon.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for a {@link MetricSource}: sets the service properties
 * {@value MetricSource#NAME} and {@value MetricSource#TAGS} on a DS component.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface MetricSourceProperties {

    /** Prefix of the generated property names. */
    String PREFIX_ = "osgimon.source.";

    /**
     * The unique source name ({@value MetricSource#NAME}), matching {@value MetricSource#NAME_PATTERN}.
     *
     * @return the name
     */
    String name();

    /**
     * The source's tags ({@value MetricSource#TAGS}).
     *
     * @return the tags
     */
    String[] tags() default {};
}
