package dev.osgimon.influxdb.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@value #PID}: how lines reach an {@code http://} or {@code https://} target.
 * When {@link #database()} is set the InfluxDB 1.x API {@code /write?db=} is used, otherwise the
 * v2 API {@code /api/v2/write} through influxdb-client-java.
 */
@ObjectClassDefinition(id = InfluxHttpConfig.PID, name = "osgimon InfluxDB HTTP transport",
        description = "Settings for http:// and https:// targets of dev.osgimon.core: InfluxDB 1.x (database),"
                + " InfluxDB 2.x/3.x and QuestDB (org, bucket, token).")
public @interface InfluxHttpConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.influxdb.http";

    /** Default of {@link #org()} and {@link #bucket()}, also used when they are set empty. */
    String DEFAULT_NAME = "osgimon";

    @AttributeDefinition(description = "v2 API: organization (InfluxDB 2.x; ignored by InfluxDB 3 and QuestDB)."
            + " Empty means osgimon.", required = false)
    String org() default DEFAULT_NAME;

    @AttributeDefinition(description = "v2 API: bucket (InfluxDB 2.x), database (InfluxDB 3). Empty means osgimon.",
            required = false)
    String bucket() default DEFAULT_NAME;

    @AttributeDefinition(description = "API token, sent as 'Authorization: Token ...' (v2, and /write when set).",
            type = AttributeType.PASSWORD, required = false)
    String token() default "";

    @AttributeDefinition(description = "InfluxDB 1.x database. When set, lines go to /write?db=<database>&precision=ns.",
            required = false)
    String database() default "";

    @AttributeDefinition(description = "InfluxDB 1.x retention policy (empty: the database's default).",
            required = false)
    String retentionPolicy() default "";

    @AttributeDefinition(description = "InfluxDB 1.x user (HTTP basic authentication on /write).", required = false)
    String username() default "";

    @AttributeDefinition(description = "InfluxDB 1.x password.", type = AttributeType.PASSWORD, required = false)
    String password() default "";

    @AttributeDefinition(description = "Compress request bodies with gzip.")
    boolean gzip() default true;

    @AttributeDefinition(description = "Most lines in one HTTP request.", min = "1")
    int batchSize() default 5000;

    @AttributeDefinition(description = "Milliseconds to connect, and to send one request and read its answer.",
            min = "1")
    int timeout() default 10000;
}
