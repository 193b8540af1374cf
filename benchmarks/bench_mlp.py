"""Chapter 5's and 6's engines on micrograd's demo task, side by side, as ratios.

The task (micrograd's classic demo): 100 full-batch SGD steps on 100 moons points, MLP(2, [16, 16, 1]) with
ReLU, hinge loss plus 1e-4 L2 (``1e-4 * sum of every parameter squared``), learning rate decaying linearly
from 1.0 to 0.1. Every implementation starts from the *same* weights, so they must also agree on the result:

    (a) the scalar engine of chapter 5 (nbhelpers.engine / nbhelpers.scalar_nn): one Value per number,
        against micrograd 0.1.0 (pip install micrograd==0.1.0), twice: the course's scalar MLP (a neuron's
        weighted sum is one node), and our Value on micrograd's graph node for node (each weighted sum written
        out with * and +); Python's garbage collector on (as a learner has it) and, to show its share, off;
        each run in a fresh process, a plain `python` one and a Jupyter kernel holding what a chapter imports
        (the collector walks every live object at each full collection, so a bigger process costs more);
    (b) the array engine of chapter 5 with chapter 6's MLP, loss and optimizer (nbhelpers.tensor / mlp /
        training / optim), against
    (n) the floor: the same network written out in plain NumPy, forward and backward by hand;
    (c) chapter 4's network with hand-written backpropagation (nbhelpers.network);
    (d) PyTorch on the CPU, one thread, float64, when it is installed.

The same for the array engines at 1,000 points and width 64 (MLP(2, [64, 64, 1])). CPU time (process_time): for
the scalar engines the median of BENCH_REPEAT runs (3) of ours and BENCH_MICROGRAD_REPEAT runs (1) of micrograd's,
which takes minutes; for the array engines several interleaved rounds (each round runs every
implementation once), reported as the median run and the median of the rounds' ratios to the floor, with their
range, so that a shared, busy machine slows all of them alike instead of skewing a ratio of two best times.

    python benchmarks/run.py mlp
    BENCH_QUICK=1 python benchmarks/run.py mlp     # scalar engines for 10 steps only
"""

from __future__ import annotations

import gc
import os
import time

import nbhelpers  # noqa: F401  (first: NumPy then starts with one BLAS thread, as in the chapters)
import numpy as np

try:
    from run import best_of
except ImportError:  # run directly: python benchmarks/bench_mlp.py
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import best_of

from nbhelpers.datasets import make_moons, make_spiral, train_test_split
from nbhelpers.mlp import MLP
from nbhelpers.optim import SGD
from nbhelpers.training import fit, hinge_loss, l2_penalty

STEPS, ALPHA = 100, 1e-4
X, Y01 = make_moons(100, noise=0.1, random_state=0)
Y = 2.0 * Y01 - 1.0  # hinge labels -1 / +1
SMALL = (X, Y, [16, 16])
X_LARGE, Y01_LARGE = make_moons(1000, noise=0.1, random_state=0)
LARGE = (X_LARGE, 2.0 * Y01_LARGE - 1.0, [64, 64])  # 1,000 points, width 64


def learning_rate(step: int) -> float:
    return 1.0 - 0.9 * step / (STEPS - 1)  # 1.0 at the first step, 0.1 at the last


def start_weights(hidden=(16, 16)):
    """The shared starting point: chapter 6's MLP with seed 0 (He initialisation), as (W, b) pairs."""
    model = MLP(2, list(hidden) + [1], seed=0)
    return [(layer.W.data.copy(), layer.b.data.copy()) for layer in model.layers]


def report(scores) -> tuple:
    scores = np.asarray(scores, dtype=float).ravel()
    loss = np.mean(np.maximum(0, 1 - Y * scores)) + 0.0
    return loss, float(np.mean((scores > 0) == (Y > 0)))


# ----------------------------------------------------------------------------------------------- (b) array engine

def train_array(X=X, Y=Y, hidden=(16, 16)):
    model = MLP(2, list(hidden) + [1], seed=0)
    optimizer = SGD(model.parameters(), lr=1.0)
    for step in range(STEPS):
        loss = hinge_loss(model(X), Y) + l2_penalty(model.parameters(), ALPHA)
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = learning_rate(step)
        optimizer.step()
    return model.predict_scores(X)


# ----------------------------------------------------------------------------------------------- (n) NumPy floor

def train_numpy(X=X, Y=Y, weights=None, steps=STEPS):
    """The floor: the same network in plain NumPy, forward and backward written out, updates in place."""
    (W1, b1), (W2, b2), (W3, b3) = [(W.copy(), b.copy()) for W, b in (weights or start_weights())]
    y = Y.reshape(-1, 1)
    params = (W1, b1, W2, b2, W3, b3)
    for step in range(steps):
        h1 = X @ W1
        h1 += b1
        np.maximum(h1, 0.0, out=h1)
        h2 = h1 @ W2
        h2 += b2
        np.maximum(h2, 0.0, out=h2)
        s = h2 @ W3
        s += b3
        margin = 1.0 - y * s
        loss = np.maximum(margin, 0.0).mean() + ALPHA * sum(np.vdot(p, p) for p in params)  # noqa: F841
        gs = np.where(margin > 0, -y, 0.0) / len(y)  # d hinge / d score
        g2 = gs @ W3.T
        g2 *= h2 > 0
        g1 = g2 @ W2.T
        g1 *= h1 > 0
        grads = (X.T @ g1, g1.sum(0), h1.T @ g2, g2.sum(0), h2.T @ gs, gs.sum(0))
        lr = learning_rate(step)
        for p, g in zip(params, grads):
            g += 2 * ALPHA * p  # d(alpha * p^2)/dp
            g *= lr
            p -= g
    return np.maximum(np.maximum(X @ W1 + b1, 0) @ W2 + b2, 0) @ W3 + b3


# ----------------------------------------------------------------------------------------------- (c) chapter 4

def train_network():
    from nbhelpers.network import Network

    net = Network.from_weights(start_weights(), activations=["relu", "relu", "linear"])
    optimizer = SGD(net.parameters(), lr=1.0, weight_decay=2 * ALPHA)  # d(alpha * w^2)/dw = 2 alpha w
    y = Y.reshape(-1, 1)
    for step in range(STEPS):
        scores = net.forward(X)
        optimizer.zero_grad()
        net.backward(np.where(y * scores < 1, -y, 0.0) / len(y))  # d hinge / d score
        optimizer.lr = learning_rate(step)
        optimizer.step()
    return net.predict(X)


# ----------------------------------------------------------------------------------------------- (a) scalar engine

#: the scalar engines measured, with what each builds (micrograd's MLP and "node for node" build the same graph)
SCALAR_ENGINES = {
    "micrograd": "micrograd 0.1.0, its own MLP",
    "nbhelpers": "nbhelpers.scalar_nn.MLP (a weighted sum = 1 node)",
    "node-for-node": "nbhelpers Value, neurons written out as micrograd's",
}


def scalar_model(make_mlp=None):
    """Chapter 5's scalar MLP (or micrograd's, ``make_mlp=micrograd.nn.MLP``) holding the shared start weights."""
    if make_mlp is None:
        from nbhelpers.scalar_nn import MLP as ScalarMLP

        model = ScalarMLP(2, [16, 16, 1], activation="relu", seed=0)
    else:
        model = make_mlp(2, [16, 16, 1])
    for layer, (W, b) in zip(model.layers, start_weights()):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                w.data = float(W[i, j])
            neuron.b.data = float(b[j])
    return model


def written_out(model, x):
    """``model(x)`` computed as micrograd's Neuron/Layer/MLP compute it: ``sum(wi * xi ..., b)``, then ReLU except in
    the last layer. On our Values this builds micrograd's graph node for node (2 n nodes per weighted sum)."""
    last = len(model.layers) - 1
    for k, layer in enumerate(model.layers):
        x = [sum((wi * xi for wi, xi in zip(n.w, x)), n.b) for n in layer.neurons]
        x = [z.relu() for z in x] if k < last else x
    return x[0]


def _demo_loss(model, forward, Value, params, rows, labels):
    scores = [forward([Value(v) for v in row]) for row in rows]
    hinge = sum((1 + -yi * si).relu() for yi, si in zip(labels, scores)) * (1.0 / len(rows))
    return hinge + ALPHA * sum(p * p for p in params)


def _scalar_setup(engine: str):
    if engine == "micrograd":
        from micrograd.engine import Value
        from micrograd.nn import MLP as make_mlp

        model = scalar_model(make_mlp)
        return model, model, Value
    from nbhelpers.engine import Value

    model = scalar_model()
    return model, (model if engine == "nbhelpers" else (lambda x: written_out(model, x))), Value


def train_scalar(steps: int = STEPS, engine: str = "nbhelpers"):
    """micrograd's demo loop, written once for every scalar engine (inputs as Values, as in the demo)."""
    model, forward, Value = _scalar_setup(engine)
    params = model.parameters()
    rows, labels = X.tolist(), Y.tolist()
    for step in range(steps):
        loss = _demo_loss(model, forward, Value, params, rows, labels)
        model.zero_grad()
        loss.backward()
        lr = learning_rate(step)
        for p in params:
            p.data -= lr * p.grad
    return [forward([Value(v) for v in row]).data for row in rows]


def scalar_nodes(engine: str) -> int:
    """Nodes in one step's graph (leaves included), the objects each step makes and the collector may walk."""
    model, forward, Value = _scalar_setup(engine)
    loss = _demo_loss(model, forward, Value, model.parameters(), X.tolist(), Y.tolist())
    order, seen, stack = [], {id(loss)}, [loss]
    while stack:  # micrograd's _prev is a set, ours a tuple: count the nodes reachable from the loss
        node = stack.pop()
        order.append(node)
        for parent in node._prev:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(order)


def cpu_seconds(function, *args, collector: bool = True):
    """(CPU seconds, result) of one call, with the garbage collector on (Python's default) or off."""
    was = gc.isenabled()
    gc.collect()
    (gc.enable if collector else gc.disable)()
    try:
        start = time.process_time()
        result = function(*args)
        return time.process_time() - start, result
    finally:
        (gc.enable if was else gc.disable)()


# One measurement in a fresh process: "plain" is `python` itself, "kernel" a Jupyter kernel (ipykernel) with what
# a chapter imports (numpy, matplotlib.pyplot with the inline backend, ipywidgets): some 110,000 live objects that
# the collector walks at every full collection, against some 25,000 in the plain process.
_CHILD = """
import gc, json, sys
sys.path[:0] = {paths!r}
{imports}
import bench_mlp
live = len(gc.get_objects())
seconds, scores = bench_mlp.cpu_seconds(bench_mlp.train_scalar, {steps}, {engine!r}, collector={collector})
print("RESULT " + json.dumps(dict(seconds=seconds, scores=scores, live=live)))
"""
_KERNEL_IMPORTS = "import numpy, matplotlib.pyplot, ipywidgets\n%matplotlib inline"


def _result_line(text: str) -> dict:
    import json

    lines = [line for line in text.splitlines() if line.startswith("RESULT ")]
    if not lines:
        raise RuntimeError(f"the measuring process printed no result:\n{text[-2000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def measure_scalar(engine: str, steps: int, collector: bool, where: str = "plain") -> dict:
    """CPU seconds, final scores and live objects of one run of ``train_scalar`` in a fresh process."""
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    code = _CHILD.format(paths=[str(here), str(here.parent)], steps=steps, engine=engine, collector=collector,
                         imports=_KERNEL_IMPORTS if where == "kernel" else "")
    if where == "plain":
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        return _result_line(done.stdout + done.stderr)
    return _result_line(_run_in_kernel(code))


def _run_in_kernel(code: str, timeout: float = 7200) -> str:
    """Run ``code`` in a new Jupyter kernel (as a learner's notebook does) and return what it printed."""
    import subprocess

    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=120, stderr=subprocess.DEVNULL)
    try:
        msg_id = kc.execute(code)
        printed = []
        while True:
            msg = kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                printed.append("\n".join(msg["content"]["traceback"]))
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(printed)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


# ----------------------------------------------------------------------------------------------- (d) PyTorch

def torch_trainer(X=X, Y=Y, hidden=(16, 16)):
    import torch

    torch.set_num_threads(1)
    weights = start_weights(hidden)
    sizes = [2] + list(hidden) + [1]
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
    layers = layers[:-1]
    net = torch.nn.Sequential(*layers).double()
    with torch.no_grad():
        for layer, (W, b) in zip(layers[::2], weights):
            layer.weight.copy_(torch.tensor(W.T))
            layer.bias.copy_(torch.tensor(b))
    start = [p.detach().clone() for p in net.parameters()]
    Xt, yt = torch.tensor(X), torch.tensor(Y).reshape(-1, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=1.0)

    def run():
        with torch.no_grad():
            for p, s in zip(net.parameters(), start):
                p.copy_(s)
        for step in range(STEPS):
            loss = torch.relu(1 - yt * net(Xt)).mean() + ALPHA * sum((p * p).sum() for p in net.parameters())
            optimizer.zero_grad()
            loss.backward()
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step)
            optimizer.step()
        with torch.no_grad():
            return net(Xt).numpy()

    return run


# ----------------------------------------------------------------------------------------------- main

def _line(name, seconds, floor_name=None, floor=None, extra=""):
    ratio = f"{seconds / floor:6.2f}x {floor_name}" if floor else ""
    print(f"  {name:44s} {seconds * 1e3:9.1f} ms  {seconds / STEPS * 1e6:9.0f} us/step  {ratio}{extra}")


def _where_available() -> list:
    places = ["plain"]
    try:
        import ipykernel  # noqa: F401
        import jupyter_client  # noqa: F401
    except ImportError:
        print("  jupyter_client/ipykernel are not installed here: the Jupyter-kernel columns are skipped.")
    else:
        places.append("kernel")
    return places


def scalar_engines():
    """(a) our Value against micrograd 0.1.0: collector on and off, in a plain process and in a Jupyter kernel.

    Every run is a fresh process, so no run inherits another's garbage. Ours: the median of
    ``BENCH_REPEAT`` runs (3); micrograd: one run each, or as many with ``BENCH_MICROGRAD_REPEAT``.
    """
    import statistics

    steps = 10 if os.environ.get("BENCH_QUICK") else STEPS
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    repeat_mg = int(os.environ.get("BENCH_MICROGRAD_REPEAT", "1"))
    print(f"(a) scalar engines, {steps} of the {STEPS} steps, inputs as Values; CPU seconds, each run a fresh "
          f"process (ours: median of {repeat}, micrograd: {'one run' if repeat_mg == 1 else f'median of {repeat_mg}'})")
    try:
        import micrograd  # noqa: F401
    except ImportError:
        engines = ["nbhelpers", "node-for-node"]
        print("  micrograd is not installed here: skipped (pip install micrograd==0.1.0 to compare).")
    else:
        engines = list(SCALAR_ENGINES)
    places = _where_available()
    runs, live = {}, {}
    for where in places:
        for collector in (True, False):
            for engine in engines:
                results = [measure_scalar(engine, steps, collector, where)
                           for _ in range(repeat_mg if engine == "micrograd" else repeat)]
                runs[engine, where, collector] = (statistics.median(r["seconds"] for r in results), results[0]["scores"])
                live[where] = results[0]["live"]
    names = {"plain": "plain python", "kernel": "Jupyter kernel"}
    head = "".join(f"  | {names[w]} ({live[w]:,} objects): GC on, GC off" for w in places)
    print(f"  {'':52s} nodes/step{head}")
    for engine in engines:
        cells = ""
        for where in places:
            on, off = runs[engine, where, True][0], runs[engine, where, False][0]
            if engine != "micrograd" and "micrograd" in engines:
                ratio_on = runs["micrograd", where, True][0] / on
                ratio_off = runs["micrograd", where, False][0] / off
                cells += f"  | {on:7.2f} s {ratio_on:5.1f}x, {off:6.2f} s {ratio_off:4.1f}x"
            else:
                cells += f"  | {on:7.2f} s       , {off:6.2f} s     "
        print(f"  {SCALAR_ENGINES[engine]:52s} {scalar_nodes(engine):>10,}{cells}")
    if "micrograd" in engines:
        print("  (Nx: micrograd's time over ours in the same kind of process, collector on / off: how many times faster)")
    ours = runs["nbhelpers", "plain", True][1]
    same = all(runs[e, w, c][1] == ours for e in engines if e != "micrograd" for w in places for c in (True, False))
    print(f"  our two graphs give the same final scores to the last bit, in every run: {same}")
    if "micrograd" in engines:
        diff = np.max(np.abs(np.subtract(ours, runs["micrograd", "plain", True][1])))
        print(f"  largest difference from micrograd's final scores: {diff:.1e} (micrograd sums each gradient in the "
              "order of a set, so the last bits may differ)")
    if steps == STEPS:
        loss, acc = report(ours)
        print(f"  final hinge {loss:.4f}, accuracy {acc:.0%}")
    return ours if steps == STEPS else None


def paired_cpu(runs: dict, rounds: int) -> dict:
    """CPU seconds of every run in ``runs`` (label -> function), measured in ``rounds`` interleaved rounds (each
    round times every run once, in turn), so a load that comes and goes on a shared machine hits all of them
    alike: ``{label: [seconds of round 1, round 2, ...]}``."""
    times = {label: [] for label in runs}
    for _ in range(rounds):
        for label, run in runs.items():
            start = time.process_time()
            run()
            times[label].append(time.process_time() - start)
    return times


def paired_ratio(times: dict, label: str, reference: str) -> tuple:
    """(median, lowest, highest) over the rounds of ``label``'s time over ``reference``'s in the same round: a ratio
    of runs made side by side, steadier on a loaded machine than the ratio of two separate best times."""
    ratios = sorted(a / b for a, b in zip(times[label], times[reference]))
    return float(np.median(ratios)), ratios[0], ratios[-1]


FLOOR = "(n) NumPy written out by hand (the floor)"
TORCH = "(d) PyTorch (CPU, one thread, float64)"
ARRAY = "(b) array engine: Tensor + course MLP/loss/SGD"


def array_engines(task, name, scalar_scores=None):
    X_, Y_, hidden = task
    rounds = 31 if len(X_) <= 100 else 11  # (many short rounds: a steadier median on a busy machine)
    print(f"{name}: {len(X_)} points, MLP(2, {list(hidden) + [1]}), {STEPS} steps; CPU time, {rounds} interleaved "
          "rounds: the median run, and the median (lowest-highest) of the rounds' ratios:")
    weights = start_weights(hidden)
    results = {ARRAY: (lambda: train_array(X_, Y_, hidden)),
               FLOOR: (lambda: train_numpy(X_, Y_, weights))}
    if list(hidden) == [16, 16]:
        results["(c) chapter 4 Network, hand-written backprop"] = train_network
    try:
        import torch  # noqa: F401
    except ImportError:
        print("  PyTorch is not installed here: (d) skipped (pip install torch to compare).")
    else:
        results[TORCH] = torch_trainer(X_, Y_, hidden)
    scores = {label: np.ravel(run()) for label, run in results.items()}  # (also a warm-up)
    times = paired_cpu(results, rounds)
    reference = scores[FLOOR]
    for label in results:
        seconds = float(np.median(times[label]))
        ratio, low, high = paired_ratio(times, label, FLOOR)
        extra = ""
        if label == ARRAY and TORCH in times:
            faster, f_low, f_high = paired_ratio(times, TORCH, ARRAY)
            extra = f"   {faster:5.2f}x ({f_low:.2f}-{f_high:.2f}) faster than PyTorch"
        print(f"  {label:44s} {seconds * 1e3:9.1f} ms  {seconds / STEPS * 1e6:9.0f} us/step  {ratio:6.2f}x "
              f"({low:.2f}-{high:.2f}) the floor{extra}")
    same = {label: float(np.max(np.abs(s - reference))) for label, s in scores.items()}
    if scalar_scores is not None:
        same["(a) scalar engine"] = float(np.max(np.abs(np.ravel(scalar_scores) - reference)))
    print("  largest difference from the floor's final scores: " + ", ".join(f"{k[:3]} {v:.0e}" for k, v in same.items()))
    return times


def main():
    scalar_scores = scalar_engines()
    array_engines(SMALL, "Array engines, the demo task", scalar_scores)
    array_engines(LARGE, "Array engines, larger")
    spiral_and_exercise()


def spiral_and_exercise():
    # the spiral to 95% training accuracy, as in the chapter and the exercise
    Xs, ys = make_spiral(300, noise=0.05, random_state=0)
    X_train, _, y_train, _ = train_test_split(Xs, ys, test_size=0.3, random_state=0)
    for sizes, lr in (([16, 16], 0.02), ([8, 8, 8], 0.02), ([32, 32], 0.01)):
        times, epochs = [], []
        for seed in range(3):
            start = time.perf_counter()
            history = fit(MLP(2, sizes + [1], seed=seed), X_train, y_train, epochs=3000, lr=lr, target_accuracy=0.95)
            times.append(time.perf_counter() - start)
            epochs.append(history.epoch[-1] if history.train_acc[-1] >= 0.95 else None)
        print(f"Spiral (210 training points) to 95% train accuracy, MLP(2, {sizes + [1]}), Adam lr {lr}, full batch: "
              f"{max(times):.2f} s at most over seeds 0-2 (epochs needed: {epochs})")

    # the chapter's exercise that trains the learner's architecture: a right answer, and a too-small one
    from nbhelpers.exercises import ch06

    for answer in (([16, 16], "relu"), ([64, 64], "tanh"), ([2], "relu")):
        start = time.perf_counter()
        result = ch06.spiral_architecture.evaluate(answer)
        print(f"Exercise 'an architecture for the spiral', answer {answer}: {result.status} in "
              f"{time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
