# %% [markdown]
# # Chapter 6 · Training a multi-layer perceptron
#
# {{BADGES}}
#
# Everything so far comes together here. Neurons (chapter 1) with activations (chapter 2) stack into layers;
# gradient descent (chapter 3) needs gradients, which backpropagation (chapter 4) computes and the array engine
# (chapter 5) computes for us. In this chapter you train real networks on the plane and watch them learn: the
# decision boundary bends into circles and spirals, the loss curves fall, and sometimes training goes wrong in
# ways you will learn to recognise and fix. At the end, the same few lines read handwritten digits.
#
# **You will learn**
# - how an MLP is built from layers, and the five lines of every training loop;
# - which loss to use (mean squared error, hinge, binary and softmax cross-entropy), and why;
# - how depth, width, learning rate and input features change what a network learns, measured, not claimed;
# - to tell underfitting from overfitting in the train and test curves, and what helps (initialisation, L2,
#   dropout, batch normalisation, early stopping);
# - a debugging checklist for training that does not work;
# - to train a network on real data (8x8 handwritten digits) to more than 95% test accuracy.
#
# **Time:** about 2 hours. **You need:** chapters 1 to 5 (or: Python, NumPy, and the idea of a gradient).
#
# Run the cells from top to bottom (in Jupyter: *Run > Run All Cells*). Every run shows the same numbers.

# %% [setup]

# %%
import numpy as np
from IPython.display import HTML

from nbhelpers.datasets import (load_digits, make_circles, make_dataset, make_moons, make_spiral, make_xor,
                                train_test_split)
from nbhelpers.exercises import ____
from nbhelpers.exercises import ch06 as ex
from nbhelpers.mlp import MLP
from nbhelpers.optim import Adam
from nbhelpers.plotting import PALETTE, new_figure, plot_surface
from nbhelpers.plotting.mlp import (animate_training, animation_html, confidence_function, confusion_matrix,
                                    plot_boundary_snapshots, plot_confusion_matrix, plot_datasets,
                                    plot_decision_boundary, plot_digits, plot_history)
from nbhelpers.tensor import Tensor
from nbhelpers.training import (Trainer, bce_loss, cross_entropy_loss, fit, hinge_loss, make_features, mse_loss)

# %% [markdown]
# ## 1. An MLP is layers of neurons
#
# **Intuition.** A *multi-layer perceptron* (MLP) is chapter 1's tiny network, grown: a row of neurons that all
# look at the inputs (a *layer*), another row that looks at the first row's outputs, and so on, until an output
# layer gives the answer. Each hidden neuron draws its own line; the next layer combines lines into bends and
# regions. `MLP(2, [8, 8, 1])` reads: **2 inputs, two hidden layers of 8 neurons, 1 output**.
#
# **Math.** With the samples as rows of $X$, each layer computes $H_{\ell} = f(H_{\ell-1} W_\ell + \mathbf{b}_\ell)$,
# starting from $H_0 = X$. The hidden layers use an activation $f$ such as ReLU; the last layer has none: it
# returns one raw **score** per output, and the loss (section 4) decides how to read it.
#
# **Code.** Chapter 5's array engine does the bookkeeping: every weight is a `Tensor`, so after a forward pass
# `backward()` fills every `.grad`. The starting weights are random with spread $\sqrt{2 / n_\text{in}}$: **He
# initialisation**, chapter 4's Xavier idea adjusted for ReLU, which zeroes about half of its inputs (section 8.1
# measures why the start matters). Here is a whole MLP, written on top of it:

# %%
class Layer:
    """A fully connected layer: every neuron sees every input."""

    def __init__(self, n_in, n_out, rng):
        self.W = Tensor(rng.normal(0, np.sqrt(2 / n_in), (n_in, n_out)))  # He initialisation (above)
        self.b = Tensor(np.zeros(n_out))

    def __call__(self, H):
        return H @ self.W + self.b  # the weighted sums of all neurons, for all samples at once

    def parameters(self):
        return [self.W, self.b]


class MyMLP:
    def __init__(self, n_inputs, layer_sizes, seed=0):
        rng = np.random.default_rng(seed)
        sizes = [n_inputs] + layer_sizes
        self.layers = [Layer(n_in, n_out, rng) for n_in, n_out in zip(sizes[:-1], sizes[1:])]

    def __call__(self, X):
        H = Tensor(X)
        for layer in self.layers[:-1]:
            H = layer(H).relu()  # hidden layers: weighted sums, then ReLU
        return self.layers[-1](H)  # output layer: raw scores, no activation

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = np.zeros_like(p.data)


mine = MyMLP(2, [8, 8, 1], seed=0)
for p in mine.parameters():
    print(f"{p.shape!s:8}", end="")
print(f"\n{sum(p.size for p in mine.parameters())} numbers to learn")

# %% [markdown]
# The course package holds the tested version, `nbhelpers.mlp.MLP`, with the same interface (`parameters()`,
# `zero_grad()`, call it on `X` to get scores) and a few extras this chapter uses later. With the same seed
# it starts from the same weights, and it agrees with ours on the scores and on every gradient:

# %%
theirs = MLP(2, [8, 8, 1], seed=0)
print(theirs)

X_try = rng.normal(size=(5, 2))  # five random points of the plane
for model in (mine, theirs):
    model.zero_grad()
    model(X_try).sum().backward()
assert np.allclose(mine(X_try).data, theirs(X_try).data)
assert all(np.allclose(p.grad, q.grad) for p, q in zip(mine.parameters(), theirs.parameters()))
print("same scores and same gradients:", np.round(theirs(X_try).data.ravel(), 3))

# %% [markdown]
# The earlier chapters built the same network twice more: chapter 4 with backpropagation written by hand, and
# chapter 5 with one scalar `Value` per number. Given the same weights, all three compute the same thing:

# %%
from nbhelpers.network import Network  # chapter 4
from nbhelpers.scalar_nn import MLP as ScalarMLP  # chapter 5

weights = [(layer.W.data, layer.b.data) for layer in theirs.layers]
net4 = Network.from_weights(weights, activations=["relu", "relu", "linear"])
net5 = ScalarMLP(2, [8, 8, 1])
for layer5, (W, b) in zip(net5.layers, weights):
    for j, neuron in enumerate(layer5.neurons):  # neuron j holds column j of W
        for i, w in enumerate(neuron.w):
            w.data = W[i, j]
        neuron.b.data = b[j]

scores4 = net4.forward(X_try)
net4.zero_grad()
net4.backward(np.ones_like(scores4))  # the gradient of scores.sum(), by hand
scores5 = [net5(list(x)).data for x in X_try]
assert np.allclose(scores4, theirs(X_try).data) and np.allclose(scores5, theirs(X_try).data.ravel())
assert all(np.allclose(p4.grad, p6.grad) for p4, p6 in zip(net4.parameters(), theirs.parameters()))
print("chapter 4:", np.round(scores4.ravel(), 3), "\nchapter 5:", np.round(scores5, 3))

# %% [markdown]
# Same scores, same gradients. What differs is speed: the scalar engine builds one Python object per number,
# the array engine one per layer, and the hand-written network none at all. `benchmarks/bench_mlp.py` times the
# same training run with each; from here on we use the array engine, which keeps the graph (so any loss you write
# gets its gradient for free) at a cost close to the hand-written network's.
#
# **Picture.** Before any training the network already has an opinion about every point of the plane: random,
# but not straight. Each ReLU neuron folds the plane along its own line, so the output is made of flat pieces
# that meet at creases.
#
# To colour the plane we need the scores of thousands of points, and no gradients. `model.predict_scores(X)` does
# that: it takes a plain NumPy array, runs the same layers without recording a graph (faster), and returns the
# scores as a NumPy array. We draw seed 6's network: seed 0's happens to give a score $\ge 0$ at every point of
# this square, so its picture would show no boundary at all.

# %%
untrained = MLP(2, [8, 8, 1], seed=6)
scores_on_plane = untrained.predict_scores(np.random.default_rng(1).uniform(-3, 3, size=(2000, 2)))
assert scores_on_plane.min() < 0 < scores_on_plane.max()  # both sides appear: there is a boundary to see
fig, ax = new_figure(figsize=(5.2, 4.2))
plot_surface(ax, lambda P: 1 / (1 + np.exp(-untrained.predict_scores(P).ravel())), (-3, 3), (-3, 3),
             resolution=150, colorbar=True, label="sigmoid(score)")
ax.set_xlabel("$x_1$")
ax.set_ylabel("$x_2$")
ax.set_title("An untrained MLP(2, [8, 8, 1]): a random boundary made of straight pieces")
fig

# %% [markdown]
# **Check.** How many numbers does training adjust in `MLP(2, [8, 8, 1])`? Count the weights and the biases of
# all three layers by hand (the printout above gives it away, so try before you scroll up).

# %%
answer = ____  # a whole number
ex.count_parameters.check(answer)

# %% [markdown]
# ## 2. Datasets on the plane
#
# Points with two coordinates are the best place to watch a network learn: we can colour every point of the plane
# by what the network says. The package makes six classic datasets, each with a **seed** (same seed, same points),
# a **noise** level (how far points are jittered) and a number of points. Their names and arguments follow
# scikit-learn's `make_moons(n_samples, noise, random_state)`.

# %%
datasets = {name: make_dataset(name, n_samples=200, noise=0.1, random_state=0)
            for name in ["linear", "gaussians", "xor", "circles", "moons", "spiral"]}
X, y = datasets["moons"]
print("X:", X.shape, " y:", y.shape, " classes:", np.bincount(y))
plot_datasets(datasets)

# %% [markdown]
# From easy to hard: *linear* and *gaussians* are split by one straight line, which a single neuron can draw;
# *xor* needs two lines (chapter 1); *circles* needs a closed curve; *moons* a curve that bends twice; and the
# *spiral* a boundary that winds around the centre. A third spiral arm, `make_spiral(..., n_classes=3)`, makes a
# three-class problem for section 4.
#
# **Train and test.** A network that only memorises its training points is useless on new ones. So we always
# hold some points back: the network never trains on the **test set**, which tells us how well it generalises.
# `train_test_split` shuffles with a seed and keeps the classes balanced:

# %%
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
print(f"{len(X_train)} training points, {len(X_test)} test points;",
      "test classes:", np.bincount(y_test))
assert len(X_test) == 60 and np.bincount(y_test).tolist() == [30, 30]

# %% [markdown]
# ## 3. The training loop, line by line
#
# **Intuition.** Training repeats one move: make a prediction, measure how wrong it is, find out which way each
# weight should move to be less wrong, and move it a little. One pass over the training set is an **epoch**.
#
# **Math.** For every parameter $w$, gradient descent (chapter 3) updates $w \leftarrow w - \eta
# \,\partial L / \partial w$ with learning rate $\eta$. Adam does the same with a per-parameter step size.
#
# **Code.** The five lines inside the loop are the heart of deep learning; every framework has them:

# %%
X, y = make_moons(200, noise=0.15, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

model = MLP(2, [8, 8, 1], seed=0)
optimizer = Adam(model.parameters(), lr=0.02)

losses = []
for epoch in range(101):
    scores = model(X_train)  # 1. forward pass: one score per training point
    loss = bce_loss(scores, y_train)  # 2. loss: how wrong, as one number
    optimizer.zero_grad()  # 3. forget the previous epoch's gradients
    loss.backward()  # 4. backward pass: d loss / d parameter, for every parameter
    optimizer.step()  # 5. update: every parameter takes a small step downhill
    losses.append(loss.item())
    if epoch % 20 == 0:
        train_acc = np.mean((scores.data.ravel() > 0) == y_train)  # score > 0 means "class 1"
        print(f"epoch {epoch:3d}   loss {loss.item():.4f}   train accuracy {train_acc:.1%}")
assert round(losses[0], 2) == 0.54 and train_acc == 1.0  # the numbers quoted below

# %% [markdown]
# The loss falls from about 0.54 and by epoch 100 every training point is on the correct side. Three details:
#
# - `zero_grad()` comes **before** `backward()`: backward *adds* into `.grad` (chapter 5), so without it each
#   epoch's gradients pile onto the last ones. Section 9 shows what that does.
# - The model outputs scores, not probabilities. Class 1 means score $> 0$, which is probability $> 0.5$ after the
#   sigmoid that `bce_loss` applies inside.
# - We print the accuracy of the scores computed *before* that epoch's update.
#
# The package's `fit` runs the same loop (and records a history, below). Same seed, same steps, same weights:

# %%
history = fit(MLP(2, [8, 8, 1], seed=0), X_train, y_train, X_test, y_test, epochs=101, optimizer="adam", lr=0.02)
check = MLP(2, [8, 8, 1], seed=0)
fit(check, X_train, y_train, epochs=101, optimizer="adam", lr=0.02)
assert all(np.allclose(p.data, q.data) for p, q in zip(model.parameters(), check.parameters()))
print(history)

# %% [markdown]
# **Check.** Write the loop yourself. Put the five steps in the right order; the checker trains a small network
# with your function and compares every epoch's loss with the reference loop.

# %%
def train(model, optimizer, X, y, epochs):
    losses = []
    for epoch in range(epochs):
        scores = ____  # 1. forward pass
        loss = ____  # 2. the loss (use bce_loss)
        ____  # 3. zero the gradients
        ____  # 4. backward pass
        ____  # 5. update
        losses.append(loss.item())
    return losses


ex.training_loop.check(train)

# %% [markdown]
# And one more piece every loop needs: the **test accuracy**, the fraction of test points the model gets right.
# Write a function that computes it for a model with one output score (class 1 where the score is positive).

# %%
def test_accuracy(model, X_test, y_test):
    return ____  # a fraction between 0 and 1


ex.test_accuracy.check(test_accuracy)

# %% [markdown]
# ## 4. Losses: which one, and why
#
# The loss turns "how wrong" into one number. Four are worth knowing. For two classes each point has one score
# $s_i$, and its label comes in one of two forms, depending on the loss: $y_i \in \{0, 1\}$ as so far, or
# $t_i = 2y_i - 1 \in \{-1, +1\}$. With the second form the **margin** $m_i = t_i s_i$ is positive when the point is
# on the right side, and large when it is far on the right side.
#
# | loss | formula (mean over the $n$ points) | labels |
# |---|---|---|
# | mean squared error | $\frac{1}{n}\sum_i (s_i - t_i)^2$ | targets, here $t_i = \pm 1$ |
# | hinge (max-margin) | $\frac{1}{n}\sum_i \max(0,\; 1 - t_i s_i)$ | $t_i = \pm 1$ |
# | binary cross-entropy | $-\frac{1}{n}\sum_i \big[y_i \log p_i + (1-y_i)\log(1-p_i)\big]$, $p_i = \sigma(s_i)$ | $y_i = 0$ / $1$ |
# | softmax cross-entropy | $-\frac{1}{n}\sum_i \log \dfrac{e^{s_{i,y_i}}}{\sum_k e^{s_{i,k}}}$ (one score per class) | $y_i = 0 \dots k-1$ |

# %% [markdown]
# **One variable for all three binary losses.** Per point, each binary loss depends on the margin alone:
#
# - Squared error: since $t^2 = 1$, $(s - t)^2 = t^2 (s - t)^2 = (ts - t^2)^2 = (m - 1)^2$.
# - Cross-entropy: for $y = 1$ the loss is $-\log \sigma(s) = \log(1 + e^{-s})$; for $y = 0$ it is
#   $-\log(1 - \sigma(s)) = \log(1 + e^{s})$, because $1 - \sigma(s) = \sigma(-s)$. With $t = \pm 1$ both read
#   $\log(1 + e^{-ts}) = \log(1 + e^{-m})$.
# - Hinge: $\max(0, 1 - m)$ as it stands.
#
# So the 0/1 form of the table and the margin form of the picture below are the same losses. A check on random
# scores:

# %%
s_check, y_check = np.random.default_rng(2).normal(size=6), np.array([0, 1, 1, 0, 1, 0])
t_check = 2 * y_check - 1  # the same labels as -1 / +1
m_check = t_check * s_check  # margins
p_check = 1 / (1 + np.exp(-s_check))
bce_01 = -(y_check * np.log(p_check) + (1 - y_check) * np.log(1 - p_check))
assert np.allclose(bce_01, np.log(1 + np.exp(-m_check)))  # cross-entropy: 0/1 form = margin form
assert np.allclose((s_check - t_check) ** 2, (1 - m_check) ** 2)  # squared error: (s - t)^2 = (1 - m)^2
print("margins:", np.round(m_check, 3), "\ncross-entropy per point:", np.round(bce_01, 3))

# %% [markdown]
# **Two details of the code below.**
#
# - *A stable cross-entropy.* From the two cases above, one point's loss is $\log(1 + e^{s}) - y\,s$. Written like
#   that, $e^{s}$ overflows for a large score ($e^{1000}$ is too big for a float). The same number, rearranged:
#   $\log(1 + e^{s}) = \max(s, 0) + \log(1 + e^{-|s|})$, where $e^{-|s|}$ is at most 1. So the code computes
#   $\max(s, 0) - s\,y + \log(1 + e^{-|s|})$: never an overflow, never $\log 0$.
# - *Softmax cross-entropy.* The log of the softmax is $\log \text{softmax}(s)_k = s_k - \log \sum_j e^{s_j}$;
#   `log_softmax` computes it with chapter 2's log-sum-exp trick (subtract the largest score first). The loss then
#   needs, in each row $i$, the entry of the true class $y_i$: `L[np.arange(n), labels]` does that, pairing row 0
#   with column `labels[0]`, row 1 with `labels[1]`, and so on:

# %%
table = np.array([[10, 11, 12], [20, 21, 22], [30, 31, 32]])
labels_demo = np.array([2, 0, 1])
print("row i, column labels[i]:", table[np.arange(3), labels_demo])
assert table[np.arange(3), labels_demo].tolist() == [12, 20, 31]

# %% [markdown]
# **Code.** Each loss is one line of Tensor operations, and each agrees with the package's version:

# %%
def my_mse(scores, targets):
    return ((scores - Tensor(targets.reshape(-1, 1))) ** 2).mean()


def my_hinge(scores, t):  # t: labels as -1 / +1
    return (1 - Tensor(t.reshape(-1, 1)) * scores).relu().mean()


def my_bce(scores, y01):  # y01: labels as 0 / 1
    y01 = Tensor(y01.reshape(-1, 1))
    abs_s = scores.relu() + (-scores).relu()  # |s|
    return (scores.relu() - scores * y01 + ((-abs_s).exp() + 1).log()).mean()  # max(s, 0) - s y + log(1 + e^-|s|)


def my_cross_entropy(scores, labels):  # labels: 0 .. k-1
    log_p = scores.log_softmax(axis=1)  # (n, k): log of each class's probability
    return -log_p[np.arange(len(labels)), labels].mean()  # the true class's entry in each row


s2, s3 = rng.normal(size=(6, 1)), rng.normal(size=(6, 3))
y01, y3 = np.array([0, 1, 1, 0, 1, 0]), np.array([0, 2, 1, 1, 0, 2])
y_pm = 2.0 * y01 - 1
for name, ours, package, scores, labels in [
        ("mse", my_mse, mse_loss, s2, y_pm), ("hinge", my_hinge, hinge_loss, s2, y_pm),
        ("binary cross-entropy", my_bce, bce_loss, s2, y01), ("softmax cross-entropy", my_cross_entropy,
                                                              cross_entropy_loss, s3, y3)]:
    a, b = Tensor(scores), Tensor(scores.copy())
    la, lb = ours(a, labels), package(b, labels)
    la.backward()
    lb.backward()
    assert np.isclose(la.item(), lb.item()) and np.allclose(a.grad, b.grad)
    print(f"{name:22s} ours {la.item():.4f}   nbhelpers {lb.item():.4f}   gradients agree")

# %% [markdown]
# **Picture.** The three binary losses as functions of the margin $m = t s$. Compare their shapes:

# %%
m = np.linspace(-3, 3, 300)
fig, ax = new_figure(figsize=(6.5, 3.8))
ax.plot(m, (m < 0).astype(float), color="grey", lw=1.5, ls=":", label="0/1 error (what we really count)")
ax.plot(m, (1 - m) ** 2, color=PALETTE[2], lw=2, label="squared error $(1 - m)^2$")
ax.plot(m, np.maximum(0, 1 - m), color=PALETTE[0], lw=2, label="hinge $\\max(0, 1 - m)$")
ax.plot(m, np.log1p(np.exp(-m)), color=PALETTE[1], lw=2, label="cross-entropy $\\log(1 + e^{-m})$")
ax.set_ylim(0, 4)
ax.set_xlabel("margin m = t · score, t = ±1 (positive: right side)")
ax.set_ylabel("loss of one point")
ax.set_title("Squared error punishes points that are too right; hinge stops caring at m = 1")
ax.legend(fontsize=8)
fig

# %% [markdown]
# All three train the moons well (same network, same seed, 100 epochs of Adam):

# %%
for loss_name in ["cross-entropy", "hinge", "mse"]:
    h = fit(MLP(2, [8, 8, 1], seed=0), X_train, y_train, X_test, y_test, epochs=100, lr=0.02, loss=loss_name)
    print(f"{loss_name:14s} train accuracy {h.train_acc[-1]:.1%}   test accuracy {h.test_acc[-1]:.1%}")
    assert h.test_acc[-1] >= 0.95

# %% [markdown]
# **When to use which.** For classification, use **cross-entropy**: its scores become probabilities, its gradient
# never vanishes for a wrong answer, and the same idea extends to many classes with softmax. **Hinge** is the
# loss of support vector machines: points beyond the margin cost nothing, so only the near misses shape the
# boundary; it is a fine choice when you need a decision, not a probability. **Mean squared error** is the loss for
# *regression* (predicting numbers); on classes it also punishes points that are "too correct" ($m > 1$, the
# rising right side of the green curve), which pulls the boundary towards easy points. Softmax cross-entropy is
# the one to use with more than two classes: one output score per class. Here it is on three spiral arms:

# %%
X3, y3 = make_spiral(300, noise=0.05, n_classes=3, random_state=0)
X3_train, X3_test, y3_train, y3_test = train_test_split(X3, y3, test_size=0.3, random_state=0)
model3 = MLP(2, [32, 32, 3], seed=0)  # three outputs: one score per class
h3 = fit(model3, X3_train, y3_train, X3_test, y3_test, epochs=300, lr=0.01)
print(f"three classes: train accuracy {h3.train_acc[-1]:.1%}, test accuracy {h3.test_acc[-1]:.1%}")
assert h3.test_acc[-1] >= 0.9
fig, ax = new_figure(figsize=(5, 4.4))
plot_decision_boundary(ax, confidence_function(model3), X3_train, y3_train, X3_test, y3_test,
                       title=f"Softmax over 3 scores: test accuracy {h3.test_acc[-1]:.0%}")
fig

# %% [markdown]
# ## 5. Watching it learn
#
# A history of numbers is good; a picture of the boundary as it forms is better. Here is a network learning the
# spiral, stopped at a few epochs (filled points are the training set, **hollow points the test set**):

# %%
X, y = make_spiral(300, noise=0.05, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
spiral_model = MLP(2, [16, 16, 1], seed=0)
history = fit(spiral_model, X_train, y_train, X_test, y_test, epochs=200, lr=0.01,
              snapshot_epochs=[0, 20, 100, 200])
plot_boundary_snapshots(spiral_model, history, X_train, y_train, X_test, y_test)

# %%
acc_at = dict(zip(history.epoch, history.train_acc))
print({epoch: f"{acc_at[epoch]:.0%}" for epoch in (0, 20, 100, 200)})
assert acc_at[0] < 0.6 and acc_at[20] < 0.8 and acc_at[200] == 1.0  # quoted below

# %% [markdown]
# At epoch 0 the boundary is random and under 60% of the points are right. By epoch 20 the network has found the
# rough split but not the winding; by epoch 100 the arms are mostly separated, and by epoch 200 every training
# point is right.
#
# The same, as an animation that plays in any browser (no kernel needed): one frame every 10 epochs.

# %%
trainer = Trainer(MLP(2, [16, 16, 1], seed=0), X_train, y_train, X_test, y_test, lr=0.01)
animation = animate_training(trainer, epochs=200, every=10, title="Spiral")
HTML(animation_html(animation, default_mode="once"))

# %% [markdown]
# **Curves.** The loss and accuracy on the training set (solid) and on the test set (dashed), epoch by epoch.
# Test points were never trained on, yet their curves follow the training curves closely: the network has learned
# the spiral, not memorised the points.

# %%
fig, (ax_loss, ax_acc) = new_figure(1, 2, figsize=(10, 3.6))
plot_history(ax_loss, history, ax_acc)
ax_loss.set_title("Loss: train and test fall together")
ax_acc.set_title(f"Accuracy: test reaches {history.test_acc[-1]:.0%}")
fig

# %%
gap = history.train_acc[-1] - history.test_acc[-1]
print(f"train {history.train_acc[-1]:.1%}, test {history.test_acc[-1]:.1%}, gap {gap:.1%}")
assert gap < 0.05

# %% [markdown]
# ## 6. Experiments: what changes what
#
# Each experiment below is run here, and every number the text quotes is checked by the cell that computes it.
#
# ### 6.1 XOR: one hidden layer of 4, or two of 8?
#
# Five seeds each (the seed sets the starting weights). We count the epochs until 95% of the training points are
# right, with at most 300 epochs:

# %%
X, y = make_xor(200, noise=0.1, random_state=0)
Xx_train, Xx_test, yx_train, yx_test = train_test_split(X, y, test_size=0.3, random_state=0)


def epochs_to(history, target=0.95):
    """The first epoch with training accuracy >= target, or None if it never got there."""
    reached = np.flatnonzero(np.asarray(history.train_acc) >= target)
    return int(history.epoch[reached[0]]) if len(reached) else None


xor_runs = {}
for sizes in ([4], [8, 8]):
    xor_runs[str(sizes)] = [epochs_to(fit(MLP(2, sizes + [1], seed=seed), Xx_train, yx_train, epochs=300, lr=0.02))
                            for seed in range(5)]
    print(f"hidden {str(sizes):7s} epochs to 95% for seeds 0-4: {xor_runs[str(sizes)]}")
small, large = xor_runs["[4]"], xor_runs["[8, 8]"]
assert None in small and None not in large  # one [4] run never gets there; every [8, 8] run does
assert max(large) < min(e for e in small if e is not None)  # and [8, 8] is always faster

# %% [markdown]
# Four neurons are enough for XOR in principle, but one of the five seeds gets stuck below 95%, and the others
# need more epochs than every [8, 8] run. Bigger networks are not only more expressive: with more neurons, more of
# them start in useful places, so training is faster and more reliable.
#
# ### 6.2 The spiral: wide or deep?
#
# [16, 16] (32 hidden neurons) against [8, 8, 8] (24 neurons in three layers), three seeds each:

# %%
spiral_runs, spiral_tests = {}, {}
for sizes in ([16, 16], [8, 8, 8]):
    runs = [fit(MLP(2, sizes + [1], seed=seed), X_train, y_train, X_test, y_test, epochs=300, lr=0.02)
            for seed in range(3)]
    spiral_runs[str(sizes)] = [epochs_to(h) for h in runs]
    spiral_tests[str(sizes)] = [h.test_acc[-1] for h in runs]
    print(f"hidden {str(sizes):10s} epochs to 95% training accuracy: {spiral_runs[str(sizes)]}   "
          f"test accuracy after 300 epochs: {[f'{acc:.0%}' for acc in spiral_tests[str(sizes)]]}")
assert None not in spiral_runs["[16, 16]"] + spiral_runs["[8, 8, 8]"]  # every run reaches 95% on training data
assert max(spiral_runs["[16, 16]"]) < 100 and max(spiral_runs["[8, 8, 8]"]) > 200
assert min(spiral_tests["[16, 16]"]) == 1.0 and 0.85 < min(spiral_tests["[8, 8, 8]"]) < 0.9
assert max(spiral_tests["[8, 8, 8]"]) == 1.0

# %% [markdown]
# Two things were measured: the epochs until 95% of the *training* points are right, and the accuracy on the
# *test* points after 300 epochs. Every run of both networks reaches 95% on the training points. [16, 16] gets
# there in under 100 epochs every time and all three runs score 100% on the test points; one [8, 8, 8] run needs
# more than 200 epochs, and the deep network's test accuracy varies more, from under 90% to 100%. Depth lets a
# network build more complicated shapes from fewer neurons, but narrow deep networks are harder to train; for
# problems this small, two hidden layers are usually the sweet spot.
#
# ### 6.3 Learning rates 0.01, 0.1 and 0.5
#
# The same [16, 16] network on the spiral with Adam, three learning rates, 200 epochs. The loss axis is
# logarithmic, so that all three curves stay readable side by side:

# %%
lr_models = {lr: MLP(2, [16, 16, 1], seed=0) for lr in (0.01, 0.1, 0.5)}
lr_runs = {lr: fit(net, X_train, y_train, X_test, y_test, epochs=200, lr=lr) for lr, net in lr_models.items()}
fig, ax = new_figure(figsize=(6.5, 3.8))
for (lr, h), colour in zip(lr_runs.items(), (PALETTE[0], PALETTE[2], PALETTE[5])):
    ax.plot(h.epoch, h.train_loss, color=colour, lw=1.8, label=f"lr = {lr}: final accuracy {h.train_acc[-1]:.0%}")
ax.set_yscale("log")  # lr 0.5's early spike would flatten the other two curves on a linear axis
ax.set_xlabel("epoch")
ax.set_ylabel("training loss (log scale)")
ax.set_title("lr 0.01 is slow, 0.1 is fast, 0.5 breaks the network")
ax.legend()
fig

# %%
for lr, h in lr_runs.items():
    ups = int(np.sum(np.diff(h.train_loss) > 0))
    print(f"lr {lr:<4}: loss after 50 epochs {h.train_loss[50]:.3f}, final {h.train_loss[-1]:.3f}, "
          f"train accuracy {h.train_acc[-1]:.0%}, epochs where the loss went up: {ups}")
slow, fast, broken = lr_runs[0.01], lr_runs[0.1], lr_runs[0.5]
silent = np.all(lr_models[0.5].hidden_outputs(X_train, layer=1) == 0, axis=0)  # units that output 0 for every point
print(f"lr 0.5: {silent.sum()} of 16 second-layer units output 0 for every training point")
assert slow.train_loss[50] > 0.4 > fast.train_loss[50] and fast.train_acc[-1] == 1.0
assert abs(broken.train_loss[-1] - np.log(2)) < 0.01 and broken.train_acc[-1] == 0.5 and silent.all()
print(f"lr 0.5: highest training loss {max(broken.train_loss):.1f}, at epoch {int(np.argmax(broken.train_loss))}")
assert round(max(broken.train_loss), 1) == 9.2 and np.argmax(broken.train_loss) < 20  # quoted below

# %% [markdown]
# With 0.01 the loss is still above 0.4 after 50 epochs (it gets there in the end); 0.1 is well below it by then
# and reaches 100%. With 0.5 the loss first shoots up to 9.2 (hence the log axis: on a plain one, that spike
# would flatten the other two curves). Its first steps are so large that they throw the ReLU units into their
# flat region, where no gradient flows: all 16 units of the second layer end up outputting 0 for every point. The
# network gives up: its loss sits at $\ln 2 \approx 0.693$, the loss of saying "50/50" for every point, and its
# accuracy at 50%. Section 9 calls these *dead units*.

# %% [markdown]
# ### 6.4 Too small or too big: underfitting and overfitting
#
# Noisy moons, only 100 training points, and two networks: [2, 2] (13 parameters) and [64, 64] (4417).

# %%
X, y = make_moons(200, noise=0.3, random_state=1)
Xn_train, Xn_test, yn_train, yn_test = train_test_split(X, y, test_size=0.5, random_state=1)
fit_runs = {name: fit(MLP(2, sizes, seed=0), Xn_train, yn_train, Xn_test, yn_test, epochs=600,
                      optimizer="momentum", lr=0.05)
            for name, sizes in (("[2, 2]", [2, 2, 1]), ("[64, 64]", [64, 64, 1]))}
fig, axes = new_figure(1, 2, figsize=(10, 3.6))
for ax, (name, h) in zip(axes, fit_runs.items()):
    plot_history(ax, h)
    ax.set_ylim(0, 0.8)
axes[0].set_title("[2, 2]: train and test loss stay high together (underfit)")
axes[1].set_title("[64, 64]: train loss keeps falling, test loss turns up (overfit)")
fig

# %%
under, over = fit_runs["[2, 2]"], fit_runs["[64, 64]"]
best_epoch, best_test_loss = over.best("test_loss")
for name, h in fit_runs.items():
    print(f"{name:9s} train loss {h.train_loss[-1]:.3f} acc {h.train_acc[-1]:.0%} | "
          f"test loss {h.test_loss[-1]:.3f} acc {h.test_acc[-1]:.0%}")
print(f"[64, 64]: lowest test loss {best_test_loss:.3f} at epoch {best_epoch:g}, then it rises")
assert under.train_loss[-1] > 0.25 and over.train_loss[-1] < 0.1
assert over.test_loss[-1] > 1.5 * best_test_loss and 100 < best_epoch < 300
assert over.test_acc[-1] > under.test_acc[-1]

# %% [markdown]
# The small network **underfits**: its training loss stays above 0.25 because two neurons per layer cannot bend
# the boundary enough; train and test curves are both high and close. The big network **overfits**: its training
# loss drops below 0.1, but its test loss reaches its lowest point between epochs 100 and 300 and then climbs to
# more than 1.5 times that, because it starts to draw around individual noisy training points. (Its test
# *accuracy* is still higher than the small network's: overfitting shows first in the loss, as growing
# over-confidence on the test points it gets wrong.) The cure for underfitting is a bigger network or more
# training; for overfitting, more data, or the techniques of section 8.
#
# ### 6.5 A straight line can solve the circles, given the right inputs
#
# A network with **no hidden layer**, `MLP(2, [1])`, can only draw a straight line. But if we give it extra input
# *features* computed from the point, $x_1^2$, $x_2^2$ and $x_1 x_2$, its "line" in those five numbers can be a
# circle in the plane:

# %%
X, y = make_circles(200, noise=0.05, random_state=0)
Xc_train, Xc_test, yc_train, yc_test = train_test_split(X, y, test_size=0.3, random_state=0)
print("features of the first point:", np.round(make_features(Xc_train[:1], "squares"), 3))
linear_runs = {}
for features in ("x1, x2", "squares"):
    lin = MLP(make_features(Xc_train[:1], features).shape[1], [1], seed=0)
    h = fit(lin, make_features(Xc_train, features), yc_train, make_features(Xc_test, features), yc_test,
            epochs=300, lr=0.05)
    linear_runs[features] = (lin, h)
    print(f"inputs {features:8s}: train accuracy {h.train_acc[-1]:.0%}, test accuracy {h.test_acc[-1]:.0%}")
assert linear_runs["x1, x2"][1].test_acc[-1] < 0.7 and linear_runs["squares"][1].test_acc[-1] == 1.0

# %%
lin = linear_runs["squares"][0]
w, b = lin.layers[0].W.data.ravel(), lin.layers[0].b.data[0]
radius = np.sqrt(b / -np.mean(w[2:4]))
terms = [f"{c:+.2f} {name}" for c, name in zip(w, ["x1", "x2", "x1²", "x2²", "x1·x2"])] + [f"{b:+.2f}"]
formula = " ".join(terms).replace("+", "+ ").replace("-", "- ")  # "+0.24 x1 -0.37 x2" -> "+ 0.24 x1 - 0.37 x2"
print("score =", formula.removeprefix("+ "))
print(f"score = 0 is nearly the circle x1² + x2² = {b / -np.mean(w[2:4]):.2f}, radius {radius:.2f}")
assert 0.5 < radius < 0.7  # between the disc (radius 0.5) and the ring (from 0.7)
fig, axes = new_figure(1, 2, figsize=(9, 4))
for ax, features in zip(axes, ("x1, x2", "squares")):
    lin, h = linear_runs[features]
    plot_decision_boundary(ax, confidence_function(lin, features=features), Xc_train, yc_train, Xc_test, yc_test,
                           title=f"linear model on {features}: test {h.test_acc[-1]:.0%}", legend=ax is axes[0])
fig

# %% [markdown]
# On $x_1, x_2$ alone the best line gets under 70%. With the squares, the weights of $x_1^2$ and $x_2^2$ come
# out nearly equal and negative, so the boundary is a circle of radius between 0.5 and 0.7: exactly the gap
# between the inner disc and the outer ring. Good input features can replace hidden layers; hidden layers *learn*
# their own features, which is why we need them when we don't know the right ones.
#
# **Check.** Choose a network that reaches 95% training accuracy on the spiral. Give the hidden layer sizes and the
# activation; the checker builds `MLP(2, hidden + [1], activation)` and trains it with Adam for at most 1000 epochs
# (it takes a second or two).

# %%
hidden = ____  # e.g. [4]
activation = ____  # "relu" or "tanh"
ex.spiral_architecture.check((hidden, activation))

# %% [markdown]
# ## 7. The playground
#
# Time to play. The panel below trains a network on the plane while you watch, in the spirit of TensorFlow
# Playground. First a still picture of what it shows (made by the same code, so it appears even without a kernel):
# the boundary with training points filled and test points hollow, the loss and accuracy curves, and what each
# neuron of the first hidden layer responds to.

# %%
from nbhelpers.widgets.playground import Playground

panel = Playground(dataset="spiral", noise=0.05, hidden="16, 16", activation="relu", learning_rate=0.01)
panel.train(100)  # what one click on "Train 50 epochs" does, twice
print(panel.message)
panel.figure

# %% [markdown]
# **Touch.** Now the live panel: the same network, ready to continue. It has many controls; take them in three
# groups, in this order.
#
# **Step 1: watch it train.** Use only the row of buttons at first. **Play** trains continuously, a few epochs per
# frame, and **Pause** stops at once; **Step** makes a single update on one mini-batch (watch the boundary
# move a little); **Train** runs the number of epochs chosen beside it; **Reset** goes back to the starting
# weights. Press Reset, then Play, and follow the loss and accuracy curves as the boundary forms.

# %%
panel

# %% [markdown]
# **Step 2: change the data and the network.** The top rows choose the dataset and its noise, the inputs the
# network sees (toggle x1, x2, x1², ... on and off), the hidden layers (sizes as text, e.g. "8, 8"), the activation
# and the loss. Each change starts the training again from new weights. Try:
#
# - *circles* with **no hidden layer** (clear the "hidden layers" box): a straight line, stuck far from 100%. Then
#   switch on the squared inputs x1² and x2².
# - *spiral* with hidden "2": the first-layer pictures show only two lines, and the spiral stays out of reach.
# - *spiral3* (three classes): only cross-entropy handles it; the panel tells you if you pick another loss.
#
# **Step 3: tune the training while it runs.** The optimizer, the learning rate, the L1 and L2 penalties (they
# pull the weights towards 0; section 8.2 explains L2), the batch size and "stop at" apply from the next step,
# keeping the weights. Try:
#
# - learning rate 3 with the *sgd* optimizer and the *mse* loss: training diverges, and the panel stops and says so.
# - noise 0.5 with hidden "64, 64": watch the test curve part ways with the training curve (overfitting), then
#   add L2.
# - set "stop at" to 95% and find the smallest network that gets there.

# %% [markdown]
# The line under the panel is the current settings as code. Paste it into a cell to get the same panel back (an
# instructor can hand one line to a whole room):

# %%
print(panel.code())

# %% [markdown]
# The playground also takes **your own points**: any array `X` of shape (n, 2) and labels `y` with 2 to 4 classes.
# For example, a band across the plane:

# %%
X_mine = rng.uniform(-1, 1, size=(150, 2))
y_mine = (np.abs(X_mine[:, 0] + X_mine[:, 1]) < 0.5).astype(int)  # class 1 inside a diagonal band
Playground(X=X_mine, y=y_mine, hidden="4", activation="relu", train_fraction=0.6)

# %% [markdown]
# ## 8. Making training work
#
# Five techniques that practitioners reach for, each with a small before and after.
#
# ### 8.1 Initialisation: Xavier and He
#
# **Intuition.** Each layer multiplies its inputs by its weights. If the weights are too small, the signal shrinks
# layer after layer until the last layers see nothing (and the gradients, flowing back the same way, vanish too);
# too large, and it grows or saturates. **Xavier** (Glorot) initialisation draws weights with standard deviation
# $\sqrt{2 / (n_\text{in} + n_\text{out})}$, suited to tanh; **He** initialisation uses $\sqrt{2 / n_\text{in}}$, which
# makes up for ReLU zeroing half of its inputs. Both keep the signal's size roughly constant.
#
# **Code.** A deep ReLU network, [32, 32, 32, 32], started four ways. We measure the spread (standard deviation)
# of each hidden layer's outputs before training, then train for 150 epochs:

# %%
init_results = {}
for init in ("auto", "small", "large", "zeros"):
    net = MLP(2, [32, 32, 32, 32, 1], seed=0, init=init)  # "auto" is He for ReLU
    spreads = [float(net.hidden_outputs(X_train, layer=i).std()) for i in range(4)]
    h = fit(net, X_train, y_train, X_test, y_test, epochs=150, lr=0.01)
    init_results[init] = (spreads, h)
    print(f"{init:6s} spread per layer {np.array2string(np.array(spreads), precision=6)}   "
          f"after training: test accuracy {h.test_acc[-1]:.0%}")
he_spreads, small_spreads = init_results["auto"][0], init_results["small"][0]
assert all(0.25 < s < 0.4 for s in he_spreads) and init_results["auto"][1].test_acc[-1] >= 0.95
assert all(a > 10 * b for a, b in zip(small_spreads, small_spreads[1:])) and small_spreads[-1] < 1e-5
assert init_results["small"][1].test_acc[-1] < 0.7
assert init_results["zeros"][1].test_acc[-1] == 0.5
assert init_results["large"][0][-1] > 10 * init_results["large"][0][0]
assert init_results["large"][1].test_acc[-1] < init_results["auto"][1].test_acc[-1]

# %% [markdown]
# With He initialisation the spread stays between about 0.25 and 0.4 in every layer and the network learns the
# spiral. With a standard deviation of 0.01 the signal shrinks more than 10-fold per layer, to less than $10^{-5}$
# in the fourth: after 150 epochs the test accuracy is still under 70%. All zeros is worse: every neuron of a
# layer computes the same thing and receives the same gradient, so they stay identical forever, and the network
# never leaves 50%. A standard deviation of 1 ("large") makes the signal grow more than 10-fold over the four layers;
# it trains, but from a poor start, and ends with a lower test accuracy than He initialisation.

# %% [markdown]
# ### 8.2 Fighting overfitting: L2 weight decay, dropout, early stopping
#
# Back to the overfitting [64, 64] network of section 6.4, with three remedies:
#
# - **L2 weight decay** adds $\lambda \sum w^2$ to the loss, so every step also shrinks the weights a little; a
#   network with small weights draws smoother boundaries.
# - **Dropout** switches off a random fraction of the hidden neurons at every training step, so no neuron can rely
#   on a particular other one; at test time all neurons work (the package rescales so the sums match).
# - **Early stopping** watches the loss on held-out points and stops when it has not improved for a while (the
#   *patience*), going back to the weights of the best epoch.
#
# Which held-out points? Not the test set. Choosing *when to stop* by looking at the test points is tuning on
# them, and the test score would then flatter the network: it would no longer estimate how it does on points it
# has never influenced. So early stopping watches a third set, a **validation set**, and the test set is used
# once, at the end, as for the other remedies. With real data the validation set is carved out of the training
# points. Ours are generated, so we draw 100 more points from the same source instead: the network still trains
# on the same 100 points as the other remedies, and 100 validation points give a steadier signal than the 25 we
# could spare (with few validation points, the epoch where it stops depends on which points they happen to be).

# %%
remedies = {
    "plain": fit(MLP(2, [64, 64, 1], seed=0), Xn_train, yn_train, Xn_test, yn_test, epochs=600,
                 optimizer="momentum", lr=0.05),
    "L2 0.003": fit(MLP(2, [64, 64, 1], seed=0), Xn_train, yn_train, Xn_test, yn_test, epochs=600,
                    optimizer="momentum", lr=0.05, l2=0.003),
    "dropout 0.5": fit(MLP(2, [64, 64, 1], seed=0, dropout=0.5), Xn_train, yn_train, Xn_test, yn_test, epochs=600,
                       optimizer="momentum", lr=0.05),
}
Xn_val, yn_val = make_moons(100, noise=0.3, random_state=2)  # validation: same source, new points
early = Trainer(MLP(2, [64, 64, 1], seed=0), Xn_train, yn_train, Xn_val, yn_val, optimizer="momentum", lr=0.05,
                patience=50)  # the Trainer's "test" set here is the validation set: the one it watches
h_early = early.train_epochs(600)
kept_epoch, _ = h_early.best("test_loss")  # the epoch of the lowest validation loss: the weights it restored
early_loss, early_acc = early.evaluate(Xn_test, yn_test, yn_test)  # those weights, on the untouched test set
print(f"early stopping watched {len(Xn_val)} validation points, stopped at epoch {h_early.epoch[-1]:g} and kept "
      f"the weights of epoch {kept_epoch:g}")

fig, ax = new_figure(figsize=(7, 3.8))
for (name, h), colour in zip(remedies.items(), (PALETTE[5], PALETTE[0], PALETTE[2])):
    ax.plot(h.epoch, h.test_loss, color=colour, lw=1.8, label=name)
ax.axvline(kept_epoch, color=PALETTE[3], ls="--", lw=1.5, label=f"early stopping keeps epoch {kept_epoch:g}")
ax.set_ylim(0, 0.8)
ax.set_xlabel("epoch")
ax.set_ylabel("test loss")
ax.set_title("Test loss of the [64, 64] network: each remedy stops the climb")
ax.legend()
fig

# %%
final = {name: (h.test_loss[-1], h.test_acc[-1]) for name, h in remedies.items()}
final["early stopping"] = (early_loss, early_acc)
for name, (loss, acc) in final.items():
    print(f"{name:15s} test loss {loss:.3f}   test accuracy {acc:.0%}")
remedied = ("L2 0.003", "dropout 0.5", "early stopping")
assert all(final[name][0] < 0.8 * final["plain"][0] and final[name][1] >= final["plain"][1] for name in remedied)

# %% [markdown]
# Every remedy ends with a test loss at least 20% lower than the plain network's, and a test accuracy at least as
# high. L2 and dropout change how the network trains; early stopping just stops at the right time, and costs
# nothing but the validation points. Too much of a remedy hurts too: in the playground, raise L2 step by step on a curved dataset and watch the
# boundary straighten until it no longer fits.
#
# ### 8.3 Batch normalisation
#
# **Intuition.** Inside a deep network, each layer's inputs keep changing as the earlier layers learn. **Batch
# normalisation** re-centres and re-scales each neuron's weighted sums over the mini-batch (to mean 0 and spread 1,
# then a learned scale $\gamma$ and shift $\beta$), so every layer sees inputs of a steady size.
#
# **Math.** For one neuron with weighted sums $z_1, \dots, z_B$ over a batch: $\hat z_i = (z_i - \mu) /
# \sqrt{\sigma^2 + \epsilon}$, output $\gamma \hat z_i + \beta$. At test time $\mu, \sigma^2$ are running averages
# collected during training.
#
# **Code.** A deep *sigmoid* network, [32, 32, 32, 32], is hard to train with plain momentum: sigmoids
# squash, and the gradient fades layer by layer (chapter 2). With batch normalisation:

# %%
bn_runs = {bn: fit(MLP(2, [32, 32, 32, 32, 1], activation="sigmoid", seed=0, batch_norm=bn), X_train, y_train,
                   X_test, y_test, epochs=60, optimizer="momentum", lr=0.2, batch_size=32)
           for bn in (False, True)}
for bn, h in bn_runs.items():
    print(f"batch norm {str(bn):5s}: training loss {h.train_loss[0]:.3f} -> {h.train_loss[-1]:.3f}, "
          f"train accuracy {h.train_acc[-1]:.0%}")
assert bn_runs[False].train_acc[-1] == 0.5 and bn_runs[True].train_acc[-1] > 0.7

# %% [markdown]
# Without batch normalisation the deep sigmoid network stays at 50% after 60 epochs; with it, it passes 70% in the
# same time. Batch normalisation is one reason very deep networks became trainable at all.
#
# ## 9. Debugging: a checklist
#
# When training does not work, go down this list. Each item is demonstrated below.
#
# 1. **Can it overfit a tiny set?** Train on 10 points. A working network and loop get all 10 right quickly; if
#    not, the bug is in the code, not the data.
# 2. **Are the gradients zeroed every step?** A forgotten `zero_grad()` makes gradients pile up.
# 3. **Does the loss explode?** The learning rate is too high.
# 4. **Is the loss flat?** The learning rate is too small, or the units are dead.
#
# **1. Overfit 10 samples.**

# %%
X_tiny, y_tiny = make_spiral(10, noise=0.0, random_state=3)
h = fit(MLP(2, [16, 16, 1], seed=0), X_tiny, y_tiny, epochs=300, lr=0.02, target_accuracy=1.0)
print(h.stopped)
assert h.train_acc[-1] == 1.0 and h.epoch[-1] < 50

# %% [markdown]
# All 10 in fewer than 50 epochs: the model and the loop can learn. (If this fails, check the shapes, the labels
# and the loop before anything else.)
#
# **2. The forgotten `zero_grad()`.** Backward passes *add* into `.grad`. Run backward twice and the gradient
# doubles:

# %%
net = MLP(2, [4, 1], seed=0)
loss = bce_loss(net(X_train), y_train)
loss.backward()
once = net.parameters()[0].grad.copy()
bce_loss(net(X_train), y_train).backward()
print("after one backward :", np.round(once[0], 4))
print("after two backwards:", np.round(net.parameters()[0].grad[0], 4))
assert np.allclose(net.parameters()[0].grad, 2 * once)

# %% [markdown]
# In a training loop without `zero_grad()`, each step uses the sum of *all* past gradients. Section 3's loop on the
# moons, with and without that line:

# %%
X, y = make_moons(200, noise=0.15, random_state=0)
Xm_train, Xm_test, ym_train, ym_test = train_test_split(X, y, test_size=0.3, random_state=0)
curves = {}
for zero_grad in (True, False):
    net = MLP(2, [8, 8, 1], seed=0)
    opt = Adam(net.parameters(), lr=0.02)
    curves[zero_grad] = []
    for epoch in range(300):
        loss = bce_loss(net(Xm_train), ym_train)
        if zero_grad:
            opt.zero_grad()
        loss.backward()
        opt.step()
        curves[zero_grad].append(loss.item())
fig, ax = new_figure(figsize=(6.5, 3.6))
ax.plot(curves[True], color=PALETTE[0], lw=1.8, label="with zero_grad()")
ax.plot(curves[False], color=PALETTE[5], lw=1.8, label="zero_grad() forgotten")
ax.set_xlabel("epoch")
ax.set_ylabel("training loss")
ax.set_title("Without zero_grad() the steps follow stale gradients and the loss wanders")
ax.legend()
fig

# %%
ups = int(np.sum(np.diff(curves[False]) > 1e-4))
print(f"final loss: {curves[True][-1]:.4f} with zero_grad, {curves[False][-1]:.4f} without; "
      f"without it the loss went up in {ups} of 299 epochs")
assert curves[False][-1] > 100 * curves[True][-1] and ups > 100

# %% [markdown]
# With `zero_grad()` the loss falls smoothly to near 0; without it, it goes up in more than 100 of the 299 epochs
# and ends more than 100 times higher. The bug raises no error: only the curve gives it away.
#
# **3. A learning rate far too high.** The package's `Trainer` stops a run whose loss explodes (or whose weights
# become infinite), rolls back to the last good epoch and says so, instead of training on NaN:

# %%
trainer = Trainer(MLP(2, [16, 16, 1], seed=0), Xm_train, ym_train, optimizer="sgd", lr=50.0)
h = trainer.train_epochs(100)
print(h.stopped)
assert h.diverged and all(np.all(np.isfinite(p.data)) for p in trainer.model.parameters())

# %% [markdown]
# **4. A flat loss.** Two causes. A learning rate so small that nothing moves, and **dead units**: a ReLU whose
# weighted sum is negative for every input outputs 0 everywhere, and its gradient is 0 too, so it never recovers.
# Here we kill every first-layer unit on purpose by setting their biases to $-10$:

# %%
h_tiny_lr = fit(MLP(2, [16, 16, 1], seed=0), Xm_train, ym_train, epochs=100, optimizer="sgd", lr=1e-4)
dead_net = MLP(2, [16, 16, 1], seed=0)
dead_net.layers[0].b.data[:] = -10.0
dead = np.mean(dead_net.hidden_outputs(Xm_train, layer=0) == 0)
h_dead = fit(dead_net, Xm_train, ym_train, epochs=100, lr=0.02)
print(f"lr 1e-4    : loss {h_tiny_lr.train_loss[0]:.4f} -> {h_tiny_lr.train_loss[-1]:.4f} in 100 epochs")
print(f"dead units : {dead:.0%} of first-layer outputs are 0; loss {h_dead.train_loss[0]:.4f} -> "
      f"{h_dead.train_loss[-1]:.4f}")
assert h_tiny_lr.train_loss[0] - h_tiny_lr.train_loss[-1] < 0.01
assert dead == 1.0 and h_dead.train_loss[-1] == h_dead.train_loss[0] and np.isclose(h_dead.train_loss[-1], np.log(2))

# %% [markdown]
# With a learning rate of $10^{-4}$ the loss moves by less than 0.01 in 100 epochs. With every unit dead the loss
# does not move at all: it stays at $\ln 2$, the "50/50" answer, because no gradient reaches the weights. Fixes:
# a larger learning rate; He initialisation and zero biases at the start (our default); Leaky ReLU, which keeps a
# small slope for negative inputs; a smaller learning rate if units die during training (section 6.3).
#
# **Check.** This loop trains nothing: the loss never changes. Which numbered line is the bug?
#
# ```python
# optimizer = SGD(model.parameters(), lr=0.1)    # 1
# for epoch in range(100):                       # 2
#     scores = model(X_train)                    # 3
#     loss = bce_loss(scores, y_train); loss.backward()  # 4
#     optimizer.zero_grad()                      # 5
#     optimizer.step()                           # 6
# ```

# %%
bug_line = ____  # a line number, 1 to 6
ex.spot_the_bug.check(bug_line)

# %% [markdown]
# ## 10. Real data: handwritten digits
#
# Everything carries over to real data. The package ships a small copy of the UCI handwritten digits (1797 images
# of 8x8 pixels, values 0 to 16, written by 43 people; licence CC BY 4.0, see `nbhelpers/data/README.md`). Each
# image is a row of 64 numbers: the network's input layer has 64 inputs, and its output layer 10 scores, one per
# digit.

# %%
X_digits, y_digits = load_digits()
print("X:", X_digits.shape, " y:", y_digits.shape, " pixel values", X_digits.min(), "to", X_digits.max())
plot_digits(X_digits[:16], titles=[f"label {d}" for d in y_digits[:16]])

# %% [markdown]
# We scale the pixels to $[0, 1]$, keep a quarter of the images for testing, and train `MLP(64, [32, 10])` with
# softmax cross-entropy and Adam on mini-batches of 64:

# %%
Xd_train, Xd_test, yd_train, yd_test = train_test_split(X_digits / 16.0, y_digits, test_size=0.25, random_state=0)
digit_model = MLP(64, [32, 10], seed=0)
h_digits = fit(digit_model, Xd_train, yd_train, Xd_test, yd_test, epochs=30, lr=0.01, batch_size=64)
predicted = np.argmax(digit_model.predict_scores(Xd_test), axis=1)  # the digit with the highest score
test_acc = np.mean(predicted == yd_test)
print(f"{len(Xd_train)} training images, {len(Xd_test)} test images")
print(f"train accuracy {h_digits.train_acc[-1]:.1%}, test accuracy {test_acc:.1%}")
assert test_acc >= 0.95  # the claim of this section

# %% [markdown]
# More than 95% of digits the network never saw are read correctly, by a network with 2410 parameters. Where are
# the mistakes? The **confusion matrix** counts, for every true digit (row),
# what the network said (column); correct answers sit on the diagonal.

# %%
matrix = confusion_matrix(yd_test, predicted, n_classes=10)
assert matrix.trace() == np.sum(predicted == yd_test) and digit_model.n_parameters == 2410
wrong = np.flatnonzero(predicted != yd_test)
fig, ax = new_figure(figsize=(5.2, 4.6))
plot_confusion_matrix(ax, matrix, title=f"Digits: {matrix.trace()} of {matrix.sum()} on the diagonal")
fig

# %%
print(f"{len(wrong)} test images misread; here they are, as 'true -> said':")
plot_digits(Xd_test[wrong] * 16, titles=[f"{yd_test[i]} -> {predicted[i]}" for i in wrong], ncols=8)

# %% [markdown]
# Look at them closely: at 8x8 pixels, some would make a person hesitate too.
#
# **Optional: the same model in PyTorch.** If PyTorch is installed, this cell trains the same architecture with it
# (same data, loss and optimizer); if not, it says so and moves on. The numbers will differ a little: PyTorch starts
# from other random weights.

# %%
try:
    import torch
except ImportError:
    torch = None
    print("PyTorch is not installed here: skipping this optional cell (pip install torch to try it).")

if torch is not None:
    torch.set_num_threads(1)  # a network this small trains fastest on one thread (and leaves the others free)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    Xt, yt = torch.tensor(Xd_train, dtype=torch.float32), torch.tensor(yd_train)
    order = np.random.default_rng(0)
    for epoch in range(30):
        for batch in np.array_split(order.permutation(len(Xt)), int(np.ceil(len(Xt) / 64))):
            loss = torch.nn.functional.cross_entropy(net(Xt[batch]), yt[batch])  # forward + loss
            opt.zero_grad()  # the same five steps
            loss.backward()
            opt.step()
    with torch.no_grad():
        torch_pred = net(torch.tensor(Xd_test, dtype=torch.float32)).argmax(dim=1).numpy()
    print(f"PyTorch: test accuracy {np.mean(torch_pred == yd_test):.1%}")

# %% [markdown]
# ## Summary
#
# - An MLP is layers of neurons: `MLP(2, [8, 8, 1])` has 2 inputs, two hidden layers of 8 and one output score;
#   each layer is one matrix product, a bias and an activation.
# - Every training loop is five lines: forward, loss, `zero_grad()`, `backward()`, `step()`; repeated for each
#   mini-batch, for many epochs.
# - Use cross-entropy for classification (binary with one score, softmax with one score per class); hinge if you
#   only need decisions; mean squared error for regression.
# - Hold out a test set and watch both curves: both high means underfitting (bigger network, longer training);
#   train falling while test rises means overfitting (more data, L2, dropout, early stopping).
# - Start from Xavier/He initialisation; batch normalisation helps deep networks train.
# - Debug in order: overfit 10 points; check `zero_grad()`; a loss that explodes means a learning rate too high;
#   a flat one, too low or dead units.
# - The same code reads handwritten digits with more than 95% test accuracy.

# %% [markdown]
# **Common pitfalls**
# - Forgetting `optimizer.zero_grad()` (or putting it between `backward()` and `step()`): no error, just training
#   that wanders or does nothing.
# - Comparing scores of shape (n, 1) with labels of shape (n,): NumPy broadcasts to an (n, n) table and the
#   "accuracy" is nonsense. Flatten with `.ravel()` first.
# - Reading scores as probabilities: a score is a *logit*; class 1 means score > 0, probability = sigmoid(score).
# - Labels in the wrong form for the loss: hinge wants $-1/+1$, binary cross-entropy $0/1$, softmax cross-entropy
#   whole numbers $0 \dots k-1$ (the package's losses say so if you mix them up).
# - Judging a network on its training accuracy alone, or tuning it on the test set until the test score is no
#   longer an honest estimate (keep a validation set for tuning).
# - Learning rates copied from elsewhere: 0.01 for Adam and 0.1 for SGD are starting points; plot the loss and adjust.

# %% [markdown]
# **Key terms**
#
# | English | 简体中文 | 繁體中文 |
# |---|---|---|
# | multi-layer perceptron (MLP) | 多层感知机 | 多層感知器 |
# | training loop | 训练循环 | 訓練迴圈 |
# | epoch | 轮次（epoch） | 訓練週期（epoch） |
# | mini-batch | 小批量 | 小批次 |
# | loss function | 损失函数 | 損失函數 |
# | mean squared error | 均方误差 | 均方誤差 |
# | hinge loss | 合页损失 | 鉸鏈損失 |
# | cross-entropy | 交叉熵 | 交叉熵 |
# | training set / test set | 训练集 / 测试集 | 訓練集 / 測試集 |
# | accuracy | 准确率 | 準確率 |
# | underfitting / overfitting | 欠拟合 / 过拟合 | 欠擬合 / 過擬合 |
# | weight decay (L2 regularisation) | 权重衰减（L2 正则化） | 權重衰減（L2 正則化） |
# | dropout | 丢弃法（Dropout） | 丟棄法（Dropout） |
# | batch normalisation | 批量归一化 | 批次正規化 |
# | early stopping | 早停 | 提前停止 |
# | weight initialisation | 权重初始化 | 權重初始化 |
# | dead unit (dead ReLU) | 死亡神经元 | 死亡神經元 |
# | confusion matrix | 混淆矩阵 | 混淆矩陣 |
#
# **Next:** this is the last chapter of the course. Go back to [Chapter 1 · The neuron](01_neuron.ipynb) and you
# will find that every idea there now has a place in the loop you wrote here. From here, a framework such as
# PyTorch does the same five steps on a GPU, with convolutional layers for images and attention for text: the
# ideas are the ones you have just used.
