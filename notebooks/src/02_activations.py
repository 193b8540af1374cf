# %% [markdown]
# # Chapter 2 · Activation functions
#
# {{BADGES}}
#
# In chapter 1 every neuron ended with a sigmoid, and we never asked why. This chapter asks. You will prove,
# with numbers, that a network without activations is no deeper than one layer however many layers you stack;
# write the common activations (sigmoid, tanh, ReLU and its leaky cousin, the identity, softmax) and their
# slopes in a few lines of NumPy each; watch how each one shapes what a single neuron draws; see why deep
# stacks of sigmoids stop learning; pick the right activation for a network's output; and make sigmoid and
# softmax survive inputs like 1000 without overflowing.
#
# **You will learn**
# - why a network needs non-linear activations: stacked linear layers multiply out to one layer;
# - sigmoid, tanh, ReLU, leaky ReLU, linear and softmax: formula, derivative, range, and when to use each;
# - how to check a derivative with a numerical (central-difference) slope;
# - why gradients vanish through many sigmoid layers, and what a "dead" ReLU is;
# - which activation goes on the output layer for binary, multi-class and regression tasks, and which loss goes with it;
# - how to compute sigmoid and softmax without overflow.
#
# **Time:** about 50 minutes. **You need:** chapter 1 (a neuron, a layer as `X @ W + b`), and the idea of a
# slope (derivative) from school.
#
# Run the cells from top to bottom (in Jupyter: *Run > Run All Cells*). Every run shows the same numbers.

# %% [setup]

# %%
import warnings

import numpy as np

from nbhelpers import activations as A
from nbhelpers.exercises import ____
from nbhelpers.exercises import ch02 as ex
from nbhelpers.plotting import new_figure, plot_surface
from nbhelpers.plotting.activations import (plot_activation_gallery, plot_dying_relu, plot_gradient_products,
                                            plot_mystery_curve, plot_neuron_gallery, plot_softmax)

# %% [markdown]
# ## 1. Why a network needs non-linearity
#
# **Intuition.** Changing euros into dollars, then dollars into yen, is the same as changing euros straight
# into yen at one combined rate (and if each exchange takes a fixed fee, the fees combine too). A layer without
# an activation is such an exchange: it scales, mixes and shifts its inputs. Do it three times, or a hundred,
# and the result is still one scale-mix-shift. All that depth buys nothing.
#
# **Math.** Two layers without activations, $\mathbf{h} = \mathbf{x} W_1 + \mathbf{b}_1$ and
# $\mathbf{y} = \mathbf{h} W_2 + \mathbf{b}_2$. Put the first into the second and multiply the bracket out:
#
# $$ \mathbf{y} = (\mathbf{x} W_1 + \mathbf{b}_1) W_2 + \mathbf{b}_2
#    = \mathbf{x} \underbrace{(W_1 W_2)}_{W} + \underbrace{(\mathbf{b}_1 W_2 + \mathbf{b}_2)}_{\mathbf{b}}. $$
#
# That is one layer with weights $W = W_1 W_2$ and bias $\mathbf{b} = \mathbf{b}_1 W_2 + \mathbf{b}_2$. Each extra
# layer folds in the same way.
#
# **Code.** Three linear layers, 2 inputs → 8 → 8 → 1 output, with random weights. Run 1000 points through
# them layer by layer, then through the single layer we get by multiplying the matrices out, and compare.

# %%
# random weights, on the large side so that the picture below shows its bends clearly
W1, b1 = 2 * rng.normal(size=(2, 8)), rng.normal(size=8)
W2, b2 = 0.7 * rng.normal(size=(8, 8)), rng.normal(size=8)
W3, b3 = rng.normal(size=(8, 1)), rng.normal(size=1)


def linear_stack(X):
    h1 = X @ W1 + b1  # layer 1: no activation
    h2 = h1 @ W2 + b2  # layer 2: no activation
    return h2 @ W3 + b3  # layer 3


W = W1 @ W2 @ W3  # (2, 8) @ (8, 8) @ (8, 1) -> (2, 1)
b = (b1 @ W2 + b2) @ W3 + b3  # every bias passes through the weights after it

X = rng.uniform(-2, 2, size=(1000, 2))  # 1000 random points of the plane
three_layers = linear_stack(X)
one_layer = X @ W + b
print(f"one layer: W has shape {W.shape}, b has shape {b.shape}")
print(f"largest difference between three layers and one, over 1000 points: "
      f"{np.max(np.abs(three_layers - one_layer)):.1e}")
assert np.max(np.abs(three_layers - one_layer)) < 1e-12  # the same function, up to rounding

# %% [markdown]
# The two differ by less than $10^{-12}$: nothing but floating-point rounding. The claim holds for any depth.
# Here are 100 layers of 3 neurons each, run one after the other, and folded into one layer with a loop that
# applies the rule above once per layer:

# %%
n_layers = 100
layers = [(rng.normal(size=(3, 3)) / np.sqrt(3), rng.normal(size=3)) for _ in range(n_layers)]

x = rng.normal(size=(5, 3))  # 5 samples with 3 inputs each
h = x
for Wk, bk in layers:  # 100 layers, no activation
    h = h @ Wk + bk

W_all, b_all = np.eye(3), np.zeros(3)  # start from "do nothing"
for Wk, bk in layers:  # fold each layer in
    W_all, b_all = W_all @ Wk, b_all @ Wk + bk

print(f"{n_layers} layers vs one layer: largest relative difference "
      f"{np.max(np.abs(h - (x @ W_all + b_all))) / np.max(np.abs(h)):.1e}")
assert np.allclose(h, x @ W_all + b_all)

# %% [markdown]
# So "100 layers without activations" is 1 layer. **Picture.** Colour the plane by the three-layer network's
# output (through a sigmoid at the very end, to read it as a probability): since it is one layer in disguise, its
# boundary is a straight line, like a single neuron's in chapter 1. Put a `tanh` after each hidden layer, keep
# every weight the same, and the boundary bends.

# %%
def tanh_stack(X):
    h1 = np.tanh(X @ W1 + b1)  # the same weights, now with an activation
    h2 = np.tanh(h1 @ W2 + b2)
    return h2 @ W3 + b3


fig, axes = new_figure(1, 2, figsize=(10, 4))
for ax, net, title in [(axes[0], linear_stack, "Three linear layers: still one straight line"),
                       (axes[1], tanh_stack, "Same weights, tanh between layers: the boundary bends")]:
    plot_surface(ax, lambda P: A.sigmoid(net(P)), (-2, 2), (-2, 2), resolution=150, colorbar=ax is axes[1],
                 label="sigmoid(network output)")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
fig

# %% [markdown]
# **Check.** Write the rule yourself: a function that takes two linear layers and returns the single layer
# `(W, b)` that computes the same thing.

# %%
def collapse(W1, b1, W2, b2):
    W = ____  # your code here
    b = ____
    return W, b


ex.collapse.check(collapse)

# %% [markdown]
# ## 2. The activation functions
#
# An activation is applied to each neuron's weighted sum $z$ on its own. Here are the ones you will meet
# everywhere, with their slopes $f'(z)$, which training relies on (chapters 3 and 4):
#
# | name | $f(z)$ | $f'(z)$ | range | typical use |
# |---|---|---|---|---|
# | sigmoid | $\sigma(z) = \dfrac{1}{1+e^{-z}}$ | $\sigma(z)\,(1-\sigma(z))$ | $(0, 1)$ | output for yes/no (binary) tasks |
# | tanh | $\tanh z = \dfrac{e^{z}-e^{-z}}{e^{z}+e^{-z}}$ | $1-\tanh^2 z$ | $(-1, 1)$ | hidden layers of small networks; centred on 0 |
# | ReLU | $\max(0, z)$ | $1$ if $z>0$, else $0$ | $[0, \infty)$ | the default for hidden layers |
# | leaky ReLU | $z$ if $z>0$, else $\alpha z$ | $1$ if $z>0$, else $\alpha$ | $(-\infty, \infty)$ | hidden layers; keeps a small slope below 0 (section 4 shows why that matters) |
# | linear (identity) | $z$ | $1$ | $(-\infty, \infty)$ | output for regression (predicting a quantity) |
#
# **Intuition.** Sigmoid and tanh are *soft switches*: off at one end, on at the other, a smooth ramp
# between, and flat (slope near 0) far out on both sides. ReLU is a *one-way valve*: negative sums are
# blocked, positive ones pass unchanged. Leaky ReLU lets a trickle ($\alpha = 0.01$ of the signal) through the
# closed valve. Linear does nothing at all, which section 1 showed is useless in a hidden layer but exactly right
# for an output that may be any number.
#
# **Code.** Each is one or two lines of NumPy, and each works on a whole array at once:

# %%
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    return np.tanh(z)  # (e^z - e^-z) / (e^z + e^-z)


def tanh_prime(z):
    return 1 - np.tanh(z) ** 2


def relu(z):
    return np.maximum(0, z)


def relu_prime(z):
    return np.where(z > 0, 1.0, 0.0)  # 1 on the ramp, 0 on the floor (and at the kink z = 0, by convention)


def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, z, alpha * z)


def leaky_relu_prime(z, alpha=0.01):
    return np.where(z > 0, 1.0, alpha)


def linear(z):
    return z


def linear_prime(z):
    return np.ones_like(z)


z3 = np.array([-2.0, 0.0, 2.0])
print("sigmoid([-2, 0, 2]) =", np.round(sigmoid(z3), 4))
print("tanh([-2, 0, 2])    =", np.round(tanh(z3), 4))
print("relu([-2, 0, 2])    =", relu(z3), "   leaky_relu:", leaky_relu(z3))
assert np.allclose(np.round(sigmoid(z3), 4), [0.1192, 0.5, 0.8808])
assert np.allclose(np.round(tanh(z3), 4), [-0.9640, 0.0, 0.9640])

# %% [markdown]
# The course package `nbhelpers.activations` holds the tested versions, which later chapters import by name
# (`A.get_activation("relu")`). Ours agree with them on 2001 points from -10 to 10, values and slopes:

# %%
ours = {"sigmoid": (sigmoid, sigmoid_prime), "tanh": (tanh, tanh_prime), "relu": (relu, relu_prime),
        "leaky_relu": (leaky_relu, leaky_relu_prime), "linear": (linear, linear_prime)}

z = np.linspace(-10, 10, 2001)
for name, (f, f_prime) in ours.items():
    ref = A.get_activation(name)
    same = np.allclose(f(z), ref.function(z)) and np.allclose(f_prime(z), ref.derivative(z))
    print(f"{name:<11} range {ref.output_range:<12} agrees with nbhelpers: {same}   use: {ref.use}")
    assert same

# %% [markdown]
# **Are the slopes right?** A derivative is the slope of the curve, and we can measure a slope without any
# calculus: nudge $z$ a little, by $\varepsilon$ (a tiny number, `eps` in code), both ways, and divide the change by
# the distance, rise over run:
#
# $$ f'(z) \approx \frac{f(z+\varepsilon) - f(z-\varepsilon)}{2\varepsilon}. $$
#
# This *central difference* is how you check any derivative you write (chapter 4 uses it to check whole
# networks). We stay away from ReLU's kink at $z = 0$, where the slope jumps and is not defined.

# %%
eps = 1e-5
z_test = np.array([-3.0, -0.7, 0.4, 2.5])
for name, (f, f_prime) in ours.items():
    numeric = (f(z_test + eps) - f(z_test - eps)) / (2 * eps)
    error = np.max(np.abs(numeric - f_prime(z_test)))
    print(f"{name:<11} largest gap between formula and measured slope: {error:.1e}")
    assert error < 1e-6

# %% [markdown]
# **Picture.** Each function (solid) with its slope (dashed). Look at the dashed lines: they decide how much
# of a learning signal passes back through a neuron (section 4). Leaky ReLU is drawn with $\alpha = 0.1$ so you
# can see its slope on the left; in practice $\alpha = 0.01$.

# %%
plot_activation_gallery(["sigmoid", "tanh", "relu", "leaky_relu", "linear", "gelu"])

# %% [markdown]
# The sixth panel is **GELU**, a modern smooth version of ReLU used in transformer models such as BERT and GPT.
#
# *Optional (a first pass can skip to "Softmax" below):* GELU is $z$ times the probability that a standard normal
# variable is below $z$. The usual approximation, in code, with its fitted constant 0.044715:

# %%
def gelu(z):
    return 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)))


lowest = np.argmin(gelu(z))
print(f"GELU's lowest value: {gelu(z)[lowest]:.3f} at z = {z[lowest]:.2f};  agrees with nbhelpers: "
      f"{np.allclose(gelu(z), A.gelu(z))}")
assert np.allclose(gelu(z), A.gelu(z)) and round(float(gelu(z)[lowest]), 2) == -0.17

# %% [markdown]
# Unlike ReLU, GELU has no kink and lets small negative sums through a little (its dip reaches about $-0.17$).
#
# ### Softmax: scores into probabilities
#
# **Intuition.** A network that must pick one of $k$ classes ends with $k$ neurons, one score each. Softmax turns
# the scores into probabilities: all positive, adding up to 1, the largest score getting the largest share. It is
# not applied to each number on its own: every output depends on every score.
#
# **Math.** For scores (also called **logits**) $z_1, \dots, z_k$:
#
# $$ \operatorname{softmax}(\mathbf{z})_i = \frac{e^{z_i}}{\sum_{j=1}^{k} e^{z_j}}. $$
#
# The sign $\sum_{j=1}^{k}$ ("sum over $j$") means: add up what follows for $j = 1, 2, \dots, k$, so the bottom is
# $e^{z_1} + \dots + e^{z_k}$. Every $e^{\dots}$ is positive, and the shares add up to 1 by construction.
#
# **Code.** For a batch, one row of scores per sample; `keepdims=True` keeps the row sums in a column so that
# each row is divided by its own sum.

# %%
def softmax(z):
    e = np.exp(z)  # we will make this line safe in section 6
    return e / np.sum(e, axis=-1, keepdims=True)


scores = np.array([[2.0, 1.0, 0.1]])
probabilities = softmax(scores)
print("softmax([[2, 1, 0.1]]) =", np.round(probabilities, 4), "  row sum:", probabilities.sum(axis=-1))
print("agrees with nbhelpers:", np.allclose(probabilities, A.softmax(scores)))
print("adding 100 to every score changes nothing:", np.allclose(softmax(scores + 100), probabilities))
assert np.allclose(np.round(probabilities, 4), [[0.6590, 0.2424, 0.0986]])
assert np.allclose(probabilities, A.softmax(scores)) and np.allclose(softmax(scores + 100), probabilities)

# %% [markdown]
# That last line (adding the same number to every score changes nothing, because $e^{z_i + c} = e^c e^{z_i}$ and
# $e^c$ cancels) is the key to a safe softmax in section 6.
#
# **Optional: softmax's slopes, the Jacobian** (a first pass can skip to the picture). Each output $s_i$ moves when
# *any* score $z_j$ moves. The slope of $s_i$ when only $z_j$ is nudged, every other score held still, is a
# **partial derivative**, written $\partial s_i / \partial z_j$ (the curly $\partial$ says "others held still"):
#
# $$ \frac{\partial s_i}{\partial z_j} = s_i\,(\delta_{ij} - s_j), \qquad \delta_{ij} = 1 \text{ if } i = j
#    \text{, else } 0. $$
#
# The $k \times k$ table of them is the **Jacobian**. It passes the same slope test as before:

# %%
s = softmax(scores[0])
jacobian = s[:, None] * (np.eye(3) - s[None, :])  # s_i (delta_ij - s_j)
numeric = np.array([(softmax(scores[0] + eps * e_j) - softmax(scores[0] - eps * e_j)) / (2 * eps)
                    for e_j in np.eye(3)]).T  # column j: nudge score j only
print(np.round(jacobian, 4))
print(f"largest gap to the measured slopes: {np.max(np.abs(jacobian - numeric)):.1e}")
assert np.allclose(jacobian, numeric, atol=1e-8) and np.allclose(jacobian, A.softmax_jacobian(scores[0]))

# %% [markdown]
# **Picture.** The scores can be any numbers; after softmax they are shares of one.

# %%
plot_softmax(scores[0], ["cat", "dog", "bird"])

# %% [markdown]
# **Check.** Write sigmoid and its slope yourself (without scrolling up!). Replace `____`, run the cell;
# `ex.sigmoid.hint()` gives a hint and `ex.sigmoid.solution()` the answer.

# %%
def my_sigmoid(z):
    return ____  # your code here


ex.sigmoid.check(my_sigmoid)

# %%
def my_sigmoid_derivative(z):
    return ____  # your code here: use the sigmoid's own value


ex.sigmoid_derivative.check(my_sigmoid_derivative)

# %% [markdown]
# ## 3. One neuron, six activations
#
# **Intuition.** In chapter 1 a neuron drew a line: the weights turn it, the bias shifts it. The activation
# does not move the line. It decides what the neuron *says* on either side of it: a soft yes/no (sigmoid,
# tanh), a floor and a ramp (ReLU), or a plain tilted plane (linear).
#
# **Picture.** The same neuron, $w = [1.5, 1]$ and $b = 0.5$, with each activation. The dashed line is
# $w \cdot x + b = 0$ in every panel. White means output 0 (0.5 for sigmoid); thin lines are contour lines of the
# output, bunched where it changes fast and absent where it is flat. (Leaky ReLU is drawn with $\alpha = 0.1$
# again, so its gentle slope shows.)

# %%
plot_neuron_gallery([1.5, 1.0], 0.5)

# %% [markdown]
# **Touch.** Pick an activation and move the sliders. On the left, the shaded band is the stretch of $z$ that
# the square on the right covers, so you see which part of the curve the neuron uses. Things to try: make the
# weights large with sigmoid and watch the band reach the flat tails (the slope there is nearly 0, the message
# says on how much of the square); with ReLU, push $b$ to $-5$ and watch the whole square go flat.

# %%
from nbhelpers.widgets.activations import ActivationPanel

ActivationPanel(activation="sigmoid", w1=1.5, w2=1.0, b=0.5)

# %% [markdown]
# **Check.** This curve is the *slope* of one of the chapter's activations. Which one? Answer with its name as
# text (`"sigmoid"`, `"tanh"`, `"relu"`, `"leaky_relu"`, `"linear"` or `"gelu"`).

# %%
fig, ax = new_figure(figsize=(5.5, 3.2))
plot_mystery_curve(ax, *ex.mystery_curve(), ylabel="slope f'(z)", title="The slope of which activation?")
fig

# %%
answer = ____  # e.g. "relu"
ex.which_activation.check(answer)

# %% [markdown]
# ## 4. Vanishing gradients
#
# **Intuition.** Training (chapter 3) improves the weights a little at a time. For that it needs, for every
# weight, the slope of the network's error with respect to that weight: how much the error changes per small
# nudge of that weight. All those slopes together are called the **gradient**. They are found by sending a signal
# backwards from the output, layer by layer. On its way back the signal passes through every layer's activation
# and is multiplied by that activation's slope.
#
# Why multiplied? Because nudges multiply, which is called the **chain rule**. A nudge of 0.01 in a sigmoid's
# input, where its slope is 0.25, moves its output by $0.25 \times 0.01$. If that output feeds a second sigmoid,
# also with slope 0.25, the second output moves by $0.25 \times 0.25 \times 0.01$. Chapter 4 works it out in full.
# Picture a line of people passing on a whisper, each one repeating it at a quarter of the volume: after ten
# people, nobody can hear it.

# %% [markdown]
# **Math.** Take a chain of one-neuron layers, $a_k = f(z_k)$ with $z_k = w\,a_{k-1} + b$. How much the last
# output $a_n$ moves per nudge of the input $a_0$ (written $\partial a_n / \partial a_0$) is the product of what
# each layer contributes:
#
# $$ \frac{\partial a_n}{\partial a_0} = \prod_{k=1}^{n} w\, f'(z_k). $$
#
# The sign $\prod_{k=1}^{n}$ ("product over $k$") is the multiplying cousin of $\sum$: multiply what follows for
# $k = 1, 2, \dots, n$. With $w = 1$ that is just the product of the slopes. The sigmoid's slope is at most
# $\tfrac14$ (at $z = 0$), so through $n$ sigmoid layers the product is at most $0.25^n$; ReLU's slope is exactly 1
# wherever the signal passes.
#
# **Code.** First the chain rule itself, tested on two sigmoid layers: nudge the input and measure, as in
# section 2, then multiply the two slopes.

# %%
x0 = 0.5
two_layers = lambda a: sigmoid(sigmoid(a))  # noqa: E731  (layer 1, then layer 2; w = 1, b = 0)
measured = (two_layers(x0 + eps) - two_layers(x0 - eps)) / (2 * eps)
multiplied = sigmoid_prime(x0) * sigmoid_prime(sigmoid(x0))  # slope of layer 1 times slope of layer 2
print(f"nudge and measure: {measured:.6f}   product of the two slopes: {multiplied:.6f}")
assert abs(measured - multiplied) < 1e-9

# %% [markdown]
# They agree. Now send $x = 0.5$ through 20 such layers ($w = 1$, $b = 0$) and keep the product of the slopes.

# %%
def chain_slopes(f, f_prime, n_layers, x=0.5, w=1.0, b=0.0):
    """Send x through n one-neuron layers; return the product of the slopes after 1, 2, ..., n layers."""
    a, product, products = x, 1.0, []
    for _ in range(n_layers):
        z = w * a + b
        product = product * f_prime(z)  # the chain rule: slopes multiply
        a = f(z)
        products.append(product)
    return np.array(products)


depths = np.arange(1, 21)
chains = {name: chain_slopes(*ours[name], n_layers=20) for name in ["sigmoid", "tanh", "relu"]}
for n in (10, 20):
    print(f"through {n} layers:  sigmoid {chains['sigmoid'][n - 1]:.1e}   tanh {chains['tanh'][n - 1]:.2f}   "
          f"relu {chains['relu'][n - 1]:.0f}    (best case for sigmoid: 0.25^{n} = {0.25**n:.1e})")

assert 3e-7 < chains["sigmoid"][9] < 4e-7 and 1e-13 < chains["sigmoid"][19] < 2e-13  # the numbers the text quotes
assert np.all(chains["sigmoid"] <= 0.25**depths) and np.all(chains["relu"] == 1.0)
assert 0.2 < chains["tanh"][9] < 0.25 and 0.1 < chains["tanh"][19] < 0.11

# %% [markdown]
# Through 10 sigmoid layers about $3 \times 10^{-7}$ of the signal is left, through 20 about $10^{-13}$: the first
# layers of a deep sigmoid network would hardly learn at all. ReLU passes the signal on untouched (product 1).
# Tanh, whose slope reaches 1 at $z = 0$, loses much less (about 0.22 after 10 layers, 0.11 after 20).
#
# **The same in a real network.** One neuron per layer is a toy, so here are 20 layers of 64 neurons each, and 100
# random inputs. Before training, every weight needs a starting value: choosing them is called **initialisation**.
# The usual choice is small random numbers at a scale fitted to the activation: a spread of $1/\sqrt{64}$ for
# sigmoid and tanh, $\sqrt{2/64}$ for ReLU (known as Xavier and He initialisation; chapter 6 compares them).
#
# We send a signal of ones back from the output, one layer at a time, and measure its size at each layer.
# The line `g = (g * f_prime(z)) @ W.T` is the chain rule for a whole layer (`W.T`, the transpose, is $W$ with
# rows and columns swapped: it sends the signal from the neurons back to their inputs); chapter 4 derives it.

# %%
def backward_signal_sizes(f, f_prime, weight_scale, n_layers=20, width=64, n_samples=100):
    """Average size of the backward signal after passing back through 1, 2, ..., n_layers layers."""
    Ws = [rng.normal(size=(width, width)) * weight_scale for _ in range(n_layers)]
    a, zs = rng.normal(size=(n_samples, width)), []
    for Wk in Ws:  # forward: remember every layer's weighted sums
        zs.append(a @ Wk)
        a = f(zs[-1])
    g, sizes = np.ones_like(a), []
    for Wk, zk in zip(reversed(Ws), reversed(zs)):  # backward, from the output to the input
        g = (g * f_prime(zk)) @ Wk.T  # through the activation's slope, then back through the weights
        sizes.append(np.sqrt(np.mean(g**2)))
    return np.array(sizes)


network = {"sigmoid": backward_signal_sizes(sigmoid, sigmoid_prime, weight_scale=np.sqrt(1 / 64)),
           "tanh": backward_signal_sizes(tanh, tanh_prime, weight_scale=np.sqrt(1 / 64)),
           "relu": backward_signal_sizes(relu, relu_prime, weight_scale=np.sqrt(2 / 64))}
for name, sizes in network.items():
    print(f"{name:<8} signal size after 1 layer back: {sizes[0]:.2g},  after all 20: {sizes[-1]:.1e}")
assert network["sigmoid"][-1] < 1e-10 and np.all(network["relu"] > 0.1)  # the numbers the text quotes
assert network["relu"][-1] > network["relu"][0]  # "it even grows a little"

# %% [markdown]
# **Picture.** Log scale: each grid line down the y axis is 10 times smaller than the one above (labels on every
# other line). On the x axis, 1 is the layer next to the output and 20 is the first layer, where the signal
# arrives last.

# %%
fig, axes = new_figure(1, 2, figsize=(11, 4))
plot_gradient_products(axes[0], depths, chains, bound=0.25**depths,
                       title="Chain of one-neuron layers: sigmoid's slopes multiply to nothing")
plot_gradient_products(axes[1], depths, network, ylabel="size of the backward signal (log scale)",
                       title="20 layers of 64 neurons: the same story")
fig

# %% [markdown]
# In the wide network the sigmoid's signal, after passing back through all 20 layers to the first one (the right
# end of the x axis), is below $10^{-10}$, while ReLU's stays above 0.1 at every layer (here it even grows a
# little). This **vanishing gradient** problem is the main reason hidden layers
# today use ReLU and its relatives instead of sigmoid.
#
# ### ReLU's own weakness: dead units
#
# ReLU's slope is 0 for every negative sum. If a neuron's weights and bias end up so that $z < 0$ for *every*
# input (for example after one over-large **training step**, one update of all the weights, which chapter 3
# introduces), it outputs 0 for everything, passes back no signal,
# and so its weights never change again: the unit is **dead**. Below, 200 data points through a healthy ReLU
# neuron ($b = 0$) and through the same neuron after its bias was pushed to $-8$:

# %%
X_cloud = rng.normal(size=(200, 2))
w_cloud = np.array([1.0, 1.0])
z_alive = X_cloud @ w_cloud + 0.0
z_dead = X_cloud @ w_cloud - 8.0
print(f"healthy neuron: {np.mean(relu_prime(z_alive) > 0):.0%} of the points pass a signal back")
print(f"dead neuron:    {np.mean(relu_prime(z_dead) > 0):.0%} pass a signal back;   "
      f"with leaky ReLU: {np.mean(leaky_relu_prime(z_dead) > 0):.0%} (a slope of 0.01 each)")
assert np.mean(relu_prime(z_dead) > 0) == 0 and np.all(leaky_relu_prime(z_dead) == 0.01)

fig, ax = new_figure(figsize=(7, 3.6))
plot_dying_relu(ax, z_alive, z_dead)
fig

# %% [markdown]
# Leaky ReLU's small slope on the left keeps a trickle of signal flowing, so its unit cannot die this way: it can
# recover.
#
# **Check.** In the best case every sigmoid slope is 0.25. What is the product of the slopes through 10
# sigmoid layers in that best case? (A number; Python's `**` is "to the power".)

# %%
answer = ____  # a number
ex.vanishing_bound.check(answer)

# %% [markdown]
# ## 5. Choosing the output activation
#
# Hidden layers use ReLU (or a relative) by default. The **output** layer is different: its activation is chosen
# by what the answer must look like, and each choice comes with a **loss** that fits it: one number that measures
# how wrong the network's answer $\hat y$ ("y-hat", its prediction) is against the right answer $y$. Training
# (chapters 3 and 6) makes the loss small:
#
# | task | output layer | what comes out | natural loss |
# |---|---|---|---|
# | binary: yes or no (spam?) | 1 neuron, **sigmoid** | $p \in (0, 1)$, the probability of "yes" | binary cross-entropy (BCE): $-[y \log p + (1-y)\log(1-p)]$ |
# | multi-class: one of $k$ (which digit?) | $k$ neurons, **softmax** | $k$ probabilities that add up to 1 | cross-entropy: $-\log p_{\text{correct class}}$ |
# | regression: a quantity (a price) | 1 neuron per quantity, **linear** (no activation) | any number | mean squared error (MSE): $(\hat y - y)^2$ |
# | multi-label: several yes/no at once (tags of a photo) | $k$ neurons, **sigmoid** on each | $k$ independent probabilities | BCE on each output |
#
# **Code.** The same three raw scores from a last layer, read three ways, and each with its loss for one example:

# %%
z_out = np.array([2.0, -1.0, 0.5])

p_classes = softmax(z_out)  # one of 3 classes
p_labels = sigmoid(z_out)  # 3 separate yes/no questions
quantities = linear(z_out)  # 3 numbers to predict
print("softmax (one of 3 classes):", np.round(p_classes, 3), " sum", round(float(p_classes.sum()), 6))
print("sigmoid (3 yes/no):        ", np.round(p_labels, 3), " sum", round(float(p_labels.sum()), 3))
print("linear (3 quantities):     ", quantities)

y_class, y_yes, y_value = 0, 1, 1.5  # the right answers: class 0; "yes"; the value 1.5
ce = -np.log(p_classes[y_class])
bce = -(y_yes * np.log(p_labels[0]) + (1 - y_yes) * np.log(1 - p_labels[0]))
squared = (quantities[0] - y_value) ** 2  # (prediction - target)^2
print(f"cross-entropy if class 0 is right: {ce:.3f}   (a blind guess, 1/3 each: {np.log(3):.3f})")
print(f"BCE if the first answer is yes:    {bce:.3f}   (a blind guess, 0.5: {np.log(2):.3f})")
print(f"MSE if the first value is 1.5:     {squared:.3f}   (the answer 2 misses by 0.5)")
assert np.isclose(p_classes.sum(), 1.0) and not np.isclose(p_labels.sum(), 1.0)
assert (round(ce, 3), round(bce, 3), round(squared, 3)) == (0.241, 0.127, 0.25)  # quoted below
assert round(100 * p_classes[0]) == 79 and round(100 * p_labels[0]) == 88 and round(np.log(3), 3) == 1.099

# %% [markdown]
# Every loss is 0 for a perfect answer and grows the more wrong the answer is: **lower is better**. A loss means
# most next to a reference: here cross-entropy 0.241 beats the 1.099 of a blind guess (it gave the right class
# 79%), BCE 0.127 beats 0.693 (88% for the right "yes"), and the MSE 0.25 is the square of a miss of 0.5.
#
# Sigmoid and softmax are close relatives: a sigmoid on one score $z$ is a softmax over the two scores $[z, 0]$
# ("yes" against a fixed "no"). So for two classes, one sigmoid neuron and two softmax neurons say the same thing:

# %%
for z_one in [-3.0, 0.0, 1.7]:
    print(f"z = {z_one:4}:  sigmoid {sigmoid(z_one):.4f}   softmax([z, 0])[0] {softmax(np.array([z_one, 0.0]))[0]:.4f}")
    assert np.isclose(sigmoid(z_one), softmax(np.array([z_one, 0.0]))[0])

# %% [markdown]
# **Check.** Choose the output activation for each task. Answer with three names, in order, e.g.
# `("relu", "tanh", "relu")`.

# %%
for task in ex.OUTPUT_TASKS:
    print(task)

# %%
answer = (____, ____, ____)  # a), b), c)
ex.output_activations.check(answer)

# %% [markdown]
# ## 6. Numerical stability: sigmoid and softmax at the extremes
#
# **Intuition.** A computer's floating-point numbers stop at about $1.8 \times 10^{308}$, so `np.exp` of anything
# above about 709.8 *overflows* to `inf`:

# %%
largest = np.finfo(np.float64).max
print(f"largest float64: {largest:.3g};  e^x overflows for x above log(largest) = {np.log(largest):.2f}")
assert round(largest / 1e308, 1) == 1.8 and round(float(np.log(largest)), 1) == 709.8

# %% [markdown]
# Scores of 1000 are rare but do happen (a badly scaled input, a training step too large), and then `inf / inf` is
# `nan` ("not a number"), which spreads through everything after it.
#
# **Code.** Our simple sigmoid and softmax from section 2, fed large numbers. NumPy warns when it overflows; we
# record the warnings and print them, so you see them here as text:

# %%
z_big = np.array([-1000.0, 0.0, 1000.0])
logits = np.array([1000.0, 1001.0, 1002.0])

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")  # record every warning instead of printing it
    naive_s = sigmoid(z_big)  # e^1000 inside
    naive_p = softmax(logits)  # e^1000, e^1001, e^1002 inside
for w in caught:
    print(f"  {w.category.__name__}: {w.message}")
print("sigmoid([-1000, 0, 1000])     =", naive_s)
print("softmax([1000, 1001, 1002])   =", naive_p)
assert len(caught) >= 2 and np.all(np.isnan(naive_p))

# %% [markdown]
# The sigmoid still came out right (1 / inf is 0), but only after an overflow warning. The softmax is
# ruined: every output is `nan`.
#
# **Math: the fixes.**
# - **Softmax minus the max.** Section 2 showed that subtracting the same number from every score changes
#   nothing. Subtract the largest: the largest becomes $e^0 = 1$, every other $e^{z_i - \max}$ lies between 0 and
#   1, and nothing can overflow. The sum is at least 1, so nothing divides by 0 either.
# - **Sigmoid split by sign.** For $z \ge 0$ use $\dfrac{1}{1 + e^{-z}}$; for $z < 0$ multiply top and bottom by
#   $e^{z}$ to get the equal form $\dfrac{e^{z}}{1 + e^{z}}$. Either way the exponent is $-|z| \le 0$, so
#   $e^{-|z|}$ is between 0 and 1.

# %%
def stable_sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # e^-|z|: between 0 and 1, never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def stable_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))  # the largest score becomes e^0 = 1
    return e / np.sum(e, axis=-1, keepdims=True)


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    safe_s = stable_sigmoid(z_big)
    safe_p = stable_softmax(logits)
print(f"warnings: {len(caught)}")
print("stable sigmoid([-1000, 0, 1000])   =", safe_s)
print("stable softmax([1000, 1001, 1002]) =", np.round(safe_p, 4), " (the same as softmax([0, 1, 2]))")
assert len(caught) == 0 and np.array_equal(safe_s, [0.0, 0.5, 1.0])
assert np.allclose(np.round(safe_p, 4), [0.0900, 0.2447, 0.6652]) and np.allclose(safe_p, softmax(np.array([0.0, 1, 2])))

# %% [markdown]
# These are exactly what `nbhelpers.activations` does, so every later chapter is safe at the extremes:

# %%
z_wide = np.concatenate([np.linspace(-1000, 1000, 2001), [-1e300, 1e300]])
print("sigmoid agrees with nbhelpers:", np.allclose(stable_sigmoid(z_wide), A.sigmoid(z_wide)))
print("softmax agrees with nbhelpers:", np.allclose(stable_softmax(logits), A.softmax(logits)))
assert np.allclose(stable_sigmoid(z_wide), A.sigmoid(z_wide)) and np.allclose(stable_softmax(logits), A.softmax(logits))

# %% [markdown]
# One more trap, even with a stable sigmoid: rounding. $\sigma(40) = 1 - 4 \times 10^{-18}$, but a float64
# cannot hold a number that close to 1, so it is stored as exactly 1.0, and then $\log(1 - \sigma(40))$ is
# $\log 0 = -\infty$:

# %%
print(f"e^-40 = {np.exp(-40.0):.2g}, far below float64's resolution near 1 ({np.finfo(np.float64).eps:.2g})")
print("sigmoid(40) == 1.0 exactly:", stable_sigmoid(40.0) == 1.0, "   1 - sigmoid(40) =", 1 - stable_sigmoid(40.0))
assert round(float(np.exp(-40.0)) / 1e-18) == 4 and stable_sigmoid(40.0) == 1.0

# %% [markdown]
# That is why careful code computes the cross-entropy loss straight from the raw scores (the logits), never from
# probabilities that were rounded first. The trick is called **log-sum-exp**. The loss for the right class $y$ is
# $-\log s_y$, and the logarithm undoes the exponential:
#
# $$ -\log \frac{e^{z_y}}{\sum_j e^{z_j}} = -z_y + \log \sum_j e^{z_j} = -(z_y - m) + \log \sum_j e^{z_j - m},
#    \qquad m = \max_j z_j. $$
#
# The last form subtracts the largest score, as the stable softmax does, so nothing overflows, and it never takes
# the logarithm of a rounded probability:

# %%
from nbhelpers.losses import softmax_cross_entropy


def cross_entropy_from_logits(z, y):
    m = np.max(z)
    return -(z[y] - m) + np.log(np.sum(np.exp(z - m)))  # log-sum-exp


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from_probabilities = -np.log(softmax(logits)[0])  # the naive softmax of section 2, then the log
    from_logits = cross_entropy_from_logits(logits, 0)
print(f"class 0 right, logits [1000, 1001, 1002]: from probabilities {from_probabilities}, from logits {from_logits:.4f}")
print(f"nbhelpers.losses.softmax_cross_entropy agrees: {softmax_cross_entropy(logits[None, :], [0]):.4f}")
assert np.isnan(from_probabilities) and round(float(from_logits), 4) == 2.4076
assert np.isclose(softmax_cross_entropy(logits[None, :], [0]), from_logits)

# %% [markdown]
# **Check.** Write a softmax that works on a batch (one row of scores per sample) and survives large
# logits. The checker tries `[1000, 1001, 1002]`, very negative logits and rows far apart, and says which case
# fails and why.

# %%
def my_softmax(z):
    return ____  # your code here


ex.stable_softmax.check(my_softmax)

# %% [markdown]
# ## Summary
#
# - Without activations, any stack of layers multiplies out to one layer: $W = W_1 W_2 \cdots$,
#   $\mathbf{b} = \mathbf{b}_1 W_2 \cdots + \dots$. We checked it for 3 and for 100 layers.
# - Sigmoid $(0, 1)$ and tanh $(-1, 1)$ are soft switches with slopes at most 0.25 and 1; ReLU $\max(0, z)$ has
#   slope 0 or 1; leaky ReLU keeps a slope $\alpha$ for $z < 0$; linear is the identity; softmax turns $k$
#   scores into $k$ probabilities that sum to 1. A central difference checks any slope formula.
# - With one neuron the activation never moves the line $w \cdot x + b = 0$; it decides what the neuron
#   outputs on each side of it.
# - Slopes multiply on the way back: through 10 sigmoid layers at most $0.25^{10} \approx 10^{-6}$ of the signal
#   is left (vanishing gradients). ReLU passes 1, but a ReLU unit whose sum is negative for every input is dead.
# - Output layer: sigmoid + BCE for yes/no, softmax + cross-entropy for one-of-$k$, linear + MSE for quantities.
# - Compute softmax as $e^{z - \max z}$ over its sum and sigmoid with $e^{-|z|}$: no overflow, no `nan`; compute
#   cross-entropy from the logits with log-sum-exp.

# %% [markdown]
# **Common pitfalls**
# - Writing the sigmoid's slope as `z * (1 - z)`: the formula is $\sigma(z)(1 - \sigma(z))$, in terms of the
#   *output* $s = \sigma(z)$, not the input $z$.
# - Softmax over the wrong axis: with a batch, each row must sum to 1, so sum with `axis=-1, keepdims=True`.
# - Putting ReLU or sigmoid on a regression output: they cannot produce negative numbers, or anything above 1.
# - Using softmax on a single output neuron: its output is always exactly 1.
# - Using $e^{-z}/(1+e^{-z})^2$ for the sigmoid's slope, or the plain softmax, on large inputs: `inf / inf = nan`.
# - Deep stacks of sigmoid or tanh in hidden layers: the gradient fades on its way back; prefer ReLU-like units.

# %% [markdown]
# **Key terms**
#
# | English | 简体中文 | 繁體中文 |
# |---|---|---|
# | activation function | 激活函数 | 激活函數 |
# | non-linearity | 非线性 | 非線性 |
# | sigmoid (logistic function) | Sigmoid 函数（逻辑函数） | Sigmoid 函數（邏輯函數） |
# | hyperbolic tangent (tanh) | 双曲正切 | 雙曲正切 |
# | rectified linear unit (ReLU) | 修正线性单元 | 修正線性單元 |
# | leaky ReLU | 带泄露的 ReLU | 帶洩漏的 ReLU |
# | softmax | Softmax（归一化指数函数） | Softmax（歸一化指數函數） |
# | logits (raw scores) | 原始分数（logits） | 原始分數（logits） |
# | derivative / slope | 导数 / 斜率 | 導數 / 斜率 |
# | central difference | 中心差分 | 中心差分 |
# | gradient | 梯度 | 梯度 |
# | chain rule | 链式法则 | 鏈式法則 |
# | vanishing gradient | 梯度消失 | 梯度消失 |
# | initialisation | 初始化 | 初始化 |
# | loss | 损失 | 損失 |
# | log-sum-exp | 对数和指数（log-sum-exp） | 對數和指數（log-sum-exp） |
# | dead ReLU | 死亡 ReLU（神经元死亡） | 死亡 ReLU（神經元死亡） |
# | binary cross-entropy | 二元交叉熵 | 二元交叉熵 |
# | mean squared error | 均方误差 | 均方誤差 |
# | numerical stability / overflow | 数值稳定性 / 溢出 | 數值穩定性 / 溢位 |
#
# **Next:** [Chapter 3 · Gradient descent](03_gradient_descent.ipynb): the slopes of this chapter put to work,
# walking downhill on a loss to find good weights.
