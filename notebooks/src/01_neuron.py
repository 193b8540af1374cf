# %% [markdown]
# # Chapter 1 · The neuron
#
# {{BADGES}}
#
# Every neural network, however large, is built from one small part repeated many times: the **neuron**.
# In this chapter you build one from scratch in a few lines of NumPy, see that it splits the plane with a
# straight line, set its weights by hand so it computes the logic gates AND and OR, discover the one
# gate it can never compute (XOR), and fix that by wiring neurons into a tiny network.
#
# **You will learn**
# - what a neuron computes: a weighted sum of its inputs, plus a bias, through an activation;
# - why a neuron with two inputs draws a straight line across the plane;
# - how to choose weights by hand to compute AND and OR;
# - why no single neuron can compute XOR, and how two hidden neurons can;
# - how a layer of neurons is one matrix multiplication, and what every shape means.
#
# **Time:** about 45 minutes. **You need:** a little Python and NumPy (arrays, `np.dot`).
#
# Run the cells from top to bottom (in Jupyter: *Run > Run All Cells*). Every run shows the same numbers.

# %% [setup]

# %%
import numpy as np

from nbhelpers.exercises import ____
from nbhelpers.exercises import ch01 as ex
from nbhelpers.plotting import new_figure, plot_neuron_plane, plot_surface, scatter_classes
from nbhelpers.datasets import logic_gate

# %% [markdown]
# ## 1. A neuron is a small committee vote
#
# **Intuition.** Picture a committee deciding yes or no. Each input is a member who speaks up; each
# **weight** says how much that member's voice counts (a negative weight means "whatever they say, lean the
# other way"); the **bias** is the committee's leaning before anyone speaks; and the **activation** turns the
# tally into the final call.
#
# **Math.** For inputs $x_1, \dots, x_n$, weights $w_1, \dots, w_n$ and bias $b$, the neuron first forms the
# weighted sum $z$ and then applies the activation $f$:
#
# $$ z = w_1 x_1 + w_2 x_2 + \dots + w_n x_n + b = \mathbf{w} \cdot \mathbf{x} + b, \qquad a = f(z). $$
#
# The dot, $\mathbf{w} \cdot \mathbf{x}$ (`np.dot(w, x)`), is short for "multiply matching entries and add them
# up". We call $z$ the **weighted sum** (the committee's tally) and $a$ the neuron's output, its **activation**.
#
# Our first activation is the **sigmoid**, $\sigma(z) = \dfrac{1}{1 + e^{-z}}$, which squashes any number
# into the range $(0, 1)$: large positive $z$ gives nearly 1 ("yes"), large negative nearly 0 ("no"),
# and $z = 0$ gives exactly 0.5 ("undecided"). You never need to work out $e^{-z}$ by hand: the curve below
# lets you read $\sigma(z)$ off for any $z$.
#
# **Code.** Here is the whole neuron:

# %%
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def neuron(x, w, b):
    z = np.dot(w, x) + b  # the weighted sum plus the bias
    return sigmoid(z)  # the activation makes the call


x = np.array([2.0, 3.0])  # two inputs
w = np.array([0.0, 1.0])  # the first input is ignored, the second counts fully
b = 4.0
z = np.dot(w, x) + b
print(f"z = {z}, output = sigmoid(z) = {neuron(x, w, b):.7f}")

# %% [markdown]
# With weights $[0, 1]$, bias $4$ and input $[2, 3]$: $z = 0 \cdot 2 + 1 \cdot 3 + 4 = 7$, and
# $\sigma(7) \approx 0.999$: a confident "yes".
#
# The course package holds a tested version of the same function, `nbhelpers.neuron.neuron_forward`, which later
# chapters import. The two agree:

# %%
from nbhelpers.neuron import neuron_forward

print(f"our neuron: {neuron(x, w, b):.7f}   nbhelpers: {neuron_forward(x, w, b):.7f}")
assert round(float(neuron(x, w, b)), 3) == 0.999  # the text above quotes this number; this line checks it

# %% [markdown]
# **Picture.** Where does $z = 7$ sit on the sigmoid? Far out on the flat top, where the output is nearly 1.
# Around $z = 0$ the curve is steep: there, small changes of the inputs change the answer the most. The close-up on
# the right has a fine grid, so you can read $\sigma(z)$ to two decimals for any $z$ between $-3$ and $3$.

# %%
fig, axes = new_figure(1, 2, figsize=(11, 3.8))
zs = np.linspace(-8, 8, 400)
axes[0].plot(zs, sigmoid(zs), lw=2, label=r"$\sigma(z)$")
axes[0].plot([7], [sigmoid(7)], "o", ms=8, label=f"z = 7, output {sigmoid(7):.3f}")
axes[0].axhline(0.5, color="grey", ls=":", lw=1)
axes[0].set_title("Any tally lands in (0, 1); z = 7 is already a confident yes")
axes[0].legend(loc="upper left")
zoom = np.linspace(-3, 3, 300)  # the same curve, close up, with a fine grid to read values from
axes[1].plot(zoom, sigmoid(zoom), lw=2)
axes[1].set_xticks(np.arange(-3, 3.1, 1))
axes[1].set_xticks(np.arange(-3, 3.1, 0.25), minor=True)
axes[1].set_yticks(np.arange(0, 1.01, 0.1))
axes[1].set_yticks(np.arange(0, 1.01, 0.02), minor=True)
axes[1].grid(which="minor", alpha=0.2)
axes[1].set_title("Close up: grid every 0.25 of z and 0.02 of output")
for ax in axes:
    ax.set_xlabel("z = w·x + b (the committee's tally)")
    ax.set_ylabel("output σ(z)")
fig

# %% [markdown]
# **Check.** Write the forward pass yourself (without looking above!). Replace `____` so the function returns
# the neuron's output, then run the cell. `ex.neuron.hint()` gives a hint; `ex.neuron.solution()` the answer.

# %%
def my_neuron(x, w, b):
    return ____  # your code here: the weighted sum plus bias, through sigmoid


ex.neuron.check(my_neuron)

# %% [markdown]
# And one to do before you run anything: a neuron has weights $[1, -2]$ and bias $0.5$. What does it output, to
# two decimals, for the input $[3, 1]$? Work out the tally $z$ in your head, then read $\sigma(z)$ off the
# close-up curve above.

# %%
prediction = ____  # a number, e.g. 0.42
ex.predict_output.check(prediction)

# %% [markdown]
# ## 2. A neuron draws a line
#
# **Intuition.** With two inputs, every point $(x_1, x_2)$ of the plane is a possible input. The neuron is
# undecided (output exactly 0.5) where its tally is exactly zero; on one side of that boundary it leans
# "yes", on the other "no".
#
# **Math.** The boundary is the set of points where
#
# $$ w_1 x_1 + w_2 x_2 + b = 0, $$
#
# which is the equation of a **straight line**. To see the school form $x_2 = m x_1 + c$, move everything
# except $w_2 x_2$ to the right and divide by $w_2$ (when $w_2 \ne 0$):
#
# $$ x_2 = -\frac{w_1}{w_2}\, x_1 - \frac{b}{w_2}, $$
#
# a line with slope $-w_1 / w_2$ that crosses the $x_2$ axis at $-b / w_2$. So the weights set its direction and
# the bias $b$ shifts it. The sigmoid only decides how sharply the output changes from one side to the other.
#
# Draw $\mathbf{w}$ as an arrow (one step of $w_1$ across, $w_2$ up) and it stands at right angles to the line,
# pointing to the side where $z > 0$: the "yes" side. Stepping along the arrow adds to $z$; along the line, $z$
# stays 0.
#
# **Code and picture.** Colour the plane by the neuron's output, blue for 0 and orange for 1, and draw
# its line dashed and $\mathbf{w}$ as an arrow. The four dots are the inputs of a logic gate (blue circles should
# say 0, orange squares 1): here, AND.

# %%
X_and, y_and = logic_gate("and")
print("inputs:\n", X_and, "\nAND:", y_and)

fig, axes = new_figure(1, 2, figsize=(10, 3.8))
plot_neuron_plane(axes[0], [1.0, 1.0], -1.5, X=X_and, y=y_and, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), arrow=True,
                  title="w = [1, 1], b = -1.5: only [1, 1] is on the yes side")
plot_neuron_plane(axes[1], [4.0, 4.0], -6.0, X=X_and, y=y_and, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), arrow=True,
                  title="Same line, weights x4: a sharper yes/no edge")
print(f"line of w = [1, 1], b = -1.5:  x2 = {-1.0 / 1.0:g} * x1 + {1.5 / 1.0:g}")
print(f"line of w = [4, 4], b = -6:    x2 = {-4.0 / 4.0:g} * x1 + {6.0 / 4.0:g}   (the same line)")
fig

# %% [markdown]
# Multiplying all the weights and the bias by the same positive number keeps the line where it is (slope
# $-w_1/w_2$ and crossing $-b/w_2$ do not change) and only makes the change from "no" to "yes" steeper.
#
# **Touch.** Move the sliders. Watch how $w_1$ and $w_2$ turn the line and $b$ slides it, and count how many
# points land on the correct side. A point exactly on the line has $z = 0$ and output 0.5: undecided, so it
# counts as on neither side. (Chapter 2 shows what other activations do on the two sides of the same line.)

# %%
from nbhelpers.widgets.neuron import NeuronPanel

NeuronPanel(w1=1.0, w2=1.0, b=-1.5, gate="and")

# %% [markdown]
# **Check.** Set the weights and bias by hand so that the neuron computes AND (its output above 0.5 only for
# the input $[1, 1]$), then OR (above 0.5 for every input except $[0, 0]$). The panel above is a good place to
# find them: you have them when it counts 4 of 4 points on the correct side. A line through a point (output
# exactly 0.5) is not an answer, for the panel or for the checker.

# %%
w_and = ____  # two weights, e.g. [0.5, 0.5]
b_and = ____  # the bias
ex.and_gate.check((w_and, b_and))

# %%
w_or = ____
b_or = ____
ex.or_gate.check((w_or, b_or))

# %% [markdown]
# ## 3. The gate one neuron cannot compute: XOR
#
# **Intuition.** XOR ("exclusive or") says 1 when exactly one input is on. Its two 1s sit on one diagonal of
# the square and its two 0s on the other. A single straight line cannot put both 1s on one side and both 0s
# on the other.
#
# **Code.** Rather than take that on trust, try ten thousand random lines and keep the best one. `X_xor @ w`
# computes the tally of all four inputs at once (one per row of `X_xor`; section 4 explains why that works).

# %%
X_xor, y_xor = logic_gate("xor")

n_tries = 10_000
weights = rng.normal(size=(n_tries, 2))  # one random line per row; rng was seeded in the setup cell
biases = rng.normal(size=n_tries)
correct = np.zeros(n_tries, dtype=int)  # how many of the 4 points each line gets right
for k in range(n_tries):
    says_yes = X_xor @ weights[k] + biases[k] > 0  # this line's answer for each of the 4 inputs
    correct[k] = np.sum(says_yes == (y_xor == 1))  # count the answers that match XOR
best = int(np.argmax(correct))
print(f"best of {n_tries} random lines: {correct.max()} of 4 XOR points right")
print("how many lines got 0, 1, 2, 3, 4 right:", [int(np.sum(correct == k)) for k in range(5)])
assert correct.max() == 3  # the text below says "3 of 4"; this line checks it

# %% [markdown]
# No line gets more than 3 of the 4 points right, and none gets all 4. This is the famous limit of a single
# neuron (Minsky and Papert made much of it in 1969): it can only separate classes that a straight line
# separates, which is called being **linearly separable**.

# %%
fig, ax = new_figure(figsize=(5, 4))
plot_neuron_plane(ax, weights[best], biases[best], X=X_xor, y=y_xor, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5),
                  title="The best random line gets only 3 of 4 XOR points right")
fig

# %% [markdown]
# **Check.** Before you read on, make sure you believe it: what is the largest number of the four XOR points
# that one line can put on the correct side?

# %%
best_line = ____  # 1, 2, 3 or 4
ex.xor_best_line.check(best_line)

# %% [markdown]
# ### Two neurons, then a third, can
#
# XOR is "OR, but not AND". So let one neuron compute OR, a second compute NAND (not-AND), and a third, the
# output neuron, compute the AND of the two. The first two are called **hidden** neurons: their outputs $h_1, h_2$
# are neither the network's input nor its final answer. Weights of size 20 make each sigmoid nearly a clean 0 or 1.

# %%
h1 = lambda X: sigmoid(X @ np.array([20.0, 20.0]) - 10)  # OR: any input on
h2 = lambda X: sigmoid(X @ np.array([-20.0, -20.0]) + 30)  # NAND: not both on
xor_net = lambda X: sigmoid(20 * h1(X) + 20 * h2(X) - 30)  # AND of the two

for xi, target in zip(X_xor, y_xor):
    print(f"input {xi.astype(int)}  OR {h1(xi):.3f}  NAND {h2(xi):.3f}  ->  output {xor_net(xi):.4f}  (XOR: {target:.0f})")
assert np.array_equal(np.round(xor_net(X_xor)), y_xor)

# %% [markdown]
# The hidden neurons each draw one line; the output neuron combines them, so the network's "yes" region is the
# band between two lines, something no single line can make. Each panel shows the labels of the gate that
# panel computes: OR's, NAND's, then XOR's.

# %%
fig, axes = new_figure(1, 3, figsize=(13, 3.8))
for ax, f, gate, title in [(axes[0], h1, "or", "Hidden neuron 1 computes OR"),
                           (axes[1], h2, "nand", "Hidden neuron 2 computes NAND"),
                           (axes[2], xor_net, "xor", "Output: the band between the lines is XOR")]:
    X_gate, y_gate = logic_gate(gate)
    plot_surface(ax, f, (-0.5, 1.5), (-0.5, 1.5), resolution=120)
    scatter_classes(ax, X_gate, y_gate, size=70, legend=False)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
fig

# %% [markdown]
# ## 4. From one neuron to a layer: matrix multiplication
#
# **Intuition.** A layer is several neurons that all look at the same inputs, each with its own weights and
# bias. Rather than loop over the neurons, stack their weights side by side, one column per neuron, in one
# matrix.
#
# **Math.** With the inputs of one sample as a row $\mathbf{x}$ of shape $(n_\text{in})$, the weights as a matrix
# $W$ of shape $(n_\text{in}, n_\text{out})$ (row $i$ belongs to input $i$, column $j$ to neuron $j$) and the biases
# as a vector $\mathbf{b}$ of shape $(n_\text{out})$:
#
# $$ \mathbf{h} = f(\mathbf{x} W + \mathbf{b}). $$
#
# Entry $j$ of $\mathbf{x} W$ is $x_1 W_{1j} + x_2 W_{2j} + \dots$: neuron $j$'s weighted sum, exactly $\mathbf{w}
# \cdot \mathbf{x}$ with that neuron's column as $\mathbf{w}$. We call $\mathbf{h}$ the **hidden layer**'s output:
# hidden, as in section 3.
#
# **Code.** A 2-2-1 network: 2 inputs, a hidden layer of 2 neurons, 1 output neuron. Hidden neuron 1 has weights
# $[0, 1]$, hidden neuron 2 has $[1, -1]$; the output neuron weighs both hidden neurons by 1. Every bias is $0$
# and the input is $[2, 3]$.

# %%
W1 = np.array([[0.0, 1.0],  # row 1: the weights of input x1 (into hidden neuron 1, hidden neuron 2)
               [1.0, -1.0]])  # row 2: the weights of input x2 (into hidden neuron 1, hidden neuron 2)
b1 = np.zeros(2)  # one bias per hidden neuron
W2 = np.array([[1.0],  # weight of hidden neuron 1 in the output neuron
               [1.0]])  # weight of hidden neuron 2
b2 = np.zeros(1)

x = np.array([2.0, 3.0])
h = sigmoid(x @ W1 + b1)
y_hat = sigmoid(h @ W2 + b2)
print(f"hidden neuron 1: W1[:, 0] = {W1[:, 0]};  hidden neuron 2: W1[:, 1] = {W1[:, 1]}  (one column each)")
print(f"x {x.shape} @ W1 {W1.shape} -> h {h.shape} = {np.round(h, 4)}")
print(f"h {h.shape} @ W2 {W2.shape} -> y_hat {y_hat.shape} = {np.round(y_hat, 4)}")
assert np.allclose(np.round(h, 4), [0.9526, 0.2689]) and round(float(y_hat[0]), 4) == 0.7723  # quoted below

# %% [markdown]
# By hand: hidden neuron 1 sees $z = 0 \cdot 2 + 1 \cdot 3 + 0 = 3$ and outputs $\sigma(3) \approx 0.9526$; hidden
# neuron 2 sees $z = 1 \cdot 2 - 1 \cdot 3 + 0 = -1$ and outputs $\sigma(-1) \approx 0.2689$. The output neuron sees
# $z = 0.9526 + 0.2689 = 1.2215$ and outputs $\hat y = \sigma(1.2215) \approx 0.7723$. We write the network's final
# output $\hat y$ ("y-hat", `y_hat` in code): its guess at the right answer $y$.
#
# **A whole batch at once.** Stack several samples as the rows of $X$, shape $(n, n_\text{in})$. The very same
# line, $H = f(XW + \mathbf{b})$, gives $H$ of shape $(n, n_\text{out})$: one row per sample, one column per
# neuron. $XW$ has one row per sample, and NumPy adds the row $\mathbf{b}$ to each of them: stretching a smaller
# array to fit a larger one like this is called **broadcasting**. Here are all four XOR inputs through the network:

# %%
H = sigmoid(X_xor @ W1 + b1)  # (4, 2) @ (2, 2) -> (4, 2), plus b1 (2,) added to every row
Y_hat = sigmoid(H @ W2 + b2)  # (4, 2) @ (2, 1) -> (4, 1)
print("shapes:", X_xor.shape, "->", H.shape, "->", Y_hat.shape)
for xi, hi, yi in zip(X_xor, H, Y_hat):
    print(f"input {xi.astype(int)}  hidden outputs {np.round(hi, 4)}  ->  network output {yi[0]:.4f}")
assert np.isclose(Y_hat[0, 0], sigmoid(2 * sigmoid(0.0)))  # input [0, 0]: both hidden neurons output 0.5

# %% [markdown]
# The same weights give one row per input, so these are four different outputs of one network (not a trained
# XOR: its weights were chosen to be easy to follow). The package's tested version, `network_forward`, takes
# the layers as a list and agrees. It also reproduces the classic example, where every neuron has weights
# $[0, 1]$ and bias 0: on $[2, 3]$ that network outputs $0.7216326$.

# %%
from nbhelpers.neuron import network_forward

Y_ref = network_forward(X_xor, [(W1, b1, "sigmoid"), (W2, b2, "sigmoid")])
assert np.allclose(Y_hat, Y_ref)
W_same = np.array([[0.0, 0.0], [1.0, 1.0]])  # both hidden neurons: weights [0, 1]
classic = network_forward(x, [(W_same, b1, "sigmoid"), (np.array([[0.0], [1.0]]), b2, "sigmoid")])
print(f"network_forward agrees on the batch: {np.allclose(Y_hat, Y_ref)};  classic example: {classic[0]:.7f}")
assert round(float(classic[0]), 7) == 0.7216326

# %% [markdown]
# The package checks shapes for you and says what went wrong in one sentence. For example, giving two inputs
# to a layer whose weight matrix expects three:

# %%
from nbhelpers.neuron import layer_forward

try:
    layer_forward([1.0, 2.0], np.ones((3, 4)), np.zeros(4))
except ValueError as err:
    print("ValueError:", err)

# %% [markdown]
# **Check.** A layer takes 3 inputs and has 5 neurons. What is the shape of its weight matrix $W$ (as a tuple)?

# %%
shape = ____  # e.g. (2, 2)
ex.layer_shape.check(shape)

# %% [markdown]
# ## Summary
#
# - A neuron computes $a = f(\mathbf{w} \cdot \mathbf{x} + b)$: a weighted sum, a bias, an activation.
# - With two inputs its decision boundary is the line $w_1 x_1 + w_2 x_2 + b = 0$, that is
#   $x_2 = -(w_1/w_2)\,x_1 - b/w_2$; the weights turn it ($\mathbf{w}$ points to the yes side), the bias shifts it,
#   and scaling them all up only sharpens the edge.
# - AND and OR are linearly separable, so one neuron computes each. XOR is not: the best single line gets 3 of 4.
# - Two hidden neurons plus an output neuron compute XOR: layers let a network carve the plane into shapes
#   no single line can.
# - A layer is one matrix product: $X$ $(n, n_\text{in})$ times $W$ $(n_\text{in}, n_\text{out})$ plus
#   $\mathbf{b}$ $(n_\text{out})$ gives $(n, n_\text{out})$.

# %% [markdown]
# **Common pitfalls**
# - Mixing up the orientation of $W$: in this course $W$ has one *row per input* and one *column per neuron*,
#   so we write `X @ W`. Some books use the transpose and write $W\mathbf{x}$; both are fine, but pick one.
# - Forgetting the bias: without it every line passes through the origin, and even OR's line can't be placed
#   where it needs to be with weights alone.
# - Passing one sample as shape `(n_in,)` to code that expects a batch `(n, n_in)`: `x.reshape(1, -1)` fixes it.
# - Reading the sigmoid's output as a hard 0/1: it is a degree of confidence; 0.5 is the boundary.

# %% [markdown]
# **Key terms**
#
# | English | 简体中文 | 繁體中文 |
# |---|---|---|
# | neuron | 神经元 | 神經元 |
# | weight | 权重 | 權重 |
# | bias | 偏置 | 偏置 |
# | weighted sum | 加权和 | 加權和 |
# | activation function | 激活函数 | 激活函數 |
# | decision boundary | 决策边界 | 決策邊界 |
# | linearly separable | 线性可分 | 線性可分 |
# | layer / hidden layer | 层 / 隐藏层 | 層 / 隱藏層 |
# | broadcasting | 广播 | 廣播 |
# | forward pass | 前向传播 | 前向傳播 |
#
# **Next:** [Chapter 2 · Activation functions](02_activations.ipynb): why the sigmoid is only one of many
# choices, and why a network without any activation collapses into a single layer.
