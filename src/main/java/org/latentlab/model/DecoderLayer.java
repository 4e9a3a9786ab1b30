package org.latentlab.model;

/**
 * One step of a decoder, as recorded while its SameDiff graph is built, so that {@link FastDecoder}
 * can replay it in plain Java. Layouts: dense W [in, out]; conv W [kH, kW, inC, outC];
 * transposed conv W [kH, kW, outC, inC]; activations are NCHW planar.
 */
record DecoderLayer(Kind kind, String w, String b, int in, int out, int inH, int inW, int k, int stride,
                    int pad, Act act, String w2, String b2) {

    enum Kind { DENSE, CONV, DECONV, RESBLOCK }

    enum Act { NONE, RELU, LEAKY, SIGMOID, TANH }

    static final float LEAKY_SLOPE = 0.2f;

    static DecoderLayer dense(String w, String b, int in, int out, Act act) {
        return new DecoderLayer(Kind.DENSE, w, b, in, out, 1, 1, 1, 1, 0, act, null, null);
    }

    static DecoderLayer conv(String w, String b, int inC, int outC, int h, int wd, int k, int s, int pad, Act act) {
        return new DecoderLayer(Kind.CONV, w, b, inC, outC, h, wd, k, s, pad, act, null, null);
    }

    static DecoderLayer deconv(String w, String b, int inC, int outC, int h, int wd, int k, int s, int pad, Act act) {
        return new DecoderLayer(Kind.DECONV, w, b, inC, outC, h, wd, k, s, pad, act, null, null);
    }

    /** y = act(x + conv2(act(conv1(x)))), both convs 3×3 stride 1 pad 1, C → C. */
    static DecoderLayer resblock(String w1, String b1, String w2, String b2, int c, int h, int wd, Act act) {
        return new DecoderLayer(Kind.RESBLOCK, w1, b1, c, c, h, wd, 3, 1, 1, act, w2, b2);
    }

    int outH() {
        return switch (kind) {
            case DENSE -> 1;
            case CONV -> (inH + 2 * pad - k) / stride + 1;
            case DECONV -> inH * stride;
            case RESBLOCK -> inH;
        };
    }

    int outW() {
        return switch (kind) {
            case DENSE -> 1;
            case CONV -> (inW + 2 * pad - k) / stride + 1;
            case DECONV -> inW * stride;
            case RESBLOCK -> inW;
        };
    }

    int outSize() {
        return kind == Kind.DENSE ? out : out * outH() * outW();
    }
}
