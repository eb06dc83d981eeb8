package org.axdse.job.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import org.apache.hadoop.conf.Configuration;
import org.axdse.job.config.JobConfig;
import org.axdse.job.exec.HadoopStorage;
import org.axdse.job.search.Candidate;
import org.axdse.job.search.ErrorModelStrategy;
import org.axdse.job.search.Nsga2Settings;
import org.axdse.job.search.Nsga2Strategy;
import org.axdse.job.search.RegionOfInterest;
import org.axdse.job.search.SearchSpace;
import org.axdse.job.search.Strategies;
import org.axdse.job.search.Strategy;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.estimate.ErrorModel;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the strategy of {@code axdse.strategy} from the run's settings. */
final class StrategyFactory {
    private static final Logger LOG = LoggerFactory.getLogger(StrategyFactory.class);

    private StrategyFactory() {
    }

    /**
     * Builds the strategy before any work, so that its settings fail early. The error-model strategy needs the
     * per-layer costs, which may be measured by the sensitivity stage: it is built when generation 0 is
     * proposed, after that stage.
     *
     * @param run        the run
     * @param hadoop     for reading the list strategy's file
     * @param errorModel the error model, asked for when the error-model strategy is built
     * @param ledger     the run's evaluations (measured costs come from its sensitivity stage), idem
     * @return the strategy
     */
    static Strategy create(ResolvedRun run, Configuration hadoop, Supplier<ErrorModel> errorModel, Supplier<RunLedger> ledger) {
        JobConfig cfg = run.config();
        SearchSpace space = run.space();
        RegionOfInterest region = new RegionOfInterest(run.baseline().id(), cfg.get(JobConfig.MAX_DROP));
        return switch (cfg.get(JobConfig.STRATEGY)) {
            case UNIFORM -> Strategies.uniform(space);
            case EXHAUSTIVE -> Strategies.exhaustive(space, cfg.get(JobConfig.EXHAUSTIVE_MAX), JobConfig.EXHAUSTIVE_MAX.name());
            case RANDOM -> Strategies.random(space, cfg.get(JobConfig.RANDOM_SAMPLES), cfg.get(JobConfig.SEED));
            case NSGA2 -> nsga2(run, region);
            case LIST -> list(run, hadoop);
            case ERROR_MODEL -> new Strategy() {
                private Strategy built;

                @Override
                public List<Candidate> propose(int generation, List<Evaluated> history) {
                    if (built == null) {
                        built = errorModel(run, errorModel.get(), ledger.get(), region);
                    }
                    return built.propose(generation, history);
                }
            };
        };
    }

    private static Strategy nsga2(ResolvedRun run, RegionOfInterest region) {
        JobConfig cfg = run.config();
        Nsga2Settings settings = new Nsga2Settings(cfg.get(JobConfig.NSGA2_POPULATION), cfg.get(JobConfig.NSGA2_GENERATIONS),
                cfg.get(JobConfig.NSGA2_CROSSOVER), cfg.get(JobConfig.NSGA2_MUTATION), cfg.get(JobConfig.NSGA2_TILES),
                cfg.get(JobConfig.SEED), cfg.get(JobConfig.NSGA2_SEED_UNIFORM));
        Nsga2Strategy s = new Nsga2Strategy(run.space(), settings, region, relativeEnergy(run));
        List<String> seeds = s.uniformSeeds();
        if (!seeds.isEmpty()) {
            LOG.info("nsga2: {} uniform assignment(s) seed the initial population of {} ({}={}): {}", seeds.size(),
                    settings.population(), JobConfig.NSGA2_SEED_UNIFORM.name(), JobConfig.NSGA2_SEED_UNIFORM.format(settings.seeding()),
                    String.join(", ", seeds));
        }
        return s;
    }

    /** @return the relative energy of an assignment of the run's multiplier names */
    private static ToDoubleFunction<List<String>> relativeEnergy(ResolvedRun run) {
        Network net = run.network();
        MultiplierLibrary library = run.library();
        return names -> Energy.relative(net, Assignment.ofNames(names, m -> library.get(m).table()), library);
    }

    private static Strategy list(ResolvedRun run, Configuration hadoop) {
        String file = run.listFile();
        try {
            return Strategies.list(new String(HadoopStorage.readAll(file, hadoop), StandardCharsets.UTF_8).lines().toList(), file,
                    run.space());
        } catch (IOException e) {
            throw new InvalidInputException(JobConfig.LIST_FILE.name() + ": cannot read " + file + " (" + e + ")", e);
        }
    }

    /** The error-model strategy with predicted or measured costs (see {@link ErrorModelStrategy}). */
    private static Strategy errorModel(ResolvedRun run, ErrorModel model, RunLedger ledger, RegionOfInterest region) {
        JobConfig cfg = run.config();
        boolean measured = cfg.get(JobConfig.ERROR_MODEL_COST).measured(cfg.get(JobConfig.SENSITIVITY));
        SearchSpace space = run.space();
        Network net = run.network();
        MultiplierLibrary library = run.library();
        List<String> baseline = run.baseline().names();
        int n = space.layers();
        double[][] cost = new double[n][];
        double[][] energy = new double[n][];
        double base = measured ? ledger.evaluation(run.baseline().id()).accuracy() : Double.NaN;
        for (int l = 0; l < n; l++) {
            List<String> options = space.options().get(l);
            cost[l] = new double[options.size()];
            energy[l] = new double[options.size()];
            for (int k = 0; k < options.size() && space.approximable(l); k++) {
                MultiplierLibrary.Entry e = library.get(options.get(k));
                energy[l][k] = net.layers().get(l).macsPerImage() * e.info().power();
                if (measured) {
                    List<String> names = new ArrayList<>(baseline);
                    names.set(l, options.get(k));
                    cost[l][k] = Math.max(0, base - ledger.evaluation(Candidate.of(0, names).id()).accuracy());
                } else {
                    cost[l][k] = Math.max(0, model.predictedAccuracyDrop(l, e.table()));
                }
            }
        }
        ErrorModelStrategy s = new ErrorModelStrategy(space, cost, energy, cfg.get(JobConfig.ERROR_MODEL_LEVELS),
                cfg.get(JobConfig.ERROR_MODEL_REFINE), cfg.get(JobConfig.ERROR_MODEL_REFINE_GENERATIONS), region,
                relativeEnergy(run));
        LOG.info("error-model strategy ({} costs): {}", measured ? "measured" : "predicted", s);
        return s;
    }
}
