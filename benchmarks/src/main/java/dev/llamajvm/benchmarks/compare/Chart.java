package dev.llamajvm.benchmarks.compare;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Draws the comparison as grouped bars (one panel per test, one group per model) with ±1 sd whiskers. */
final class Chart {

    private static final int PANEL_W = 560;
    private static final int H = 480;
    private static final Color[] COLORS = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0x59A14F)};

    private Chart() {}

    static void write(Report report, Path file, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Report.Test> tests = report.tests;
        BufferedImage image = new BufferedImage(PANEL_W * tests.size(), H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 20, 24);
        for (int i = 0; i < tests.size(); i++) {
            panel(g, report, tests.get(i), i * PANEL_W);
        }
        legend(g, image.getWidth() - 190, 40);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(Graphics2D g, Report report, Report.Test test, int x0) {
        int left = x0 + 60;
        int right = x0 + PANEL_W - 20;
        int top = 70;
        int bottom = H - 70;
        double max = 0;
        for (String model : report.byModel.keySet()) {
            for (Contender c : Contender.values()) {
                Report.Stat s = report.stat(model, c, test);
                max = Math.max(max, s.mean() + s.sd());
            }
        }
        max *= 1.1;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(test.name() + " (tokens/s, higher is better)", left, top - 12);
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);
        for (int tick = 0; tick <= 4; tick++) {
            double v = max * tick / 4;
            int y = bottom - (int) ((bottom - top) * tick / 4.0);
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.1f", v), x0 + 8, y + 4);
        }
        List<String> models = List.copyOf(report.byModel.keySet());
        int groupW = (right - left) / Math.max(1, models.size());
        int barW = groupW / 5;
        for (int m = 0; m < models.size(); m++) {
            int gx = left + m * groupW + barW;
            Contender[] contenders = Contender.values();
            for (int c = 0; c < contenders.length; c++) {
                Report.Stat s = report.stat(models.get(m), contenders[c], test);
                int h = (int) ((bottom - top) * s.mean() / max);
                int bx = gx + c * barW;
                g.setColor(COLORS[c]);
                g.fillRect(bx, bottom - h, barW - 4, h);
                g.setColor(Color.BLACK);
                int hi = bottom - (int) ((bottom - top) * (s.mean() + s.sd()) / max);
                int lo = bottom - (int) ((bottom - top) * Math.max(0, s.mean() - s.sd()) / max);
                int cx = bx + (barW - 4) / 2;
                g.setStroke(new BasicStroke(1.5f));
                g.drawLine(cx, hi, cx, lo);
                g.drawLine(cx - 4, hi, cx + 4, hi);
                g.drawLine(cx - 4, lo, cx + 4, lo);
            }
            g.drawString(shortName(models.get(m)), gx, bottom + 18);
        }
    }

    private static String shortName(String model) {
        int q = model.lastIndexOf('-');
        return q > 0 ? model.substring(q + 1) + " " + model.substring(0, Math.min(model.length(), 10)) : model;
    }

    private static void legend(Graphics2D g, int x, int y) {
        Contender[] contenders = Contender.values();
        for (int c = 0; c < contenders.length; c++) {
            g.setColor(COLORS[c]);
            g.fillRect(x, y + c * 18, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(contenders[c].label, x + 18, y + c * 18 + 11);
        }
    }
}
