package org.axdse.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.data.DataSets;
import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.data.Normalization;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.onnx.OnnxImporter;
import org.axdse.kernel.onnx.OnnxModelWriter;
import org.axdse.job.train.LeNetTrainer;
import org.axdse.job.train.ResNet8Trainer;

/**
 * {@code axdse train [--arch lenet5|resnet8] [--out FILE] [--data fashion-mnist|DIR] [--epochs N] [--width W]
 * [--seed S] [--images N]}: trains a bundled model on a 28x28 one-channel data set and writes it as ONNX,
 * then reports its FP32 test accuracy as AxDSE's importer computes it.
 */
final class TrainCommand {
    private final PrintStream out;

    TrainCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        Options o = new Options("train", args, Set.of("--arch", "--out", "--data", "--epochs", "--seed", "--images", "--width"),
                Set.of());
        o.positional();
        String arch = o.oneOf("--arch", o.get("--arch", "lenet5"), "lenet5", "resnet8");
        Path file = Path.of(o.get("--out", AxdseCli.HOME.resolve(arch.equals("lenet5") ? BundledModel.SOURCE_PATH
                : BundledModel.SOURCE_PATH.replace("lenet5", "resnet8")).toString()));
        String data = o.get("--data", "fashion-mnist");
        long seed;
        try {
            seed = Long.parseLong(o.get("--seed", String.valueOf(LeNetTrainer.Recipe.DEFAULT.seed())));
        } catch (NumberFormatException e) {
            throw new AxdseException("--seed: expected an integer, got '" + o.get("--seed", "") + "'");
        }
        int images = positiveInt(o, "--images", 60_000);
        ImageSet train = DataSets.read(data, DataSets.Split.TRAIN, images, Normalization.UNIT);
        long t0 = System.nanoTime();
        Object recipe;
        byte[] model;
        if (arch.equals("lenet5")) {
            LeNetTrainer.Recipe d = LeNetTrainer.Recipe.DEFAULT;
            LeNetTrainer.Recipe r = new LeNetTrainer.Recipe(positiveInt(o, "--epochs", d.epochs()), d.batchSize(), d.learningRate(), seed);
            recipe = r;
            model = LeNetTrainer.train(train, r);
        } else {
            ResNet8Trainer.Recipe d = ResNet8Trainer.Recipe.DEFAULT;
            ResNet8Trainer.Recipe r = new ResNet8Trainer.Recipe(positiveInt(o, "--width", d.width()),
                    positiveInt(o, "--epochs", d.epochs()), d.batchSize(), d.learningRate(), seed);
            recipe = r;
            model = ResNet8Trainer.train(train, r);
        }
        OnnxModelWriter.write(model, file);
        double seconds = (System.nanoTime() - t0) / 1e9;
        var net = OnnxImporter.load(file);
        ImageSet test = DataSets.read(data, DataSets.Split.TEST, -1, Normalization.UNIT);
        Evaluator.Result r = Evaluator.evaluate(net, test, null, Assignment.uniform(null, net.layers().size()), 256);
        out.printf(Locale.ROOT, "trained %s in %.0f s (%s); FP32 test accuracy %.4f (%d/%d); wrote %s%n", arch, seconds,
                recipe, r.accuracy(), r.correct(), r.total(), file);
        return 0;
    }

    static int positiveInt(Options o, String option, int defaultValue) {
        String v = o.get(option, String.valueOf(defaultValue));
        try {
            int i = Integer.parseInt(v);
            if (i < 1) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new AxdseException(option + ": expected a positive integer, got '" + v + "'");
        }
    }
}
