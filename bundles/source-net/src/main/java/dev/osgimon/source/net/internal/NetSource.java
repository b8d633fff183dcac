package dev.osgimon.source.net.internal;

import java.io.File;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.MetricSourceProperties;
import dev.osgimon.api.PointWriter;
import dev.osgimon.procfs.internal.ProcFile;

/**
 * Metric source {@code net} (tag {@code net}): per-interface counters from {@code /proc/net/dev}
 * (tag {@code interface}) and the TCP/UDP counters of {@code /proc/net/snmp} under
 * {@code interface=all}, in the layout of Telegraf's {@code net} input. Without procfs it reports
 * nothing and says so once at info.
 */
@Component(service = MetricSource.class, configurationPid = NetConfig.PID)
@Designate(ocd = NetConfig.class)
@MetricSourceProperties(name = "net", tags = "net")
public final class NetSource implements MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(NetSource.class);

    private State state;

    /**
     * Activates the source.
     *
     * @param config its configuration
     */
    @Activate
    public NetSource(NetConfig config) {
        state = new State(config);
    }

    /**
     * Takes a new configuration; counters start again from the kernel's values.
     *
     * @param config the new configuration
     */
    @Modified
    synchronized void modified(NetConfig config) {
        state.close();
        state = new State(config);
    }

    /** Closes the open procfs files. */
    @Deactivate
    synchronized void deactivate() {
        state.close();
    }

    @Override
    public void declare(Declarations d) {
        d.counter("net", "bytes_recv", "By", "Bytes received by the interface")
                .counter("net", "bytes_sent", "By", "Bytes sent by the interface")
                .counter("net", "packets_recv", "{packet}", "Packets received by the interface")
                .counter("net", "packets_sent", "{packet}", "Packets sent by the interface")
                .counter("net", "err_in", "{error}", "Receive errors of the interface")
                .counter("net", "err_out", "{error}", "Transmit errors of the interface")
                .counter("net", "drop_in", "{packet}", "Received packets the interface dropped")
                .counter("net", "drop_out", "{packet}", "Packets to send the interface dropped")
                .gauge("net", "tcp_currestab", "{connection}", "TCP connections now established or closing")
                .gauge("net", "tcp_rtoalgorithm", "", "TCP retransmission timeout algorithm (kernel constant)")
                .gauge("net", "tcp_rtomin", "ms", "Least TCP retransmission timeout (kernel constant)")
                .gauge("net", "tcp_rtomax", "ms", "Greatest TCP retransmission timeout (kernel constant)")
                .gauge("net", "tcp_maxconn", "{connection}", "Limit of TCP connections, -1 when none (kernel constant)")
                .counter("net", Declarations.ANY_FIELD, "1", "A Tcp: or Udp: counter of /proc/net/snmp (tcp_<column>, udp_<column>)");
    }

    @Override
    public synchronized void collect(PointWriter out) {
        state.collect(out);
    }

    /** Everything one configuration needs; replaced as a whole on a configuration change. */
    private static final class State {
        private final ProcFile devFile;
        private final ProcFile snmpFile;
        private final NetDev dev;
        private final NetSnmp snmp = new NetSnmp();
        private final boolean protocolStats;
        private boolean devMissingLogged;
        private boolean snmpMissingLogged;

        State(NetConfig config) {
            devFile = new ProcFile(new File(config.procRoot(), "net/dev"), 8192);
            snmpFile = new ProcFile(new File(config.procRoot(), "net/snmp"), 8192);
            dev = new NetDev(filter(config.interfaces()));
            protocolStats = config.protocolStats();
        }

        void collect(PointWriter out) {
            if (devFile.reload()) {
                devMissingLogged = false;
                dev.update(devFile.bytes(), devFile.length());
                List<NetDev.Iface> ifaces = dev.interfaces();
                for (int k = 0; k < ifaces.size(); k++) {
                    NetDev.Iface iface = ifaces.get(k);
                    if (!iface.included) {
                        continue;
                    }
                    out.point("net").tag("interface", iface.name);
                    for (int f = 0; f < NetDev.FIELDS.length; f++) {
                        long v = iface.get(f);
                        if (v >= 0) {
                            out.field(NetDev.FIELDS[f], v);
                        }
                    }
                }
            } else if (!devMissingLogged) {
                devMissingLogged = true;
                LOG.info("{} cannot be read: the net source reports no interface counters", devFile.file());
            }
            if (!protocolStats) {
                return;
            }
            if (snmpFile.reload()) {
                snmpMissingLogged = false;
                snmp.update(snmpFile.bytes(), snmpFile.length());
                int n = snmp.size();
                if (n > 0) {
                    out.point("net").tag("interface", "all");
                    for (int i = 0; i < n; i++) {
                        if (snmp.present(i)) {
                            out.field(snmp.name(i), snmp.value(i));
                        }
                    }
                }
            } else if (!snmpMissingLogged) {
                snmpMissingLogged = true;
                LOG.info("{} cannot be read: the net source reports no TCP/UDP counters", snmpFile.file());
            }
        }

        void close() {
            devFile.close();
            snmpFile.close();
        }
    }

    /**
     * @param globs interface names or globs ({@code *}, {@code ?}); empty means all but {@code lo}
     * @return the filter
     */
    static Predicate<String> filter(String[] globs) {
        if (globs == null || globs.length == 0) {
            return name -> !"lo".equals(name);
        }
        StringBuilder regex = new StringBuilder();
        for (String glob : globs) {
            String g = glob.trim();
            if (g.isEmpty()) {
                continue;
            }
            if (regex.length() > 0) {
                regex.append('|');
            }
            for (String part : g.split("(?=[*?])|(?<=[*?])")) {
                regex.append(part.equals("*") ? ".*" : part.equals("?") ? "." : Pattern.quote(part));
            }
        }
        if (regex.length() == 0) {
            return name -> !"lo".equals(name);
        }
        Pattern pattern = Pattern.compile(regex.toString());
        return name -> pattern.matcher(name).matches();
    }
}
