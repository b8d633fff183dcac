package dev.osgimon.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/**
 * A short run of the cost probe against the built distribution: three cycles at 1 s, no warm-up.
 * It asserts only that the probe produces its table and chart; the figures are docs/cost.md's.
 */
class CostProbeSmokeTest {

    @Test
    void theProbeWritesItsTableAndChart() throws Exception {
        Path out = Path.of("target/cost-smoke/cost.md");
        Path png = Path.of("target/cost-smoke/cost-smoke.png");
        Files.deleteIfExists(out);
        Files.deleteIfExists(png);
        CostProbe probe = new CostProbe(Map.of("dist", System.getProperty("osgimon.dist", "../distribution/target/osgimon"),
                "interval", "1", "cycles", "3", "warmup", "0", "label", "smoke", "out", out.toString(),
                "png", png.toString()), "CostProbeSmokeTest");

        CostProbe.Result r = probe.run();

        String md = Files.readString(out);
        assertThat(md).contains("<!-- cost-probe:smoke -->", "| source | cold (1st) | 3rd |", "| **whole cycle** |",
                "| allocation per cycle, collector thread |", "![smoke");
        assertThat(md).containsPattern("\\| osgi \\| [0-9.,–]+ \\|");
        assertThat(md).containsPattern("\\| disk spool append per cycle \\(`osgimon.append_time_ns`\\), median / p99 \\| [0-9.,]+ / ");
        assertThat(r.section()).isNotBlank();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(960);
    }
}
