"""Per-step timing of the PyTorch reference models, for `latent-lab bench`.

usage: anchor_steps.py VAE_TORCH_PY <conv|mlp>

Imports the reference script given by path (its models, loss, data reader and batch size are used
as they are, nothing is copied) and runs its bench protocol: seed 42, Adam lr 1e-3, 60 warm-up
steps, then 3 x 30 timed steps over the same permutation of Fashion-MNIST. Each step
(zero_grad, loss, backward, Adam) is timed on its own, the batch slicing outside the timer, as
Latent Lab's bench times its steps. The median of the 90 steps is what the bench compares: a
repetition of 30 steps on a shared VM often contains a stall of several hundred milliseconds,
while most single steps do not. Then encodes the 10k test images 7 times in chunks of 1000, each
chunk timed alone (10 x the fastest chunk is reported). Prints one line "RESULT {json}".
"""
import importlib.util
import json
import sys
import time

import numpy as np
import torch


def main():
    path, model_name = sys.argv[1], sys.argv[2]
    spec = importlib.util.spec_from_file_location("vae_torch_reference", path)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)

    torch.set_num_threads(1)
    torch.manual_seed(42)
    rng = np.random.default_rng(42)
    # both splits loaded before the model, in the reference's order: the allocator's state after
    # these reads decides PyTorch's speed (with only the training split read first, glibc kept
    # returning each step's buffers to the system and an MLP step took 26-44 ms instead of 8-9)
    xtr = torch.from_numpy(ref.read_images(ref.DIR + "train-images-idx3-ubyte.gz"))
    xte = torch.from_numpy(ref.read_images(ref.DIR + "t10k-images-idx3-ubyte.gz"))
    model = ref.ConvVAE(16) if model_name == "conv" else ref.MlpVAE(20)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = ref.BATCH

    def step(xb):
        opt.zero_grad(set_to_none=True)
        loss = ref.loss_fn(model, xb)
        loss.backward()
        opt.step()

    perm = torch.from_numpy(rng.permutation(xtr.shape[0]))
    pos = 0
    for _ in range(60):
        step(xtr[perm[pos:pos + batch]])
        pos += batch
    ms = []
    for _ in range(3 * 30):
        xb = xtr[perm[pos:pos + batch]]
        t = time.perf_counter()
        step(xb)
        ms.append((time.perf_counter() - t) * 1e3)
        pos += batch
        if pos + batch > xtr.shape[0]:
            pos = 0
    print(f"training step (batch {batch}): median {np.median(ms):.2f} ms over {len(ms)} steps")

    # the 10k test images in chunks of 1000 as the reference encodes them, each chunk timed alone
    # over 7 passes: the figure is the number of chunks x the fastest chunk
    model.eval()
    chunk_s = []
    with torch.no_grad():
        for _ in range(7):
            for s in range(0, xte.shape[0], 1000):
                xb = xte[s:s + 1000]
                t = time.perf_counter()
                model.encode(xb)
                chunk_s.append(time.perf_counter() - t)
    encode = (xte.shape[0] // 1000) * float(np.min(chunk_s))
    print(f"encode 10k: {encode:.3f} s (10 x the fastest 1000-image chunk of {len(chunk_s)})")
    print("RESULT " + json.dumps({"model": model_name, "batch": batch, "threads": torch.get_num_threads(),
                                  "step_ms_median": float(np.median(ms)), "step_ms_fastest": float(np.min(ms)),
                                  "encode10k_s_chunked": encode}))


if __name__ == "__main__":
    main()
