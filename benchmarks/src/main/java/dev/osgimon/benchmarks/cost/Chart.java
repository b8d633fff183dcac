package dev.osgimon.benchmarks.cost;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

/** The probe's chart, drawn with java.awt (headless): collect time per source over the cycles, log scale. */
final class Chart {

    private static final int W = 960;
    private static final int H = 540;
    private static final int LEFT = 80;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    private Chart() {
    }

    static void write(Path file, List<LineReceiver.Cycle> cycles, int windowStart, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int n = Math.max(cycles.size(), 2);
            // y: log10 of µs, from 1 µs to the decade above the largest value
            double maxUs = 10;
            Set<String> sources = new LinkedHashSet<>();
            for (LineReceiver.Cycle c : cycles) {
                sources.addAll(c.collectNs.keySet());
                for (long ns : c.collectNs.values()) {
                    maxUs = Math.max(maxUs, ns / 1000.0);
                }
                maxUs = Math.max(maxUs, c.cycleTimeNs / 1000.0);
            }
            int top = (int) Math.ceil(Math.log10(maxUs));
            int plotW = W - LEFT - RIGHT;
            int plotH = H - TOP - BOTTOM;
            g.setColor(Color.BLACK);
            g.drawString(title, LEFT, 24);
            for (int d = 0; d <= top; d++) {
                int y = TOP + plotH - plotH * d / top;
                g.setColor(new Color(0xdddddd));
                g.drawLine(LEFT, y, LEFT + plotW, y);
                g.setColor(Color.BLACK);
                String text = d < 3 ? (int) Math.pow(10, d) + " µs" : d < 6 ? (int) Math.pow(10, d - 3) + " ms" : (int) Math.pow(10, d - 6) + " s";
                g.drawString(text, LEFT - 8 - g.getFontMetrics().stringWidth(text), y + 4);
            }
            g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
            g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
            int step = Math.max(1, (n / 10 + 4) / 5 * 5);
            for (int i = 0; i < n; i += step) {
                int x = LEFT + plotW * i / (n - 1);
                g.drawLine(x, TOP + plotH, x, TOP + plotH + 4);
                String text = String.valueOf(i + 1);
                g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, TOP + plotH + 18);
            }
            g.drawString("cycle", LEFT + plotW / 2 - 15, H - 12);
            if (windowStart > 0 && windowStart < n) {
                int x = LEFT + plotW * windowStart / (n - 1);
                g.setColor(Color.GRAY);
                g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
                g.drawLine(x, TOP, x, TOP + plotH);
                g.drawString("measured →", x + 4, TOP + 12);
            }
            List<String> names = new ArrayList<>(sources);
            names.add("whole cycle");
            for (int s = 0; s < names.size(); s++) {
                String name = names.get(s);
                boolean whole = s == names.size() - 1;
                g.setColor(whole ? Color.BLACK : COLORS[s % COLORS.length]);
                g.setStroke(new BasicStroke(whole ? 2.5f : 1.5f));
                int px = -1;
                int py = -1;
                for (int i = 0; i < cycles.size(); i++) {
                    LineReceiver.Cycle c = cycles.get(i);
                    // cycle_time_ns of cycle i is reported by cycle i + 1
                    double ns = whole ? (i + 1 < cycles.size() ? cycles.get(i + 1).cycleTimeNs : -1)
                            : c.collectNs.getOrDefault(name, -1L);
                    if (ns <= 0) {
                        px = -1;
                        continue;
                    }
                    int x = LEFT + plotW * i / (n - 1);
                    double lg = Math.max(0, Math.log10(ns / 1000.0));
                    int y = TOP + plotH - (int) (plotH * lg / top);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    } else {
                        g.fillOval(x - 2, y - 2, 4, 4);
                    }
                    px = x;
                    py = y;
                }
                int ly = TOP + 10 + 18 * s;
                g.fillRect(W - RIGHT + 15, ly - 5, 18, 4);
                g.setColor(Color.BLACK);
                g.drawString(name, W - RIGHT + 40, ly);
            }
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        ImageIO.write(img, "png", file.toFile());
    }
}
