package dev.osgimon.source.process.internal;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Context switches of the whole process: {@code /proc/self/status} only counts those of the main
 * thread, so this sums {@code voluntary_ctxt_switches} and {@code nonvoluntary_ctxt_switches} over
 * {@code /proc/self/task/<tid>/status}. A thread that has ended takes its count with it, so the sum
 * may go down when threads end. One status file at a time is opened and closed; a thread that ends
 * while it is read is skipped.
 */
final class ThreadSwitches {

    private final File taskDir;
    private final ProcStatus status = new ProcStatus();
    private byte[] buffer = new byte[4096];
    private long voluntary;
    private long involuntary;

    ThreadSwitches(File taskDir) {
        this.taskDir = taskDir;
    }

    /**
     * Reads every thread's status again.
     *
     * @return whether the task folder could be listed
     */
    boolean reload() {
        String[] tids = taskDir.list();
        voluntary = 0;
        involuntary = 0;
        if (tids == null) {
            return false;
        }
        for (String tid : tids) {
            int n = read(new File(taskDir, tid + "/status"));
            if (n > 0) {
                status.parse(buffer, n);
                long v = status.get(ProcStatus.CTX_VOLUNTARY);
                long i = status.get(ProcStatus.CTX_INVOLUNTARY);
                voluntary += Math.max(v, 0);
                involuntary += Math.max(i, 0);
            }
        }
        return true;
    }

    /** @return voluntary switches summed over the live threads at the last {@link #reload()} */
    long voluntary() {
        return voluntary;
    }

    /** @return involuntary switches summed over the live threads at the last {@link #reload()} */
    long involuntary() {
        return involuntary;
    }

    private int read(File file) {
        try (RandomAccessFile f = new RandomAccessFile(file, "r")) {
            int n = 0;
            int r;
            while ((r = f.read(buffer, n, buffer.length - n)) > 0) {
                n += r;
                if (n == buffer.length) {
                    if (buffer.length >= 1 << 20) {
                        break;
                    }
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
            }
            return n;
        } catch (IOException | SecurityException e) {
            return 0; // the thread has ended
        }
    }
}
