package org.axdse.job.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;

/**
 * PNG heat map of a table's error {@code table(a, w) - a*w}: activation code down, weight code across
 * (codes in numeric order, so a signed table's 0 is in the middle), blue below the exact product, red
 * above, white exact, scaled to the largest |error|, with a colour bar.
 */
final class ErrorHeatMap {
    private static final int CELL = 2;
    private static final int LEFT = 60;
    private static final int TOP = 40;
    private static final int SIDE = 256 * CELL;

    private ErrorHeatMap() {
    }

    static void write(MultiplierTable t, Path png) {
        Signedness s = t.signedness();
        long maxAbs = 1;
        for (int i = 0; i < MultiplierTable.ENTRIES; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(t.entry(i) - (long) s.codeOf(i >>> 8) * s.codeOf(i & 0xFF)));
        }
        BufferedImage img = new BufferedImage(LEFT + SIDE + 110, TOP + SIDE + 50, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int row = 0; row < 256; row++) {
            int a = s.minCode() + row;
            for (int col = 0; col < 256; col++) {
                int w = s.minCode() + col;
                long e = t.product(a, w) - (long) a * w;
                g.setColor(color(e / (double) maxAbs));
                g.fillRect(LEFT + col * CELL, TOP + row * CELL, CELL, CELL);
            }
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawRect(LEFT - 1, TOP - 1, SIDE + 1, SIDE + 1);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(t.name() + ": error = table(a, w) - a*w", LEFT, 20);
        g.drawString("weight code w: " + s.minCode() + " .. " + s.maxCode() + " \u2192", LEFT, TOP + SIDE + 20);
        g.drawString(String.valueOf(s.minCode()), 10, TOP + 10);
        g.drawString(String.valueOf(s.maxCode()), 10, TOP + SIDE);
        g.drawString("a \u2193", 10, TOP + SIDE / 2);
        int barX = LEFT + SIDE + 20;
        for (int y = 0; y < SIDE; y++) {
            g.setColor(color(1 - 2.0 * y / (SIDE - 1)));
            g.fillRect(barX, TOP + y, 20, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(barX, TOP, 20, SIDE);
        g.drawString(String.format(Locale.ROOT, "+%d", maxAbs), barX + 24, TOP + 10);
        g.drawString("0", barX + 24, TOP + SIDE / 2 + 5);
        g.drawString(String.format(Locale.ROOT, "-%d", maxAbs), barX + 24, TOP + SIDE);
        g.dispose();
        try {
            // Encoded in memory, then written with NIO: ImageIO's own file output prints a stack trace to stderr
            // before failing when the file cannot be created.
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (javax.imageio.stream.ImageOutputStream stream = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
                ImageIO.write(img, "png", stream);
            }
            java.nio.file.Files.write(png, bytes.toByteArray());
        } catch (IOException e) {
            throw new AxdseException(png + ": cannot write the heat map (" + e + ")", e);
        }
    }

    /** -1 = saturated blue, 0 = white, +1 = saturated red. */
    private static Color color(double x) {
        double v = Math.max(-1, Math.min(1, x));
        int fade = (int) Math.round(255 * (1 - Math.abs(v)));
        return v >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }
}
