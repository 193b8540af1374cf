# %% [markdown]
# # Chapter 4 · Backpropagation
#
# {{BADGES}}
#
# A network learns by nudging every weight a little in the direction that lowers its error. To do that it
# needs, for each weight, one number: how much the error changes when that weight changes. **Backpropagation**
# computes all of those numbers in one backward sweep through the network with one idea, the **chain rule**,
# built in section 1 from a nudge. You work it out by hand on a tiny network, then in code, check it against
# brute force, and train networks on people, on XOR and on pictures of letters.
#
# **You will learn**
# - how the chain rule splits the blame for an error among the weights, walking backwards from the loss;
# - to compute a gradient through a small network by hand, and then with a few lines of NumPy;
# - the backward pass of a whole layer in matrix form, with the shape of every gradient;
# - why cross-entropy, not squared error, belongs with a sigmoid output;
# - gradient checking: how to catch a wrong backward pass before it wastes your afternoon;
# - how often small networks fail to learn XOR, measured over 100 random starts.
#
# **Time:** about 75 minutes. **You need:** chapters 1 to 3 (neurons, activations and their derivatives,
# gradient descent).
#
# Run the cells from top to bottom (in Jupyter: *Run > Run All Cells*). Every run shows the same numbers.

# %% [setup]

# %%
import numpy as np

from nbhelpers.activations import sigmoid, softmax
from nbhelpers.datasets import letters, logic_gate, people
from nbhelpers.exercises import ____
from nbhelpers.exercises import ch04 as ex
from nbhelpers.plotting import new_figure, plot_surface, scatter_classes
from nbhelpers.plotting import backprop as bp

# %% [markdown]
# ## 1. Blame flows backwards
#
# **Intuition.** A network's loss is the end of a long chain of small, simple functions: weighted sums,
# activations, more weighted sums, and finally a comparison with the right answer. When the loss is too high,
# whose fault is it? Each weight is to blame in proportion to how much a small change of that weight would
# change the loss. Backpropagation hands out the blame starting from the loss and walking backwards, one link
# at a time, because each link only needs to know how sensitive its own output is to its own inputs.
#
# **A nudge through a chain.** Take a chain of three links: $u = 3w$, then $\hat y = \sigma(u)$, then
# $L = (\hat y - 1)^2$ (the squared miss of a label 1), at $w = 0.2$. Nudge $w$ up by $0.001$ and follow the nudge down the chain:
#
# - $u = 3w$ moves 3 times as much as $w$: by $0.003$;
# - $\hat y = \sigma(u)$ moves by $0.000686$, that is $0.2287$ times the move of $u$ (the sigmoid's slope there);
# - $L$ moves by $-0.000486$, that is $-0.708$ times the move of $\hat y$ (the loss *falls* as $\hat y$ grows
#   towards the label 1).
#
# So $L$ moves $3 \times 0.2287 \times (-0.708) = -0.486$ times as much as $w$: **the slopes of the links
# multiply**. The next cell makes the nudge and prints each of these numbers.

# %%
w, nudge = 0.2, 0.001
u, u_nudged = 3 * w, 3 * (w + nudge)  # link 1
y_hat, y_hat_nudged = sigmoid(u), sigmoid(u_nudged)  # link 2
L, L_nudged = (y_hat - 1) ** 2, (y_hat_nudged - 1) ** 2  # link 3
print(f"w moves by {nudge}, u by {u_nudged - u:.3f}, y_hat by {y_hat_nudged - y_hat:.6f}, L by {L_nudged - L:.6f}")
slopes = [(u_nudged - u) / nudge, (y_hat_nudged - y_hat) / (u_nudged - u), (L_nudged - L) / (y_hat_nudged - y_hat)]
print("slope of each link:", np.round(slopes, 4), "  their product:", round(float(np.prod(slopes)), 3),
      "  L's move / w's move:", round(float((L_nudged - L) / nudge), 3))
assert (round(u_nudged - u, 3), round(float(y_hat_nudged - y_hat), 6), round(float(L_nudged - L), 6)) == (
    0.003, 0.000686, -0.000486)
assert [round(float(s), 4) for s in slopes[1:]] == [0.2287, -0.708] and round(float((L_nudged - L) / nudge), 3) == -0.486

# %% [markdown]
# **Math.** Make the nudge tiny and each ratio becomes a *derivative*, the slope of one link at that point. We
# write $\frac{\partial L}{\partial w}$ ("the partial derivative of $L$ with respect to $w$") for the slope of
# $L$ when only $w$ moves and everything else is held still. The **chain rule** is what the nudge showed: if $L$
# depends on $\hat y$, which depends on $u$, which depends on $w$, then
#
# $$ \frac{\partial L}{\partial w} = \frac{\partial L}{\partial \hat y} \cdot \frac{\partial \hat y}{\partial u}
#    \cdot \frac{\partial u}{\partial w}. $$
#
# Each factor is a *local* slope, easy to compute on its own: $\partial u / \partial w = 3$;
# $\partial \hat y / \partial u = \sigma'(u) = \hat y(1 - \hat y)$ (chapter 2); and
# $\partial L / \partial \hat y = 2(\hat y - 1)$ (the slope of $v^2$ is $2v$, and $v = \hat y - 1$ moves exactly
# as $\hat y$ does). It is negative while $\hat y < 1$: the loss falls as $\hat y$ rises.
#
# **Code.** Multiply the three exact slopes, then compare with brute force: nudge $w$ up and down by a far smaller
# step and measure how much $L$ moves.

# %%
chain = 2 * (y_hat - 1) * (y_hat * (1 - y_hat)) * 3  # dL/dy_hat * dy_hat/du * du/dw
f = lambda w: (sigmoid(3 * w) - 1) ** 2
eps = 1e-6
nudged_slope = (f(w + eps) - f(w - eps)) / (2 * eps)  # the nudge, both ways, with a tiny step
print(f"chain rule: {chain:.6f}   nudging w: {nudged_slope:.6f}")
assert abs(chain - nudged_slope) < 1e-8 and round(float(chain), 3) == -0.486
assert round(float(chain), 4) == -0.4864 and round(float((L_nudged - L) / nudge), 4) == -0.4857  # quoted below

# %% [markdown]
# The two agree to six decimals (the nudge of 0.001 above was a little too big to be exact: $-0.4857$ against
# $-0.4864$). The nudge needs two extra evaluations of the whole function *per weight*,
# which for a network with a million weights means two million forward passes per step. The chain rule gets
# every weight's slope from one forward and one backward pass. That is the whole point of backpropagation;
# the nudge survives as a test (section 6).
#
# ## 2. A loss to train on
#
# Our data, from a classic beginner's example: four people, described by their weight minus 135 lb and their
# height minus 66 in (subtracting a typical value keeps the numbers small), with the label 1 for female and 0
# for male.

# %%
names, X_people, y_people = people()
print(" name      weight-135  height-66  label")
for name, (wt, ht), label in zip(names, X_people, y_people):
    print(f" {name:<9} {wt:>10.0f} {ht:>10.0f} {label:>6.0f}")

fig, ax = new_figure(figsize=(6, 4))
scatter_classes(ax, X_people, y_people, labels=["male (0)", "female (1)"], size=90)
for name, (wt, ht) in zip(names, X_people):
    ax.annotate(name, (wt, ht), xytext=(6, 6), textcoords="offset points")
ax.margins(0.18)  # room for the names inside the frame
ax.set_xlabel("weight - 135 (lb)")
ax.set_ylabel("height - 66 (in)")
ax.set_title("Four people: the two women are lighter and shorter")
fig

# %% [markdown]
# **Math.** Write $\hat y$ ("y-hat") for the network's output, its prediction, and $y$ for the label. The **mean
# squared error** (MSE) over $n$ samples averages the squared gaps between prediction and label:
#
# $$ \text{MSE} = \frac{1}{n} \sum_{i=1}^{n} (\hat y_i - y_i)^2 . $$
#
# **Code.** In code the output is `y_hat`, and every loss function takes the prediction first, then the target,
# as the course package does. A model that always answers 0 is right about Bob and Charlie and off by 1 for Alice
# and Diana: $(1 + 0 + 0 + 1)/4 = 0.5$.

# %%
def mse(y_hat, y):
    return np.mean((y_hat - y) ** 2)


always_zero = np.zeros(4)
print("MSE of always answering 0:", mse(always_zero, y_people))
assert mse(always_zero, y_people) == 0.5

from nbhelpers.losses import mse as mse_reference  # the package's tested version, with its gradient mse_grad

assert mse_reference(always_zero, y_people) == mse(always_zero, y_people)

# %% [markdown]
# Training means finding weights that make this number small. Gradient descent (chapter 3) does it, if we can
# tell it the slope of the loss with respect to every weight. Time to compute one.
#
# ## 3. The worked example: one gradient by hand
#
# The network is chapter 1's 2-2-1: two inputs $x_1, x_2$, two hidden sigmoid neurons, one sigmoid output
# $\hat y$. We name its nine numbers and, for each neuron, its weighted sum $z$ before the sigmoid:
#
# $$ z_{h1} = w_1 x_1 + w_2 x_2 + b_1, \qquad z_{h2} = w_3 x_1 + w_4 x_2 + b_2, \qquad
#    z_{\hat y} = w_5 h_1 + w_6 h_2 + b_3, $$
#
# $$ h_1 = \sigma(z_{h1}), \qquad h_2 = \sigma(z_{h2}), \qquad \hat y = \sigma(z_{\hat y}). $$
#
# Start with every weight equal to 1 and every bias 0, and take Alice alone, $x = (-2, -1)$ with label
# $y = 1$. With one sample the MSE is just $L = (\hat y - 1)^2$. We keep four significant digits throughout, and
# the code below checks every number at full precision.

# %% [markdown]
# **Forward, by hand.**
# - $z_{h1} = 1 \cdot (-2) + 1 \cdot (-1) + 0 = -3$, so $h_1 = \sigma(-3) = 0.04743$, and $h_2 = 0.04743$ too.
# - $z_{\hat y} = 1 \cdot 0.04743 + 1 \cdot 0.04743 + 0 = 0.09485$, so $\hat y = \sigma(0.09485) = 0.5237$.
#
# The network says 0.5237: barely leaning towards "female". How should $w_1$ change? The chain from $w_1$ to the
# loss has three links: $w_1$ moves $h_1$, $h_1$ moves $\hat y$, and $\hat y$ moves $L$:
#
# $$ \frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat y} \cdot
#    \frac{\partial \hat y}{\partial h_1} \cdot \frac{\partial h_1}{\partial w_1}. $$

# %% [markdown]
# **Backward, by hand, one factor at a time.** The sigmoid's slope is $\sigma'(z) = \sigma(z)(1 - \sigma(z))$
# (chapter 2); it is needed at two different sums, so we write which: $\sigma'(z_{\hat y})$ and $\sigma'(z_{h1})$.
#
# 1. **$\partial L / \partial \hat y$.** $L = u^2$ with $u = \hat y - 1$. The slope of $u^2$ is $2u$, and $u$ moves
#    exactly as $\hat y$ does, so $\partial L / \partial \hat y = 2(\hat y - 1) = -0.9526$. Written $(1 - \hat y)^2$
#    instead, as many books do, the same slope reads $2(1 - \hat y) \cdot (-1) = -2(1 - \hat y)$: the $-1$ is the
#    slope of the inner $1 - \hat y$, which falls as $\hat y$ rises. Either way the sign says: raising $\hat y$
#    towards the label 1 *lowers* the loss.
# 2. **$\partial \hat y / \partial h_1$.** This link hides two: $h_1$ enters the sum $z_{\hat y}$ multiplied by
#    $w_5$, so $\partial z_{\hat y} / \partial h_1 = w_5$; then the sum goes through the sigmoid. So
#    $\partial \hat y / \partial h_1 = \sigma'(z_{\hat y}) \cdot w_5 = 0.5237 \cdot (1 - 0.5237) \cdot 1 = 0.2494$.
# 3. **$\partial h_1 / \partial w_1$.** The same two links one layer down: $w_1$ enters $z_{h1}$ multiplied by
#    $x_1$, so $\partial z_{h1} / \partial w_1 = x_1$; then the sigmoid. So $\partial h_1 / \partial w_1 =
#    \sigma'(z_{h1}) \cdot x_1 = 0.04743 \cdot (1 - 0.04743) \cdot (-2) = 0.04518 \cdot (-2) = -0.09035$.
# 4. **Multiply.** $\partial L / \partial w_1 = (-0.9526)(0.2494)(-0.09035) = 0.02147$.
#
# The gradient is positive: *increasing* $w_1$ would increase the loss a little, so gradient descent will
# *decrease* $w_1$.

# %% [markdown]
# **Compute the shared part once.** The first two factors do not mention $w_1$ at all. Their product is the blame
# that reaches $h_1$:
#
# $$ \frac{\partial L}{\partial h_1} = \frac{\partial L}{\partial \hat y} \cdot \frac{\partial \hat y}{\partial h_1}
#    = (-0.9526)(0.2494) = -0.2376, \qquad
#    \frac{\partial L}{\partial z_{h1}} = \frac{\partial L}{\partial h_1} \cdot \sigma'(z_{h1}) = -0.01073. $$
#
# Every number that feeds $h_1$ reuses it, times what it is multiplied by inside $z_{h1}$:
#
# - $\partial L / \partial w_1 = -0.01073 \cdot x_1 = -0.01073 \cdot (-2) = 0.02147$;
# - $\partial L / \partial w_2 = -0.01073 \cdot x_2 = -0.01073 \cdot (-1) = 0.01073$;
# - $\partial L / \partial b_1 = -0.01073 \cdot 1 = -0.01073$.
#
# That is the point of backpropagation: walk backwards once, store the blame of each node, and every weight's
# gradient is one more multiplication. The step-through panel below does exactly this.
#
# **Code.** The same steps, at full precision:

# %%
x1, x2, y_alice = -2.0, -1.0, 1.0
w1 = w2 = w3 = w4 = w5 = w6 = 1.0
b1 = b2 = b3 = 0.0

# forward
z_h1 = w1 * x1 + w2 * x2 + b1
z_h2 = w3 * x1 + w4 * x2 + b2
h1, h2 = sigmoid(z_h1), sigmoid(z_h2)
z_yhat = w5 * h1 + w6 * h2 + b3
y_hat = sigmoid(z_yhat)
loss = (y_hat - y_alice) ** 2

# backward: one factor per link of the chain
dL_dyhat = 2 * (y_hat - y_alice)  # = -2 (1 - y_hat)
dyhat_dh1 = y_hat * (1 - y_hat) * w5  # sigma'(z_yhat) * w5
dL_dh1 = dL_dyhat * dyhat_dh1  # the blame that reaches h1, computed once
dL_dzh1 = dL_dh1 * h1 * (1 - h1)  # ... times sigma'(z_h1)
dL_dw1, dL_dw2, dL_db1 = dL_dzh1 * x1, dL_dzh1 * x2, dL_dzh1 * 1.0  # ... reused for w1, w2 and b1

for label, value in [("h1", h1), ("z_yhat", z_yhat), ("y_hat", y_hat), ("dL/dy_hat", dL_dyhat),
                     ("dy_hat/dh1", dyhat_dh1), ("dL/dh1", dL_dh1), ("dL/dz_h1", dL_dzh1), ("dL/dw1", dL_dw1),
                     ("dL/dw2", dL_dw2), ("dL/db1", dL_db1)]:
    print(f"{label:>10} = {value:+.4g}")

# the numbers quoted above, to the four significant digits quoted
sig4 = lambda v: float(f"{float(v):.4g}")
assert sig4(h1) == sig4(h2) == 0.04743 and sig4(z_yhat) == 0.09485 and sig4(y_hat) == 0.5237
assert sig4(dL_dyhat) == -0.9526 and sig4(dyhat_dh1) == 0.2494 and sig4(h1 * (1 - h1)) == 0.04518
assert sig4(h1 * (1 - h1) * x1) == -0.09035 and sig4(dL_dh1) == -0.2376 and sig4(dL_dzh1) == -0.01073
assert (sig4(dL_dw1), sig4(dL_dw2), sig4(dL_db1)) == (0.02147, 0.01073, -0.01073)
# multiplying the rounded factors, as by hand, gives the same four digits
assert sig4(-0.9526 * 0.2494 * -0.09035) == 0.02147

# %% [markdown]
# Is $0.02147$ right? Nudge $w_1$ and watch the loss:

# %%
def alice_loss(w1):
    h1 = sigmoid(w1 * x1 + w2 * x2 + b1)
    h2 = sigmoid(w3 * x1 + w4 * x2 + b2)
    return (sigmoid(w5 * h1 + w6 * h2 + b3) - y_alice) ** 2


nudged = (alice_loss(1 + 1e-6) - alice_loss(1 - 1e-6)) / 2e-6
print(f"chain rule {dL_dw1:.6f}, nudge {nudged:.6f}")
assert abs(nudged - dL_dw1) < 1e-8

# %% [markdown]
# The course package holds a tested network, `nbhelpers.network.Network`, with a hand-written backward pass
# for any number of layers (section 5 shows how it works). Given the same weights, it finds the same gradient.
# Its matrix `W1` has one row per input and one column per hidden neuron, so $w_1$ is `W1[0, 0]`, $w_2$ is
# `W1[1, 0]`, $w_3$ is `W1[0, 1]` and $w_4$ is `W1[1, 1]`.

# %%
from nbhelpers.losses import mse_grad
from nbhelpers.network import Network

net = Network.from_weights([(np.ones((2, 2)), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))], activations="sigmoid")
out = net.forward(np.array([[x1, x2]]))  # one sample: shape (1, 2)
net.backward(mse_grad(out, [[y_alice]]))  # start from dL/dy_hat
W1_grad = net.parameters()[0].grad
print("dL/dW1 from the package:\n", np.round(W1_grad, 5))
assert np.isclose(W1_grad[0, 0], dL_dw1)

# %% [markdown]
# **Picture.** Every value and every gradient of the example at once. Values flow forward (blue, inside the
# nodes; the weights in grey on the edges); gradients flow back (vermillion, on the edges under each weight and
# under the nodes), written to four significant digits as in the text. Notice that $w_1$ and $w_3$
# get the same gradient, as do $w_2$ and $w_4$: with all weights equal, the two hidden neurons are twins, and
# they would stay twins forever. That is why networks start from *random* weights.

# %%
steps = bp.backprop_steps([x1, x2], y_alice)
assert steps[-1].grads["w1"] == steps[-1].grads["w3"] and steps[-1].grads["w2"] == steps[-1].grads["w4"]  # twins
fig, ax = new_figure(figsize=(8.5, 5))
bp.draw_backprop_diagram(ax, steps[-1], bp.weights_by_name(np.ones((2, 2)), np.zeros(2), np.ones((2, 1)), np.zeros(1)),
                         title="Alice through the 2-2-1 network: every value forward, every gradient back",
                         highlight=False)
fig

# %% [markdown]
# **Touch.** Walk through the same computation one step at a time: press **next** to compute the next value
# (forward) or gradient (backward); **back** undoes a step. Try another person: Bob's label is 0, so the
# gradients change sign. Notice where the numbers get tiny.

# %%
from nbhelpers.widgets.backprop import BackpropStepper

BackpropStepper(person="Alice")

# %% [markdown]
# **Check.** Now one on your own. $w_5$ connects $h_1$ to the output. Compute $\partial L / \partial w_5$ for
# Alice in the same network (by hand, or with the numbers printed above).

# %%
answer = ____  # a number, e.g. -0.5
ex.partial_w5.check(answer)

# %% [markdown]
# ## 4. Training on four people
#
# **Intuition.** One gradient tells us which way to move each weight for one person. Stochastic gradient
# descent does it for one person after another, over and over: each step a little less wrong for that person.

# %% [markdown]
# **Shapes first.** The backward pass for all nine numbers at once is the same chain as above, written with
# arrays. One person is a row $\mathbf x$ of two numbers, and everything is a row or a matrix that rows multiply
# from the left (`x @ W1`), the orientation of chapter 1 and of the rest of the course:
#
# | name | what it is | shape | section 3's numbers |
# |---|---|---|---|
# | $\mathbf x$ | one person's inputs | $(2,)$ | $x_1, x_2$ |
# | $W_1$ | one row per input, one column per hidden neuron | $(2, 2)$ | $[[w_1, w_3], [w_2, w_4]]$ |
# | $\mathbf b_1$ | hidden biases | $(2,)$ | $b_1, b_2$ |
# | $\mathbf z_1 = \mathbf x W_1 + \mathbf b_1$ | hidden sums | $(2,)$ | $z_{h1}, z_{h2}$ |
# | $\mathbf h = \sigma(\mathbf z_1)$ | hidden outputs | $(2,)$ | $h_1, h_2$ |
# | $W_2$ | one row per hidden neuron | $(2, 1)$ | $[[w_5], [w_6]]$ |
# | $b_2$ | output bias | $(1,)$ | $b_3$ |
# | $z_2 = \mathbf h W_2 + b_2$ | the output's sum | $(1,)$ | $z_{\hat y}$ |
# | $\hat y = \sigma(z_2)$ | the output | $(1,)$ | $\hat y$ |

# %% [markdown]
# Section 3 stored the blame of each sum, $\partial L / \partial z_{h1}$; we give that a name, **delta**:
# $\delta_{\text{out}} = \partial L / \partial z_2$ (one number) and $\boldsymbol\delta_{\text{hid}} = \partial L /
# \partial \mathbf z_1$ (one per hidden neuron, shape $(2,)$).
#
# **Math.** Section 3's factors, for every weight at once:
#
# $$ \delta_{\text{out}} = 2 (\hat y - y) \, \hat y (1 - \hat y), \qquad
#    \frac{\partial L}{\partial W_2} = \mathbf h^\top \delta_{\text{out}}, \qquad
#    \frac{\partial L}{\partial \mathbf h} = \delta_{\text{out}} \, W_2^\top, $$
#
# $$ \boldsymbol\delta_{\text{hid}} = \frac{\partial L}{\partial \mathbf h} \odot \mathbf h \odot (1 - \mathbf h),
#    \qquad \frac{\partial L}{\partial W_1} = \mathbf x^\top \boldsymbol\delta_{\text{hid}}, $$
#
# where $\odot$ multiplies element by element, $W_2^\top$ ("transpose") turns the column $W_2$ into a row so that
# $\partial L / \partial \mathbf h$ has the shape $(2,)$ of $\mathbf h$, and $\mathbf x^\top \boldsymbol\delta$ is
# an *outer product*: entry $(i, j)$ is $x_i \delta_j$, "input $i$ times the blame of neuron $j$", the shape
# $(2, 2)$ of $W_1$. Entry $(0, 0)$ is section 3's $x_1 \cdot \partial L / \partial z_{h1}$.
#
# **Code.** Forward and backward for one person:

# %%
def forward_backward(x, y, W1, b1, W2, b2):
    # forward
    z1 = x @ W1 + b1  # (2,)   hidden sums
    h = sigmoid(z1)  # (2,)   hidden outputs
    z2 = h @ W2 + b2  # (1,)   the output's sum
    y_hat = sigmoid(z2)  # (1,)
    # backward: the chain of section 3, for every weight at once
    d_yhat = 2 * (y_hat - y)  # dL/dy_hat                         (1,)
    delta_out = d_yhat * y_hat * (1 - y_hat)  # dL/dz2: through the output sigmoid  (1,)
    dW2 = np.outer(h, delta_out)  # (2, 1)  h^T delta_out
    db2 = delta_out  # (1,)
    d_h = delta_out @ W2.T  # (2,)    delta_out W2^T
    delta_hid = d_h * h * (1 - h)  # (2,)    dL/dz1: through the hidden sigmoids
    dW1 = np.outer(x, delta_hid)  # (2, 2)  x^T delta_hid
    db1 = delta_hid  # (2,)
    return y_hat, (dW1, db1, dW2, db2)


_, (dW1, db1, dW2, db2) = forward_backward(np.array([x1, x2]), y_alice, np.ones((2, 2)), np.zeros(2),
                                           np.ones((2, 1)), np.zeros(1))
print("dW1 =\n", np.round(dW1, 5))
assert np.isclose(dW1[0, 0], dL_dw1) and np.allclose(dW1, W1_grad)  # the same as by hand and as the package

# %% [markdown]
# Now train: random starting weights, then 1000 passes (**epochs**) over the four people, one gradient step
# per person with learning rate 0.1. Every 10 epochs we note the MSE on all four.

# %%
W1, b1 = rng.normal(size=(2, 2)), rng.normal(size=2)  # rng was seeded in the setup cell
W2, b2 = rng.normal(size=(2, 1)), rng.normal(size=1)
start = [a.copy() for a in (W1, b1, W2, b2)]  # kept to compare with the package below


def predict(X):
    return sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)[:, 0]


learning_rate, epochs = 0.1, 1000
history = []
for epoch in range(epochs):
    for x, y in zip(X_people, y_people):
        _, (dW1, db1, dW2, db2) = forward_backward(x, y, W1, b1, W2, b2)
        W1 -= learning_rate * dW1
        b1 -= learning_rate * db1
        W2 -= learning_rate * dW2
        b2 -= learning_rate * db2
    if epoch % 10 == 0:
        history.append(mse(predict(X_people), y_people))

print(f"MSE at the start {history[0]:.3f}, after {epochs} epochs {mse(predict(X_people), y_people):.4f}")
assert history[-1] < 0.01 < history[0]

# %%
fig, ax = new_figure(figsize=(6, 3.4))
bp.plot_loss_curves(ax, {"MSE on the four people": history}, every=10,
                    title="The loss drops fast, then creeps towards 0")
fig

# %% [markdown]
# Now two people the network has never seen: Emily (weight 128 lb, height 63 in, so $(-7, -3)$) and Frank
# ($155$ lb, $68$ in, so $(20, 2)$).

# %%
newcomers = np.array([[-7.0, -3.0], [20.0, 2.0]])
emily, frank = predict(newcomers)
print(f"Emily: {emily:.3f} (female, if close to 1)   Frank: {frank:.3f} (male, if close to 0)")
assert emily > 0.9 and frank < 0.1  # the text below says so

fig, ax = new_figure(figsize=(6.5, 4.2))
plot_surface(ax, predict, (-25, 30), (-10, 10), colorbar=True, label="network output")
scatter_classes(ax, X_people, y_people, labels=["male (0)", "female (1)"], size=80, legend=False)
bp.plot_newcomers(ax, newcomers, [1, 0], ["Emily", "Frank"])  # hollow: not trained on
ax.set_xlabel("weight - 135 (lb)")
ax.set_ylabel("height - 66 (in)")
ax.set_title("After training: Emily (hollow square) lands on the female side, Frank on the male side")
fig

# %% [markdown]
# Emily gets more than 0.9 and Frank less than 0.1: the network generalised from four examples to two new people.
#
# The package's `Network` trains the same way, with the optimizers of chapter 3. Its backward pass *adds* into
# each parameter's `.grad` (so do PyTorch and chapter 5's engine), which is why every step begins with
# `zero_grad()`. Starting from the same weights, it ends at the same weights:

# %%
from nbhelpers.optim import SGD

net = Network.from_weights([(start[0], start[1]), (start[2], start[3])], activations="sigmoid")
opt = SGD(net.parameters(), lr=0.1)
for epoch in range(epochs):
    for x, y in zip(X_people, y_people):
        opt.zero_grad()  # forget the previous step's gradients
        out = net.forward(x.reshape(1, 2))  # forward: one sample as a (1, 2) batch
        net.backward(mse_grad(out, [[y]]))  # backward: fills every .grad
        opt.step()  # move every weight downhill
final = [p.data for p in net.parameters()]
assert all(np.allclose(a, b) for a, b in zip(final, (W1, b1, W2, b2)))
print("package and notebook agree on all 9 trained numbers")

# %% [markdown]
# What if you forget `zero_grad()`? The gradients of two steps pile up. Two backward passes without zeroing
# give exactly twice the gradient; and a second `backward` for the *same* forward pass is refused, because it
# would silently do the same.

# %%
from nbhelpers.network import BackwardError

x_alice = np.array([[x1, x2]])
net.zero_grad()
for repeat in range(2):  # two backward passes, no zero_grad in between
    net.backward(mse_grad(net.forward(x_alice), [[y_alice]]))
twice = net.parameters()[0].grad.copy()

net.zero_grad()
net.backward(mse_grad(net.forward(x_alice), [[y_alice]]))
once = net.parameters()[0].grad
print("dL/dW1 after two backward passes, divided by after one:\n", np.round(twice / once, 6))
assert np.allclose(twice, 2 * once)

try:
    net.backward(np.ones((1, 1)))  # a second backward for the same forward pass
except BackwardError as err:
    print("BackwardError:", err)

# %% [markdown]
# ## 5. A whole layer at once: backpropagation as matrix products
#
# **Intuition.** Section 4 handled one person and one tiny network. Real networks push a *batch* of $n$ samples
# through layers of many neurons. Every layer does the same three things backwards: go back through its
# activation, hand each weight its blame, and pass the rest of the blame to the layer before. With matrices
# each of these is one line.
#
# %% [markdown]
# **Math.** A dense layer takes $X$ of shape $(n, n_\text{in})$ (one sample per row, as section 4's $\mathbf x$)
# to $Z = XW + \mathbf b$ and $A = f(Z)$, both $(n, n_\text{out})$. We write $dA$ for $\partial L / \partial A$,
# and so on. Given $dA = \partial L / \partial A$, shape $(n, n_\text{out})$, from the layer after:
#
# | gradient | formula | shape | in words |
# |---|---|---|---|
# | $dZ$ | $dA \odot f'(Z)$ | $(n, n_\text{out})$ | back through the activation, element by element |
# | $dW$ | $X^\top dZ$ | $(n_\text{in}, n)(n, n_\text{out}) \to (n_\text{in}, n_\text{out})$ | weight $W_{ij}$ gets $\sum_s X_{si}\, dZ_{sj}$, summed over the samples |
# | $d\mathbf b$ | $\sum_s dZ_{s,:}$ | $(n_\text{out})$ | each bias is added to every sample, so its blame sums over them |
# | $dX$ | $dZ\, W^\top$ | $(n, n_\text{out})(n_\text{out}, n_\text{in}) \to (n, n_\text{in})$ | handed to the layer before, as its $dA$ |
#
# With $n = 1$ these are section 4's lines: $dZ$ is $\delta$, $X^\top dZ$ is $\mathbf x^\top \delta$, and
# $dZ\,W^\top$ is $\delta_{\text{out}} W_2^\top$. A good habit: a gradient always has the shape of the thing it
# is the gradient of. If the shapes of a product don't fit, you have a transpose in the wrong place.

# %% [markdown]
# **Check.** Before any code: for a layer with 30 inputs and 5 neurons and a batch of 3 images, what is the
# shape of `dW`? Use the table.

# %%
shape = ____  # a tuple, e.g. (2, 2)
ex.gradient_shape.check(shape)

# %% [markdown]
# **Two things the code below uses.**
#
# - **Starting weights.** Section 4 started from `rng.normal`, spread 1. For wider layers that is too much: a
#   sum of many inputs times spread-1 weights grows large, and a sigmoid or tanh neuron saturates, where its slope
#   is nearly 0. **Xavier initialisation** (after Xavier Glorot, also called Glorot initialisation) draws the
#   starting weights with spread (standard deviation) $\sqrt{2 / (n_\text{in} + n_\text{out})}$, so each layer's
#   sums start about as large as its inputs. Section 8 measures how much the start matters.
# - **Two ways into `backward`.** `backward(dA)` takes the gradient with respect to the layer's output and first
#   goes back through the activation. `backward_from_z(dZ)` skips that step and takes $dZ$ directly: useful when
#   the loss's gradient with respect to $Z$ is already known and simpler than going through $f'$ (cross-entropy
#   after a sigmoid, below, gives $dZ$ = prediction minus label).
#
# **Code.** A layer class with `forward` and `backward` side by side. Each activation comes with its
# derivative, written in terms of the output $A$ that forward already computed.

# %%
ACTIVATIONS = {  # name: (f, f' expressed with the output a = f(z))
    "sigmoid": (sigmoid, lambda a: a * (1 - a)),
    "tanh": (np.tanh, lambda a: 1 - a**2),
    "relu": (lambda z: np.maximum(0, z), lambda a: (a > 0).astype(float)),
    "linear": (lambda z: z, lambda a: np.ones_like(a)),
}


class Dense:
    def __init__(self, n_in, n_out, activation, rng):
        scale = np.sqrt(2 / (n_in + n_out))  # Xavier initialisation (explained above)
        self.W = rng.normal(0, scale, size=(n_in, n_out))
        self.b = np.zeros(n_out)
        self.f, self.df = ACTIVATIONS[activation]

    def forward(self, X):
        self.X = X  # (n, n_in)    kept for backward
        self.Z = X @ self.W + self.b  # (n, n_out)
        self.A = self.f(self.Z)  # (n, n_out)
        return self.A

    def backward(self, dA):
        dZ = dA * self.df(self.A)  # (n, n_out)   back through the activation
        return self.backward_from_z(dZ)

    def backward_from_z(self, dZ):
        self.dW = self.X.T @ dZ  # (n_in, n_out)
        self.db = dZ.sum(axis=0)  # (n_out,)
        return dZ @ self.W.T  # (n, n_in)    the blame passed to the layer before

    def step(self, lr):
        self.W -= lr * self.dW
        self.b -= lr * self.db


# %% [markdown]
# The shapes on a concrete case, the one of your check: a batch of the 3 letter images of section 7 (30 pixels
# each) through a layer of 5 neurons.

# %%
X_letters, y_letters, letter_names = letters()
layer = Dense(30, 5, "sigmoid", np.random.default_rng(0))
A = layer.forward(X_letters)
dX = layer.backward(np.ones_like(A))  # pretend dL/dA is all ones
for name, array in [("X", X_letters), ("W", layer.W), ("A", A), ("dW", layer.dW), ("db", layer.db), ("dX", dX)]:
    print(f"{name:>3}: {array.shape}")
assert layer.dW.shape == layer.W.shape and dX.shape == X_letters.shape

# %% [markdown]
# The package's `nbhelpers.network.Dense` is the same layer with input checks, and it *adds* into `.grad`
# instead of storing `dW`. Given the same weights and the same incoming gradient, the two agree:

# %%
from nbhelpers.network import Dense as PackageDense

reference = PackageDense(30, 5, "sigmoid")
reference.W.data[...] = layer.W
dA = np.random.default_rng(1).normal(size=(3, 5))  # any incoming gradient will do
dX_ours = layer.backward(dA)
reference.forward(X_letters)
dX_ref = reference.backward(dA)
assert np.allclose(layer.dW, reference.W.grad) and np.allclose(layer.db, reference.b.grad)
assert np.allclose(dX_ours, dX_ref)
print("the notebook's Dense and nbhelpers.network.Dense agree")

# %% [markdown]
# ### XOR, with cross-entropy
#
# **Math.** For a yes/no output $\hat y = \sigma(z)$, read as the probability of "yes" and so also written
# $p$, the natural loss is **binary cross-entropy** (BCE): it charges
# $-\log p$ when the label is 1 and $-\log(1 - p)$ when it is 0, averaged over the $n$ samples:
#
# $$ L = -\frac{1}{n} \sum_i \big[ y_i \log p_i + (1 - y_i) \log (1 - p_i) \big]. $$
#
# To differentiate it we need one more slope: that of the natural logarithm, $\frac{d}{dp} \log p = \frac{1}{p}$.
# (At $p = 0.5$ the log climbs twice as steeply as a line of slope 1; near 0 it is very steep.) A nudge checks it,
# as in section 1:

# %%
for p_try in (0.1, 0.5, 0.9):
    slope = (np.log(p_try + 1e-6) - np.log(p_try - 1e-6)) / 2e-6
    print(f"p = {p_try}: nudged slope of log p = {slope:.6f},  1/p = {1 / p_try:.6f}")
    assert abs(slope - 1 / p_try) < 1e-6

# %% [markdown]
# With it, the chain through the sigmoid collapses beautifully. For one sample, $\log(1 - p)$ has slope
# $\frac{1}{1 - p} \cdot (-1)$ (the inner $1 - p$ moves opposite to $p$, as in section 3), so
#
# $$ \frac{\partial L}{\partial p} = -\frac{y}{p} + \frac{1 - y}{1 - p} = \frac{p - y}{p(1 - p)}, \qquad
#    \frac{\partial p}{\partial z} = p (1 - p), \qquad
#    \text{so} \quad \frac{\partial L}{\partial z} = p - y . $$
#
# *Prediction minus label*, divided by $n$ for the average. No division, so nothing blows up when $p$ is
# close to 0 or 1.
#
# **Code.** Four tanh hidden neurons, a sigmoid output, full-batch gradient descent on the four XOR points.

# %%
X_xor, y_xor = logic_gate("xor")
Y_xor = y_xor.reshape(-1, 1)  # (4, 1): one column, like the network's output


def bce(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)  # never log(0)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


xor_rng = np.random.default_rng(2)
hidden, output = Dense(2, 4, "tanh", xor_rng), Dense(4, 1, "sigmoid", xor_rng)
xor_losses = []
for epoch in range(2000):
    p = output.forward(hidden.forward(X_xor))  # forward: (4, 2) -> (4, 4) -> (4, 1)
    xor_losses.append(bce(p, Y_xor))
    dZ = (p - Y_xor) / len(Y_xor)  # BCE through the sigmoid: prediction minus label
    hidden.backward(output.backward_from_z(dZ))  # backward, last layer first
    hidden.step(0.5)
    output.step(0.5)

p = output.forward(hidden.forward(X_xor))
print("XOR predictions:", np.round(p.ravel(), 3), " labels:", y_xor)
assert np.array_equal(np.round(p.ravel()), y_xor)

# %%
fig, axes = new_figure(1, 2, figsize=(11, 4))
bp.plot_loss_curves(axes[0], {"binary cross-entropy": xor_losses}, log=True,
                    title="XOR: the loss keeps falling (log scale)")
plot_surface(axes[1], lambda P: output.forward(hidden.forward(P)).ravel(), (-0.5, 1.5), (-0.5, 1.5))
scatter_classes(axes[1], X_xor, y_xor, size=80)
axes[1].set_xlabel("$x_1$")
axes[1].set_ylabel("$x_2$")
axes[1].set_title("The trained network's yes-region: a band no single line can make")
fig

# %% [markdown]
# ### Why cross-entropy beats squared error with a sigmoid output
#
# With MSE the gradient at the output keeps the sigmoid's slope: $\partial L / \partial z = 2(p - y)\,p(1-p)$.
# When the network is *confidently wrong* ($p$ near 0 for a label 1), $p(1 - p)$ is nearly 0, so the very
# mistake that most needs fixing gets almost no gradient. Cross-entropy's $p - y$ is then nearly $-1$: full
# strength. At $z = -6$ with label 1:

# %%
z = -6.0
p = sigmoid(z)
mse_slope, bce_slope = 2 * (p - 1) * p * (1 - p), p - 1
print(f"p = {p:.4f}:  MSE gives dL/dz = {mse_slope:.5f},  cross-entropy gives {bce_slope:.4f}, "
      f"{bce_slope / mse_slope:.0f} times larger")
assert 200 < bce_slope / mse_slope < 210  # "about 200 times" below

fig, ax = new_figure(figsize=(6.5, 3.6))
bp.plot_output_gradients(ax)
fig

# %% [markdown]
# About 200 times larger. Does it matter in training? Train the XOR network above from 100 random starts with
# each loss, everything else equal (500 epochs, learning rate 0.5), and count the runs that learn XOR (every
# prediction within 0.25 of its label). `nbhelpers.network.train_many` runs the 100 networks at once by
# stacking their weights along a new first axis; its tests check it takes exactly the steps of one network
# trained alone.

# %%
from nbhelpers.network import train_many


def success_fraction(runs):
    return float(np.mean(np.all(np.abs(runs.predictions - y_xor) < 0.25, axis=1)))


seeds = range(100)
results = {}
for start_name, init in [("Xavier start", "xavier"), ("large start (std 3)", 3.0)]:
    for loss_name in ("bce", "mse"):
        runs = train_many(X_xor, y_xor, [2, 4, 1], ["tanh", "sigmoid"], seeds, init=init, lr=0.5, epochs=500,
                          loss=loss_name)
        results[start_name, loss_name] = success_fraction(runs)
        print(f"{start_name:<20} {loss_name.upper():<4} {results[start_name, loss_name]:.0%} of 100 runs learn XOR")
assert results["Xavier start", "bce"] == 1.00 and results["Xavier start", "mse"] == 0.98
assert results["large start (std 3)", "bce"] == 0.86 and results["large start (std 3)", "mse"] == 0.51

# %% [markdown]
# From a sensible (Xavier) start the two losses do about equally well here: 100 and 98 runs of 100. From a large
# start, where many outputs begin saturated and confidently wrong, cross-entropy rescues 86 runs and MSE only
# 51. Use cross-entropy with a sigmoid (or softmax) output; keep MSE for outputs that are plain numbers.
#
# **Check.** Derive it yourself: write the gradient of binary cross-entropy with respect to $z$, for a sigmoid
# output $p = \sigma(z)$ and label $y$ (one sample). It must work for very large $|z|$ too.

# %%
def bce_sigmoid_grad(z, y):
    return ____  # your code: dL/dz


ex.bce_sigmoid_grad.check(bce_sigmoid_grad)

# %% [markdown]
# ## 6. Gradient checking: trust, but verify
#
# **Intuition.** A backward pass with a bug usually still *runs*. Training then goes slowly or strangely, and
# you can lose hours suspecting the learning rate. The nudge of section 1 gives an independent answer for every
# weight: slow, but simple enough to trust. Compare the two on a small network before training a big one.
#
# **Math.** The central difference, and a scale-free way to compare two gradient arrays $a$ (analytic) and
# $g$ (numerical):
#
# $$ \frac{\partial L}{\partial w} \approx \frac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon},
#    \qquad \text{relative error} = \frac{\lVert a - g \rVert}{\lVert a \rVert + \lVert g \rVert}. $$
#
# With $\varepsilon = 10^{-6}$ in 64-bit floats, a correct backward pass gives a relative error around $10^{-7}$
# or smaller; a bug gives $10^{-2}$ or more.
#
# **Code.** Nudge every entry of an array, one at a time:

# %%
def numerical_grad(loss_fn, array, eps=1e-6):
    grad = np.zeros_like(array)
    for i in np.ndindex(array.shape):
        old = array[i]
        array[i] = old + eps
        up = loss_fn()
        array[i] = old - eps
        down = loss_fn()
        array[i] = old  # put it back!
        grad[i] = (up - down) / (2 * eps)
    return grad


def relative_error(a, g):
    return np.linalg.norm(a - g) / (np.linalg.norm(a) + np.linalg.norm(g))


check_rng = np.random.default_rng(3)
hidden, output = Dense(2, 4, "tanh", check_rng), Dense(4, 1, "sigmoid", check_rng)
loss_fn = lambda: bce(output.forward(hidden.forward(X_xor)), Y_xor)  # reads the current weights

p = output.forward(hidden.forward(X_xor))
hidden.backward(output.backward_from_z((p - Y_xor) / 4))
for name, array, analytic in [("W1", hidden.W, hidden.dW), ("b1", hidden.b, hidden.db),
                              ("W2", output.W, output.dW), ("b2", output.b, output.db)]:
    print(f"{name}: relative error {relative_error(analytic, numerical_grad(loss_fn, array)):.1e}")

# %% [markdown]
# All tiny: the backward pass is right. Now plant the most common bug there is, forgetting the activation's
# derivative in the hidden layer, and run the package's version of the same check, `gradient_check`, which
# prints a table:

# %%
from nbhelpers.gradcheck import gradient_check


class ForgetfulDense(Dense):
    def backward(self, dA):
        return self.backward_from_z(dA)  # BUG: should be dA * self.df(self.A)


def check(hidden_layer):
    hidden_layer.W, hidden_layer.b = hidden.W, hidden.b  # same weights for both checks
    f = lambda: bce(output.forward(hidden_layer.forward(X_xor)), Y_xor)
    p = output.forward(hidden_layer.forward(X_xor))
    hidden_layer.backward(output.backward_from_z((p - Y_xor) / 4))
    return gradient_check(f, [hidden_layer.W, hidden_layer.b, output.W, output.b],
                          [hidden_layer.dW, hidden_layer.db, output.dW, output.db], names=["W1", "b1", "W2", "b2"])


correct = check(Dense(2, 4, "tanh", check_rng))
buggy = check(ForgetfulDense(2, 4, "tanh", check_rng))
print(correct, "\n")
print(buggy)
assert correct.passed and not buggy.passed and buggy.worst in ("W1", "b1")
assert buggy.errors[2] < 1e-6 and buggy.errors[3] < 1e-6  # the output layer's gradients are still right

# %%
fig, ax = new_figure(figsize=(6.5, 3.8))
bp.plot_gradient_check(ax, {"correct backward": correct, "planted bug": buggy},
                       title="The check points at the bug: only the hidden layer's gradients are off")
fig

# %% [markdown]
# The check does more than say "wrong": the output layer's `W2` and `b2` pass and the hidden layer's fail, so the
# bug lives in the hidden layer's backward pass. The package's tests run this check on networks of many shapes
# and activations.
#
# **Check.** Here is a tanh layer's backward pass with a different bug planted in it:

# %%
import inspect

print(inspect.getsource(ex.buggy_dense_backward))

# %% [markdown]
# A two-layer network that uses it for both layers, and the gradient check:

# %%
tr = np.random.default_rng(4)
Xc, Wa, ba, Wb, bb = tr.normal(size=(5, 3)), tr.normal(size=(3, 4)), tr.normal(size=4), tr.normal(size=(4, 2)), tr.normal(size=2)


def two_layer_loss():
    return 0.5 * np.sum(np.tanh(np.tanh(Xc @ Wa + ba) @ Wb + bb) ** 2)


Za = Xc @ Wa + ba
Zb = np.tanh(Za) @ Wb + bb
dWb, dbb, dA1 = ex.buggy_dense_backward(np.tanh(Za), Zb, Wb, np.tanh(Zb))  # dL/dA of the loss above is A itself
dWa, dba, _ = ex.buggy_dense_backward(Xc, Za, Wa, dA1)
print(gradient_check(two_layer_loss, [Wa, ba, Wb, bb], [dWa, dba, dWb, dbb], names=["W1", "b1", "W2", "b2"]))

# %% [markdown]
# Which line holds the bug: "A", "B", "C" or "D"?

# %%
answer = ____  # "A", "B", "C" or "D"
ex.find_the_bug.check(answer)

# %% [markdown]
# And the backward pass of the smallest network of all, a single sigmoid neuron with the loss
# $L = (y - \sigma(\mathbf w \cdot \mathbf x + b))^2$. The checker judges your answer the way this section
# taught: by comparing it with central differences on four different neurons.

# %%
def neuron_backward(x, w, b, y):
    z = np.dot(w, x) + b
    p = sigmoid(z)
    dL_dw = ____  # your code: an array shaped like w
    dL_db = ____  # your code: one number
    return dL_dw, dL_db


ex.neuron_backward.check(neuron_backward)

# %% [markdown]
# ## 7. More than two classes: the letters A, B and C
#
# **Intuition.** To tell several classes apart, give the network one output per class and ask for a probability
# for each: the **softmax** of chapter 2 turns the outputs into positive numbers that add up to 1.
#
# The data: the letters A, B and C drawn on a grid of 6 rows by 5 columns, each flattened into 30 numbers
# (1 = ink).

# %%
print("X:", X_letters.shape, " labels:", y_letters, letter_names)
fig, axes = new_figure(1, 3, figsize=(7, 3))
bp.show_letters(axes, X_letters, letter_names, titles=[f"{n} (class {i})" for i, n in enumerate(letter_names)])
fig.suptitle("Three 6x5 images, each a row of 30 pixels for the network")
fig

# %% [markdown]
# **Math.** The labels become **one-hot** rows: class 1 ("B") is $[0, 1, 0]$. With $P = \text{softmax}(Z)$ and
# the cross-entropy loss $L = -\frac{1}{n}\sum_i \sum_k Y_{ik} \log P_{ik}$, the gradient at the output
# is again prediction minus label:
#
# $$ \frac{\partial L}{\partial Z} = \frac{1}{n}(P - Y). $$
#
# **Code.** A 30-5-3 network: 30 pixels in, 5 sigmoid hidden neurons, 3 outputs through a softmax.

# %%
Y_letters = np.eye(3)[y_letters]  # one-hot: row i has a 1 in column y_letters[i]
print("one-hot labels:\n", Y_letters)

from nbhelpers.losses import one_hot

assert np.array_equal(Y_letters, one_hot(y_letters))

letter_rng = np.random.default_rng(5)
hidden, output = Dense(30, 5, "sigmoid", letter_rng), Dense(5, 3, "linear", letter_rng)
letter_losses = []
for epoch in range(500):
    P = softmax(output.forward(hidden.forward(X_letters)), axis=1)  # (3, 3): one row of probabilities per image
    letter_losses.append(-np.mean(np.sum(Y_letters * np.log(P), axis=1)))
    hidden.backward(output.backward_from_z((P - Y_letters) / 3))  # softmax + cross-entropy: P - Y
    hidden.step(1.0)
    output.step(1.0)


def classify(X):
    return softmax(output.forward(hidden.forward(X)), axis=1)


P = classify(X_letters)
print(f"cross-entropy: {letter_losses[0]:.3f} at the start, {letter_losses[-1]:.4f} after 500 epochs")
assert np.array_equal(P.argmax(axis=1), y_letters) and np.all(np.diag(P) > 0.99)

# %% [markdown]
# Every letter is recognised with a probability above 0.99. A harder test: damage each letter by flipping
# two of its pixels (outlined in vermillion below), images the network has never seen.

# %%
damaged = X_letters.copy()
flipped = [(0, 7), (3, 12), (5, 29)]  # two pixel positions (0 to 29) per letter
for row, pixels in enumerate(flipped):
    damaged[row, list(pixels)] = 1 - damaged[row, list(pixels)]
P_damaged = classify(damaged)
print("damaged letters classified as:", [letter_names[k] for k in P_damaged.argmax(axis=1)])
assert np.array_equal(P_damaged.argmax(axis=1), y_letters) and np.all(np.diag(P_damaged) > 0.9)

fig, axes = new_figure(1, 4, figsize=(12, 3.2))
bp.show_letters(axes[:3], damaged, letter_names, titles=[f"damaged {n}" for n in letter_names], marked=flipped)
bp.plot_probabilities(axes[3], P_damaged, [f"damaged {n}" for n in letter_names], letter_names,
                      title="Still recognised, with high probability")
fig

# %% [markdown]
# ## 8. How reliable is it? XOR from 100 random starts
#
# **Intuition.** Training starts from random weights, so two runs of the same code can end differently. Some
# starts lead to a valley that is not the bottom (a **local minimum**), or kill hidden units for good. How often
# does that happen? Rather than guess, train 100 times and count.
#
# The set-ups, all with a sigmoid output, binary cross-entropy, full-batch gradient descent (learning rate 0.5,
# 2000 epochs) and biases starting at 0:
# 1. 2 hidden ReLU units, small random weights (standard deviation 0.1);
# 2. 2 hidden tanh units, Xavier initialisation (standard deviation $\sqrt{2/(n_\text{in} + n_\text{out})}$);
# 3. 4 hidden tanh units, Xavier initialisation.
#
# A run succeeds when every one of the four predictions is within 0.25 of its label.

# %%
setups = {
    "2 ReLU,\nsmall init": ([2, 2, 1], ["relu", "sigmoid"], "small"),
    "2 tanh,\nXavier": ([2, 2, 1], ["tanh", "sigmoid"], "xavier"),
    "4 tanh,\nXavier": ([2, 4, 1], ["tanh", "sigmoid"], "xavier"),
}
study = {label: train_many(X_xor, y_xor, sizes, acts, range(100), init=init, lr=0.5, epochs=2000, record_every=2000)
         for label, (sizes, acts, init) in setups.items()}
fractions = {label: success_fraction(runs) for label, runs in study.items()}
for label, fraction in fractions.items():
    print(f"{label.replace(chr(10), ' '):<18} {fraction:.0%} of 100 seeds learn XOR")
assert list(fractions.values()) == [0.15, 0.59, 1.00]  # the numbers quoted below

# %%
fig, ax = new_figure(figsize=(6.5, 4))
bp.plot_success_fractions(ax, list(fractions), list(fractions.values()), n_runs=100,
                          title="Two ReLU units rarely learn XOR; four tanh units always did")
fig

# %% [markdown]
# Why do runs fail? Look inside the failed ones. A ReLU unit whose weighted sum is negative for all four inputs
# outputs 0 and gets gradient 0: it is **dead** and never recovers. The failed tanh runs all stop at the same
# loss, the signature of a local minimum in which two of the four points sit at 0.5.

# %%
relu_runs = study["2 ReLU,\nsmall init"]
relu_ok = np.all(np.abs(relu_runs.predictions - y_xor) < 0.25, axis=1)
sums = X_xor @ relu_runs.weights[0] + relu_runs.biases[0][:, None, :]  # (100 seeds, 4 inputs, 2 units)
has_dead_unit = np.any(np.all(sums <= 0, axis=1), axis=1)
print(f"ReLU: {np.sum(~relu_ok)} failed runs, {np.sum(has_dead_unit & ~relu_ok)} of them with a dead hidden unit; "
      f"{np.sum(has_dead_unit & relu_ok)} successful runs with one")
assert (np.sum(~relu_ok), np.sum(has_dead_unit & ~relu_ok), np.sum(has_dead_unit & relu_ok)) == (85, 52, 0)

tanh_runs = study["2 tanh,\nXavier"]
tanh_ok = np.all(np.abs(tanh_runs.predictions - y_xor) < 0.25, axis=1)
stuck = tanh_runs.losses[-1][~tanh_ok]
print(f"tanh: {np.sum(~tanh_ok)} failed runs, final losses from {stuck.min():.3f} to {stuck.max():.3f} "
      f"(ln 2 / 2 = {np.log(2) / 2:.3f})")
assert np.sum(~tanh_ok) == 41 and round(stuck.min(), 3) == round(stuck.max(), 3) == 0.348

# %% [markdown]
# **What we measured, against a common claim.** Beginner tutorials often say that a plain 2-2-1 ReLU network
# learns XOR less than 1 time in 10, while tanh hidden units with a sigmoid output and Xavier initialisation
# almost always do. Here:
# - **2 ReLU units, small init: 15 of 100.** Rare, as claimed, though not quite below 1 in 10 with our
#   set-up (the exact rate depends on initial scale, learning rate and epochs). In 52 of the 85 failures a
#   hidden unit had died; no successful run had a dead unit.
# - **2 tanh units, Xavier: 59 of 100.** Much better than ReLU, but *not* "almost always": the other 41 runs
#   all stalled at a loss of 0.348, just above $\ln 2 / 2 \approx 0.347$, which is the loss when two points are
#   predicted perfectly and the other two sit at 0.5: a local minimum.
# - **4 tanh units, Xavier: 100 of 100.** This is where "almost always" holds. Two spare hidden units give
#   gradient descent more than one way down the hill.

# %% [markdown]
# So the claim holds for the activation (tanh far ahead of small-init ReLU), but in our runs the width mattered as
# much: the minimal 2-2-1 network is fragile whatever its activation. In practice networks are made larger than
# the smallest that could work, partly for exactly this reason.
#
# ## Summary
#
# - The chain rule splits the loss's sensitivity into local slopes; backpropagation multiplies them from the
#   loss backwards, so one backward pass gives the gradient of every weight.
# - By hand on the 2-2-1 network: $\partial L/\partial w_1 = (-0.9526)(0.2494)(-0.09035) = 0.02147$; the blame
#   $\partial L / \partial h_1$ is computed once and reused for $w_1$, $w_2$ and $b_1$.
# - A dense layer's backward pass: $dZ = dA \odot f'(Z)$, $dW = X^\top dZ$, $d\mathbf b = \sum dZ$,
#   $dX = dZ\,W^\top$. Each gradient has the shape of its parameter.
# - With a sigmoid output and cross-entropy (or softmax and cross-entropy) the output gradient is prediction
#   minus label; MSE's gradient vanishes when the output is confidently wrong.
# - Gradient checking compares a backward pass with central differences; it catches bugs and even says which
#   layer holds them.
# - Training from random starts can fail: 2-2-1 XOR networks often do; 4 tanh units did not fail once in 100.

# %% [markdown]
# **Common pitfalls**
# - Forgetting the activation's derivative, or passing back `dA` instead of `dZ`: the code runs, training is poor.
#   Gradient-check every new backward pass.
# - The sign of $\partial L/\partial \hat y$: for $(\hat y - y)^2$ it is $2(\hat y - y)$, negative when the
#   prediction is below the label.
# - Gradients accumulate in `.grad`: call `zero_grad()` before every backward pass (or accumulate on purpose).
# - Shapes: a `(n, 1)` output minus `(n,)` labels broadcasts to an `(n, n)` matrix without any error. Reshape the
#   labels to `(n, 1)`.
# - Starting with all weights equal: the hidden neurons stay identical twins. Start from random weights.
# - MSE with a sigmoid output: it learns slowly when the output saturates. Use cross-entropy.

# %% [markdown]
# **Key terms**
#
# | English | 简体中文 | 繁體中文 |
# |---|---|---|
# | backpropagation | 反向传播 | 反向傳播 |
# | chain rule | 链式法则 | 鏈式法則 |
# | gradient | 梯度 | 梯度 |
# | partial derivative | 偏导数 | 偏導數 |
# | loss function | 损失函数 | 損失函數 |
# | mean squared error | 均方误差 | 均方誤差 |
# | (binary) cross-entropy | (二元)交叉熵 | (二元)交叉熵 |
# | one-hot encoding | 独热编码 | 獨熱編碼 |
# | stochastic gradient descent | 随机梯度下降 | 隨機梯度下降 |
# | epoch | 轮次 / 周期 | 輪次 / 週期 |
# | gradient checking | 梯度检验 | 梯度檢驗 |
# | weight initialization | 权重初始化 | 權重初始化 |
# | local minimum | 局部极小值 | 局部極小值 |
# | dead ReLU | 死亡 ReLU | 死亡 ReLU |
#
# **Next:** [Chapter 5 · Computation graphs](05_computation_graph.ipynb): instead of writing every backward pass
# by hand, record the forward computation as a graph and let the computer apply the chain rule for you.
