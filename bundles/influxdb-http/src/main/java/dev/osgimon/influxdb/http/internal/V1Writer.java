package dev.osgimon.influxdb.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * InfluxDB 1.x {@code POST /write?db=&rp=&precision=ns} on the OkHttp client embedded with
 * influxdb-client-java (whose own v1 support needs the {@code /api/v2/write} endpoint of InfluxDB
 * 1.8+). Also works against the 1.x compatibility API of InfluxDB 2.x/3.x and QuestDB's {@code /write}.
 * Credentials travel in the {@code Authorization} header, never in the URL.
 */
final class V1Writer implements BatchWriter {

    private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

    private final OkHttpClient http;
    private final HttpUrl url;
    private final String authorization;
    private final boolean gzip;
    private final ByteArrayOutputStream compressed = new ByteArrayOutputStream();

    V1Writer(Settings settings) {
        this.http = HttpClients.builder(settings).build();
        HttpUrl.Builder u = HttpUrl.get(settings.baseUrl()).newBuilder().addPathSegment("write")
                .addQueryParameter("db", settings.database());
        if (!settings.retentionPolicy().isEmpty()) {
            u.addQueryParameter("rp", settings.retentionPolicy());
        }
        this.url = u.addQueryParameter("precision", "ns").build();
        if (!settings.token().isEmpty()) {
            authorization = "Token " + settings.token().reveal();
        } else if (!settings.username().isEmpty()) {
            authorization = Credentials.basic(settings.username(), settings.password().reveal());
        } else {
            authorization = null;
        }
        this.gzip = settings.gzip();
    }

    @Override
    public void write(byte[] body, int len) throws WriteFailure {
        Request.Builder request = new Request.Builder().url(url);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (gzip) {
            request.header("Content-Encoding", "gzip").post(RequestBody.create(gzip(body, len), TEXT));
        } else {
            request.post(RequestBody.create(body, TEXT, 0, len));
        }
        try (Response response = http.newCall(request.build()).execute()) {
            if (response.isSuccessful()) {
                return;
            }
            ResponseBody answer = response.body();
            String text = answer == null ? "" : BatchWriter.shorten(answer.string());
            throw new WriteFailure(response.code(), "HTTP " + response.code() + " " + text,
                    BatchWriter.retryAfterMillis(response.header("Retry-After")));
        } catch (IOException | RuntimeException e) {
            throw new WriteFailure(0, e.getClass().getSimpleName() + ": " + BatchWriter.shorten(e.getMessage()), 0);
        }
    }

    private byte[] gzip(byte[] body, int len) throws WriteFailure {
        compressed.reset();
        try (GZIPOutputStream out = new GZIPOutputStream(compressed, 8192)) {
            out.write(body, 0, len);
        } catch (IOException e) {
            throw new WriteFailure(0, "gzip: " + e.getMessage(), 0);
        }
        return compressed.toByteArray();
    }

    @Override
    public void abort() {
        http.dispatcher().cancelAll();
    }

    @Override
    public void close() {
        HttpClients.shutdown(http);
    }
}
