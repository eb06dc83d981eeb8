/**
 * Training the bundled models ({@link org.axdse.job.train.LeNetTrainer}, {@link org.axdse.job.train.ResNet8Trainer})
 * with ND4J SameDiff and writing them as ONNX ({@link org.axdse.kernel.onnx.OnnxModelWriter}), for
 * {@code axdse train}. The only code of AxDSE that uses ND4J: it lives in spark-job so that kernel-lib, and with it
 * every executor, needs no ND4J. Runs with the local launcher ({@code submit/axdse train}), whose class path has
 * ND4J; the cluster jar leaves ND4J out.
 */
package org.axdse.job.train;
