package org.axdse.kernel.quant;

import java.util.Arrays;

import org.axdse.kernel.Checks;
import org.axdse.kernel.InvalidInputException;

/**
 * A weight tensor quantized to 8-bit codes, laid out {@code [outChannel][rest]} (for a convolution
 * {@code [oc][ic/groups][kh][kw]}, for a dense layer {@code [out][in]}), with per-tensor or
 * per-output-channel parameters. Immutable.
 */
public final class QuantizedWeights {
    private final QuantScheme scheme;
    private final int outChannels;
    private final int perChannelSize;
    private final byte[] codes;
    private final QuantParams[] params;
    private final boolean perChannel;

    private QuantizedWeights(QuantScheme scheme, int outChannels, int perChannelSize, byte[] codes,
                             QuantParams[] params, boolean perChannel) {
        this.scheme = scheme;
        this.outChannels = outChannels;
        this.perChannelSize = perChannelSize;
        this.codes = codes;
        this.params = params;
        this.perChannel = perChannel;
    }

    /**
     * Quantizes weights with ranges taken from their own min/max.
     *
     * @param scheme      the scheme
     * @param weights     real weights, {@code [outChannels][rest]}
     * @param outChannels leading dimension
     * @param perChannel  one range per output channel (true) or one for the tensor (false)
     * @return the quantized tensor
     */
    public static QuantizedWeights quantize(QuantScheme scheme, float[] weights, int outChannels, boolean perChannel) {
        Checks.positive("outChannels", outChannels);
        if (weights.length == 0 || weights.length % outChannels != 0) {
            throw new InvalidInputException("weights: expected a positive multiple of outChannels=" + outChannels
                    + " elements, got " + weights.length);
        }
        int size = weights.length / outChannels;
        QuantParams[] params = new QuantParams[outChannels];
        if (perChannel) {
            for (int oc = 0; oc < outChannels; oc++) {
                params[oc] = QuantParams.fromValues(scheme, weights, oc * size, (oc + 1) * size, "weights[oc=" + oc + "]");
            }
        } else {
            Arrays.fill(params, QuantParams.fromValues(scheme, weights, 0, weights.length, "weights"));
        }
        byte[] codes = new byte[weights.length];
        for (int oc = 0; oc < outChannels; oc++) {
            QuantParams p = params[oc];
            for (int i = oc * size; i < (oc + 1) * size; i++) {
                codes[i] = (byte) p.quantize(weights[i]);
            }
        }
        return new QuantizedWeights(scheme, outChannels, size, codes, params, perChannel);
    }

    /**
     * Wraps codes that are already quantized (e.g. from a quantized model or a test).
     *
     * @param codes       weight codes, {@code [outChannels][rest]}, as the code values (0..255 or -128..127)
     * @param outChannels leading dimension
     * @param params      one parameter set for the tensor, or one per output channel
     * @return the tensor
     */
    public static QuantizedWeights ofCodes(int[] codes, int outChannels, QuantParams... params) {
        Checks.positive("outChannels", outChannels);
        if (codes.length == 0 || codes.length % outChannels != 0) {
            throw new InvalidInputException("weight codes: expected a positive multiple of outChannels=" + outChannels
                    + " elements, got " + codes.length);
        }
        if (params.length != 1 && params.length != outChannels) {
            throw new InvalidInputException("weight quantization parameters: expected 1 or " + outChannels + ", got " + params.length);
        }
        QuantScheme scheme = params[0].scheme();
        QuantParams[] full = new QuantParams[outChannels];
        for (int oc = 0; oc < outChannels; oc++) {
            full[oc] = params[params.length == 1 ? 0 : oc];
            if (full[oc].scheme() != scheme) {
                throw new InvalidInputException("weight quantization parameters: mixed schemes " + scheme + " and " + full[oc].scheme());
            }
        }
        byte[] b = new byte[codes.length];
        int lo = scheme.signedness().minCode();
        int hi = scheme.signedness().maxCode();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < lo || codes[i] > hi) {
                throw new InvalidInputException("weight codes: element " + i + " = " + codes[i] + ", expected " + lo + ".." + hi);
            }
            b[i] = (byte) codes[i];
        }
        return new QuantizedWeights(scheme, outChannels, codes.length / outChannels, b, full, params.length != 1);
    }

    /** @return the scheme */
    public QuantScheme scheme() {
        return scheme;
    }

    /** @return the leading (output channel) dimension */
    public int outChannels() {
        return outChannels;
    }

    /** @return codes per output channel */
    public int perChannelSize() {
        return perChannelSize;
    }

    /** @return whether parameters are per output channel */
    public boolean perChannel() {
        return perChannel;
    }

    /**
     * @param index flat index into {@code [outChannels][rest]}
     * @return the code value (0..255 or -128..127)
     */
    public int code(int index) {
        return scheme == QuantScheme.UNSIGNED_AFFINE ? codes[index] & 0xFF : codes[index];
    }

    /**
     * @param outChannel an output channel
     * @return its quantization parameters
     */
    public QuantParams params(int outChannel) {
        return params[outChannel];
    }

    /**
     * @param outChannel an output channel
     * @return its zero point
     */
    public int zeroPoint(int outChannel) {
        return params[outChannel].zeroPoint();
    }

    /**
     * @param outChannel an output channel
     * @return its scale
     */
    public float scale(int outChannel) {
        return params[outChannel].scale();
    }
}
