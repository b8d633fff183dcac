/** The http/https transport: InfluxDB v2 API through influxdb-client-java, and InfluxDB 1.x /write. */
package dev.osgimon.influxdb.http.internal;
