package dev.osgimon.influxdb.http.internal;

import java.nio.charset.StandardCharsets;

import com.influxdb.LogLevel;
import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.exceptions.InfluxException;

import okhttp3.OkHttpClient;

/**
 * The v2 write API ({@code POST /api/v2/write?org=&bucket=&precision=ns}) through
 * influxdb-client-java: InfluxDB 2.x, InfluxDB 3, InfluxDB 1.8+ compatibility and QuestDB. The
 * client's blocking write API is used; batching, buffering and retries are the transport's, so that
 * lines are counted exactly and can be handed over on reconfiguration.
 */
final class V2Writer implements BatchWriter {

    private final OkHttpClient.Builder http;
    private final InfluxDBClient client;
    private final WriteApiBlocking api;
    private final String org;
    private final String bucket;
    private final OkHttpClient control;

    V2Writer(Settings settings) {
        this.http = HttpClients.builder(settings);
        // the dispatcher and pool are shared by every client built from this builder, so that
        // 'control' can cancel the client's calls and close its connections
        this.control = http.build();
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder()
                .url(settings.baseUrl())
                .okHttpClient(http)
                .logLevel(LogLevel.NONE)
                .org(settings.org())
                .bucket(settings.bucket())
                .precision(WritePrecision.NS);
        if (!settings.token().isEmpty()) {
            options.authenticateToken(settings.token().reveal().toCharArray());
        }
        this.client = InfluxDBClientFactory.create(options.build());
        if (settings.gzip()) {
            client.enableGzip();
        }
        this.api = client.getWriteApiBlocking();
        this.org = settings.org();
        this.bucket = settings.bucket();
    }

    @Override
    public void write(byte[] body, int len) throws WriteFailure {
        try {
            api.writeRecord(bucket, org, WritePrecision.NS, new String(body, 0, len, StandardCharsets.UTF_8));
        } catch (InfluxException e) {
            int status = e.status();
            if (status == 0) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new WriteFailure(0, cause.getClass().getSimpleName() + ": "
                        + BatchWriter.shorten(cause.getMessage()), 0);
            }
            throw new WriteFailure(status, "HTTP " + status + " " + BatchWriter.shorten(e.getMessage()),
                    BatchWriter.retryAfterMillis(e.headers().get("Retry-After")));
        } catch (RuntimeException e) {
            throw new WriteFailure(0, e.getClass().getSimpleName() + ": " + BatchWriter.shorten(e.getMessage()), 0);
        }
    }

    @Override
    public void abort() {
        control.dispatcher().cancelAll();
    }

    @Override
    public void close() {
        client.close();
        HttpClients.shutdown(control);
    }
}
