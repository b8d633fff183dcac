package dev.osgimon.influxdb.http.internal;

import java.util.concurrent.TimeUnit;

import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** OkHttp set-up shared by both writers: one dispatcher and one connection pool per transport. */
final class HttpClients {

    private HttpClients() {
    }

    static OkHttpClient.Builder builder(Settings settings) {
        return new OkHttpClient.Builder()
                .dispatcher(new Dispatcher())
                .connectionPool(new ConnectionPool(1, 5, TimeUnit.MINUTES))
                .connectTimeout(settings.timeoutMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.timeoutMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(settings.timeoutMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(2L * settings.timeoutMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false);
    }

    /** Cancels running calls and closes pooled connections. */
    static void shutdown(OkHttpClient client) {
        client.dispatcher().cancelAll();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
