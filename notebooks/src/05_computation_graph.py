# %% [markdown]
# # Chapter 5 · Computation graphs and automatic differentiation
#
# {{BADGES}}
#
# In chapter 4 you derived every gradient by hand: one formula per weight, written out with the chain rule.
# That works for one network and breaks the moment you change it. In this chapter you write a small engine that
# does it for *any* expression: every number remembers the operation that made it, so the computation is
# recorded as a **graph** while it runs, and one call, `backward()`, walks that graph in reverse and fills in
# every gradient. You build it line by line, check it against numerical gradients, draw its graphs, train a
# small network with it, and then swap single numbers for whole arrays: fast enough for chapter 6.
#
# **You will learn**
# - how recording each operation as it runs turns a formula into a computation graph;
# - reverse-mode automatic differentiation: each operation's *local* derivative, multiplied backwards along the graph;
# - why a value used twice must *add up* its gradients, and why training loops call `zero_grad()`;
# - how to check any gradient engine against numerical gradients;
# - how a neuron, a layer and a network are built from these numbers and trained;
# - how the same engine works on whole NumPy arrays, and how much faster that is.
#
# **Time:** about 75 minutes. **You need:** chapter 4 (the chain rule) and Python classes (`__init__`, `__add__`).
#
# Run the cells from top to bottom (in Jupyter: *Run > Run All Cells*). Every run shows the same numbers.

# %% [setup]

# %%
import math
import time

import numpy as np

from nbhelpers.exercises import ____
from nbhelpers.exercises import ch05 as ex
from nbhelpers.plotting import new_figure, plot_surface, scatter_classes
from nbhelpers.plotting.graph import draw_graph

# %% [markdown]
# ## 1. Why "automatic"?
#
# **Intuition.** Think of a cash-register receipt. While you shop, the till writes down every item and every
# sum as it happens. Afterwards, anyone can read the receipt backwards and say exactly how much each item
# contributed to the total. A computation graph is that receipt for a calculation: record each operation as it
# runs, and the backward pass, which assigns each input its share of the blame for the output, can be read off
# the record for any formula at all.
#
# **Math.** Take $L = (a \cdot b + c) \cdot d$. Name the intermediate results: $e = a b$, $g = e + c$,
# $L = g d$. The chain rule says a gradient is a product of *local* derivatives along the way:
#
# $$ \frac{\partial L}{\partial a} = \frac{\partial L}{\partial g}\,\frac{\partial g}{\partial e}\,
#    \frac{\partial e}{\partial a} = d \cdot 1 \cdot b. $$
#
# Each factor only needs to know about one operation: $L = g d$ knows that $\partial L / \partial g = d$;
# $g = e + c$ knows that $\partial g / \partial e = 1$; $e = a b$ knows that $\partial e / \partial a = b$.
# No operation needs to know the whole formula, and that is the trick.
#
# **Code.** The chapter-4 way, by hand, for $a = 1.5$, $b = -2$, $c = 4$, $d = -3$:

# %%
a, b, c, d = 1.5, -2.0, 4.0, -3.0
e = a * b  # -3
g = e + c  # 1
L = g * d  # -3
# backwards, one local derivative at a time
dL_dg = d
dL_dd = g
dL_de = dL_dg * 1.0  # g = e + c
dL_dc = dL_dg * 1.0
dL_da = dL_de * b  # e = a * b
dL_db = dL_de * a
print(f"L = {L}")
print(f"dL/da = {dL_da}, dL/db = {dL_db}, dL/dc = {dL_dc}, dL/dd = {dL_dd}")

# %% [markdown]
# Correct, and tedious: every new formula needs these lines rewritten. Let us make the numbers write them.
#
# ## 2. A number that remembers where it came from
#
# **Intuition.** Wrap each number in a small object, a `Value`. When two Values are added or multiplied, the
# result is a new Value that remembers three things: which Values it came from (`_prev`), the name of the
# operation (`_op`), and the **local derivatives**, the derivative of the result with respect to each input,
# evaluated right now (`_local`). The forward computation and its local derivatives sit on the same line.
#
# **Math.** For $s = x + y$: $\partial s / \partial x = 1$ and $\partial s / \partial y = 1$.
# For $p = x y$: $\partial p / \partial x = y$ and $\partial p / \partial y = x$.
#
# **Code.** Here is the first version: addition and multiplication only.

# %%
class Value:
    """One number in a computation graph."""

    def __init__(self, data, _prev=(), _local=(), _op="", label=""):
        self.data = float(data)
        self.grad = 0.0  # dOutput/dThis, filled in by the backward pass
        self._prev = _prev  # the Values this one was computed from
        self._local = _local  # d(this)/d(each input), one number per input
        self._op = _op  # the operation that made it
        self.label = label

    def __repr__(self):
        return f"Value({self.label + ': ' if self.label else ''}data={self.data:.4g}, grad={self.grad:.4g})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)  # allow v + 2
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")  # d(x+y)/dx = 1, d(x+y)/dy = 1

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")  # d(xy)/dx = y, d/dy = x


a = Value(1.5, label="a")
b = Value(-2.0, label="b")
c = Value(4.0, label="c")
d = Value(-3.0, label="d")
e = a * b
e.label = "e"
g = e + c
g.label = "g"
L = g * d
L.label = "L"
print(L)
print("L was made by", repr(L._op), "from", L._prev)
print("its local derivatives: dL/dg =", L._local[0], " dL/dd =", L._local[1])

# %% [markdown]
# The local derivatives are stored as plain numbers, computed during the forward pass, right beside the result.
#
# **Picture.** Following `_prev` from `L` back to the inputs gives the whole graph. Here it is drawn left to right:
# boxes are Values, circles are the operations that made them. (Drawn with matplotlib alone by
# `nbhelpers.plotting.graph.draw_graph`, so it works anywhere, no Graphviz needed.)

# %%
draw_graph(L, show_grad=False, title="The forward pass recorded as a graph: inputs on the left, L on the right")

# %% [markdown]
# ## 3. Backward: the chain rule, one node at a time
#
# **Intuition.** Walk the receipt backwards. Start at the output with gradient 1 ($\partial L/\partial L = 1$).
# Each node hands its gradient to its inputs, each multiplied by that input's local derivative. A node may only
# hand on its gradient once it has received everything it is going to get, so we visit nodes in reverse
# **topological order**: every node after all the nodes that use it.
#
# **Math.** For an input $x$ of a node $y$:
#
# $$ \frac{\partial L}{\partial x} \mathrel{+}= \frac{\partial L}{\partial y} \cdot \frac{\partial y}{\partial x}
#    \quad\text{(upstream gradient} \times \text{local derivative).} $$
#
# **Code.** First the order. A *depth-first search* visits a node's inputs before placing the node itself: to
# place `L`, first place everything `L` was made from, and so on down to the leaves. Written as a function that
# calls itself (recursion), it is four lines:

# %%
def topological_order(root):
    """Every node that root depends on, inputs before the results made from them (root last)."""
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for parent in node._prev:
                visit(parent)  # first everything this node was made from...
            order.append(node)  # ...then the node itself

    visit(root)
    return order


print([v.label for v in topological_order(L)])

# %% [markdown]
# Now a first attempt at `backward`: visit the nodes from the output back, and set each input's gradient to
# (local derivative) x (this node's gradient).

# %%
def backward_first_try(root):
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node._prev, node._local):
            parent.grad = local * node.grad  # careful: this overwrites


backward_first_try(L)
print(f"dL/da = {a.grad}, dL/db = {b.grad}, dL/dc = {c.grad}, dL/dd = {d.grad}")
assert (a.grad, b.grad, c.grad, d.grad) == (dL_da, dL_db, dL_dc, dL_dd)  # the same as by hand in section 1

# %% [markdown]
# The same four numbers as by hand. But this first try has a bug that this example does not show.
#
# ### The classic bug: a value used twice
#
# **Check.** Take $b = a + a$ with $a = 3$. Before running anything: what should $\partial b / \partial a$ be?

# %%
answer = ____  # a number
ex.predict_reuse.check(answer)

# %% [markdown]
# Now ask the first try:

# %%
a = Value(3.0, label="a")
b = a + a
backward_first_try(b)
eps = 1e-6
numerical = ((3.0 + eps) + (3.0 + eps) - ((3.0 - eps) + (3.0 - eps))) / (2 * eps)  # nudge a both ways, watch b
print(f"first try says db/da = {a.grad}; nudging a says {numerical:.6f}")
assert a.grad == 1.0 and round(numerical, 6) == 2.0

# %% [markdown]
# The first try says 1; the truth is 2. The node `b` has `a` in its inputs *twice*; the first visit set
# `a.grad = 1`, and the second visit overwrote it with 1 again. Every use of a value contributes its own share,
# and the shares must **add up**. The fix is one character, `=` becomes `+=`, with every gradient starting from 0:

# %%
def backward_accumulating(root):
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node._prev, node._local):
            parent.grad += local * node.grad  # add this use's share


a = Value(3.0, label="a")
b = a + a
b.label = "b"
backward_accumulating(b)
print(f"db/da = {a.grad}")
assert a.grad == 2.0

# %% [markdown]
# The same thing happens whenever a value feeds two places, as every weight of a network does (it is used for every
# sample of a batch). The drawing shows both arrows from `a` into the `+`:

# %%
draw_graph(b, title="b = a + a: a reaches b along two arrows, so its gradient is 1 + 1 = 2")

# %% [markdown]
# **Check.** Compute the gradients of this small graph by hand, on paper, going backwards from $L$. Note that $x$
# is used twice.
#
# $$ x = 3,\; y = -2,\; w = -1.5; \qquad u = x y, \qquad v = u + x, \qquad L = v\,w. $$

# %%
dL_dx = ____
dL_dy = ____
dL_dw = ____
ex.by_hand.check((dL_dx, dL_dy, dL_dw))

# %% [markdown]
# Then let the engine do the same and compare with your numbers:

# %%
x, y, w = Value(3.0, label="x"), Value(-2.0, label="y"), Value(-1.5, label="w")
u = x * y
v = u + x
L = v * w
backward_accumulating(L)
print(f"engine: dL/dx = {x.grad}, dL/dy = {y.grad}, dL/dw = {w.grad}")

# %% [markdown]
# ### Calling backward() twice
#
# **Check.** A puzzle. This loop runs the backward pass of the same loss twice and prints the gradient of `w`
# (using the course package's engine, `nbhelpers.engine.Value`). Run it: the gradient doubles.

# %%
from nbhelpers import engine

w = engine.Value(0.5, label="w")
loss = (w * 2.0 - 3.0) ** 2  # dloss/dw = 4 (2w - 3) = -8 at w = 0.5
for call in (1, 2):
    loss.backward()
    print(f"after backward() call {call}: w.grad = {w.grad}")

# %% [markdown]
# Why? Pick one:
#
# - **a** the engine has a bug;
# - **b** `backward()` *adds* into the gradient of `w`, so the second call adds the same amount again;
# - **c** the loss doubled between the two calls;
# - **d** `backward()` may only be called once on a graph, and the second call is undefined.

# %%
answer = ____  # "a", "b", "c" or "d"
ex.why_double.check(answer)

# %% [markdown]
# **What happens, and why `zero_grad()` exists.** The Values you create yourself, inputs and weights, are the
# **leaves** of the graph. `backward()` *adds* into their gradients, exactly as PyTorch does. That is a feature:
# it lets you run the backward pass of several losses, or of several small batches, and get the sum of their
# gradients. (PyTorch also frees a graph after its backward pass unless you pass `retain_graph=True`; our engine
# always keeps it, so a second call simply adds again.) The price is that a training loop must reset the leaves
# before each backward pass, with `model.zero_grad()` (or `w.grad = 0.0` for a single value); forgetting it is one
# of the most common bugs in training code.

# %% [markdown]
# The intermediate nodes are different: their gradients belong to one backward pass. A careless engine (our
# `backward_accumulating`!) lets them pile up too, and then a second call does worse than doubling the leaves'
# gradients. A worked example: $w = 1$ (a leaf), $h = 3w = 3$, $L = h \cdot h = 9$.
#
# | gradient | after pass 1 | careless pass 2 | what pass 2 should give |
# |---|---|---|---|
# | $\partial L/\partial L$ | 1 | 1 (set, not added) | 1 |
# | $\partial L/\partial h$ | $2h \cdot 1 = 6$ | $6 + 6 = 12$ | 6 (this pass only) |
# | $\partial L/\partial w$ | $3 \cdot 6 = 18$ | $18 + 3 \cdot 12 = 54$ | $18 + 18 = 36$ (a leaf accumulates) |
#
# The careless pass 2 starts $h$ from its old 6 instead of 0, so it passes on 12, and $w$ ends at 54: three times
# the gradient, not two. The cell runs it:

# %%
def chain(w):
    h = w * 3.0
    h.label = "h"
    return h * h  # L = 9 w^2, dL/dw = 18 w


w = Value(1.0, label="w")
L = chain(w)
h = L._prev[0]  # the intermediate node
backward_accumulating(L)
print(f"careless engine, pass 1: L.grad = {L.grad}, h.grad = {h.grad}, w.grad = {w.grad}")
backward_accumulating(L)
print(f"careless engine, pass 2: L.grad = {L.grad}, h.grad = {h.grad}, w.grad = {w.grad}  (not 36!)")
assert (h.grad, w.grad) == (12.0, 54.0)

# %% [markdown]
# The fix: at the start of every backward pass, reset the intermediate nodes (those with inputs, `_prev`) to 0 and
# leave the leaves alone. Then the output's own gradient is *added*: 1 for an intermediate output, reset a moment
# before; and if you call `backward()` on a leaf itself, $\partial w / \partial w = 1$ piles up like any leaf's
# gradient (the second example below; PyTorch does the same). This is our final `backward`:

# %%
def backward(root):
    order = topological_order(root)
    for node in order:
        if node._prev:  # an intermediate result: its gradient belongs to this pass only
            node.grad = 0.0
    root.grad += 1.0  # d(root)/d(root) = 1, added (a leaf as root accumulates too)
    for node in reversed(order):  # from the output back to the inputs
        for parent, local in zip(node._prev, node._local):
            parent.grad += local * node.grad  # upstream gradient x local derivative, summed over uses


w = Value(1.0, label="w")
L = chain(w)
h = L._prev[0]
for call in (1, 2):
    backward(L)
    print(f"our engine, pass {call}: L.grad = {L.grad}, h.grad = {h.grad}, w.grad = {w.grad}")
assert (L.grad, h.grad, w.grad) == (1.0, 6.0, 36.0)  # exactly twice 18 for the leaf, as in PyTorch
w.grad = 0.0  # what zero_grad() does for every parameter
backward(L)
assert w.grad == 18.0

leaf = Value(5.0, label="v")  # a leaf as the root: nothing to reset, so dv/dv = 1 accumulates
backward(leaf)
backward(leaf)
print(f"backward() twice on a leaf v: v.grad = {leaf.grad}")
assert leaf.grad == 2.0

# %% [markdown]
# **Check.** This training loop never resets the gradient, so each step moves `w` by the sum of all gradients so far.
# Fix it (one line) so it does plain gradient descent, then check it.

# %%
def train(w0, steps, lr):
    w = engine.Value(w0)
    for _ in range(steps):
        loss = (w * 3.0 - 6.0) ** 2
        loss.backward()
        w.data -= lr * w.grad
    return w.data


ex.fix_loop.check(train)

# %% [markdown]
# ## 4. Drawing the graph, before and after backward()
#
# **Picture.** Back to $L = (a b + c) d$. Top: the forward pass alone, the values as they were computed. Bottom:
# after `backward(L)`, each box also shows its gradient $\partial L / \partial(\text{that value})$.

# %%
a, b, c, d = Value(1.5, label="a"), Value(-2.0, label="b"), Value(4.0, label="c"), Value(-3.0, label="d")
e = a * b
e.label = "e"
g = e + c
g.label = "g"
L = g * d
L.label = "L"

fig, axes = new_figure(2, 1, figsize=(10, 6.4))
draw_graph(L, ax=axes[0], show_grad=False, title="Forward: the values flow left to right")
backward(L)
draw_graph(L, ax=axes[1], title="After backward(L): gradients flow right to left (dL/da = 6 = b·d)")
fig

# %% [markdown]
# Read the bottom graph from right to left: `L` has gradient 1; `g` gets $d = -3$; `e` and `c` get $-3 \cdot 1$;
# `a` gets $-3 \cdot b = 6$ and `b` gets $-3 \cdot a = -4.5$. Each arrow multiplies by one local derivative.


# %% [markdown]
# ## 5. More operations
#
# **Intuition.** Every operation follows the same recipe: compute the result, and beside it write its local
# derivative. Then the backward pass already knows what to do with it.
#
# **Math.** The local derivatives we need:
#
# | operation | forward | local derivative |
# |---|---|---|
# | $x - y$ | $x - y$ | $1$ and $-1$ |
# | $x / y$ | $x / y$ | $1/y$ and $-x/y^2$ |
# | $x^n$ (a number $n$) | $x^n$ | $n x^{n-1}$ (and $0$ when $n = 0$: $x^0 = 1$ is flat) |
# | $e^x$ | $e^x$ | $e^x$ (the forward value itself) |
# | $\ln x$ | $\ln x$ | $1/x$ |
# | $\tanh x$ | $t = \tanh x$ | $1 - t^2$ |
# | $\sigma(x)$ | $s = 1/(1 + e^{-x})$ | $s(1 - s)$ |
# | $\mathrm{relu}(x)$ | $\max(0, x)$ | $1$ if $x > 0$, else $0$ |
#
# **Code.** Now the whole class in one place: section 2's two operations, the eight new ones, and `backward` as a
# method (`L.backward()` from here on), each operation's forward value right beside its local derivative.
#
# The `__r...__` methods handle a plain number on the *left*. For `2 + v`, Python first asks the number 2 to add
# a Value; it cannot, so Python calls the *reflected* method `v.__radd__(2)` instead, which we answer with `v + 2`.

# %%
def as_value(x):
    return x if isinstance(x, Value) else Value(x)  # lets a plain number take part: v + 2


class Value:
    """One number in a computation graph: its data, its gradient, and how it was made."""

    def __init__(self, data, _prev=(), _local=(), _op="", label=""):
        self.data = float(data)
        self.grad = 0.0  # dOutput/dThis, filled in by the backward pass
        self._prev = _prev  # the Values this one was computed from
        self._local = _local  # d(this)/d(each input), one number per input
        self._op = _op  # the operation that made it
        self.label = label

    def __repr__(self):
        return f"Value({self.label + ': ' if self.label else ''}data={self.data:.4g}, grad={self.grad:.4g})"

    # each operation: the forward value, its inputs, and d(result)/d(each input)
    def __add__(self, other):
        other = as_value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        other = as_value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __sub__(self, other):
        other = as_value(other)
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __truediv__(self, other):
        other = as_value(other)
        x, y = self.data, other.data
        return Value(x / y, (self, other), (1.0 / y, -x / y**2), "/")

    def __pow__(self, n):  # n is a plain number
        local = n * self.data ** (n - 1) if n != 0 else 0.0  # x^0 = 1 is flat, even at x = 0
        return Value(self.data**n, (self,), (local,), f"**{n}")

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")

    def log(self):
        return Value(math.log(self.data), (self,), (1.0 / self.data,), "log")

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self):
        x = self.data  # two forms of the same formula, so e^(...) never gets a large positive number
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self):
        positive = self.data > 0
        return Value(self.data if positive else 0.0, (self,), (1.0 if positive else 0.0,), "relu")

    # a plain number on the left: 2 + v, 2 * v, 2 - v, 2 / v; and minus v
    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return as_value(other) - self

    def __rtruediv__(self, other):
        return as_value(other) / self

    def __neg__(self):
        return self * -1.0

    def backward(self):  # section 3's final backward, now a method
        order = topological_order(self)
        for node in order:
            if node._prev:  # an intermediate result: its gradient belongs to this pass only
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):
            for parent, local in zip(node._prev, node._local):
                parent.grad += local * node.grad


v = Value(2.0)
print("2 + v =", 2 + v, "  2 / v =", 2 / v, "  -v =", -v)
print("edge cases: 0.0 ** 0 =", Value(0.0) ** 0, "  sigmoid(-800) =", Value(-800.0).sigmoid())
assert (2 + v).data == 4.0 and (2 / v).data == 1.0 and (Value(0.0) ** 0).data == 1.0
assert Value(-800.0).sigmoid().data == 0.0 and Value(800.0).sigmoid().data == 1.0

# %% [markdown]
# A neuron with two inputs, built from these pieces, and its graph after `backward()`:

# %%
x1, w1 = Value(1.0, label="x1"), Value(-0.5, label="w1")
x2, w2 = Value(2.0, label="x2"), Value(0.75, label="w2")
bias = Value(0.2, label="b")
z = x1 * w1 + x2 * w2 + bias
z.label = "z"
y = z.tanh()
y.label = "y"
y.backward()
print(f"y = {y.data:.4f};  dy/dw1 = {w1.grad:.4f}  dy/dw2 = {w2.grad:.4f}  dy/db = {bias.grad:.4f}")
assert math.isclose(w1.grad, x1.data * (1 - y.data**2)) and math.isclose(bias.grad, 1 - y.data**2)
draw_graph(y, title="One neuron: dy/dw1 = x1 · (1 - y²), so a large input or a steep tanh means a large gradient")

# %% [markdown]
# **Touch.** The same neuron with sliders: each move rebuilds the graph and runs `backward()`. Things to try: make
# $|z|$ large (the tanh saturates and every gradient shrinks towards 0: chapter 2's vanishing gradient); set
# $x_1 = 0$ (then $w_1$ cannot change $y$, so its gradient is 0); notice that $\partial y/\partial w_1$ is always
# $x_1$ times $\partial y / \partial z$.

# %%
from nbhelpers.widgets.graph import NeuronGraphPanel

NeuronGraphPanel(x1=1.0, w1=-0.5, x2=2.0, w2=0.75, b=0.2)

# %% [markdown]
# **Check.** Add an operation yourself: $\sin$. Write its forward value and its local derivative, in the same shape
# as `tanh` above. The check calls your function on a few Values and compares the local derivative with a
# numerical one.

# %%
def sin(self):
    return ____  # a new Value: its data, its input (self,), its local derivative, and the name "sin"


ex.add_operation.check(sin)

# %% [markdown]
# ## 6. Is it right? Checking against numerical gradients
#
# **Intuition.** A gradient says how much the output moves when you nudge an input. So nudge it, and measure.
#
# **Math.** The central difference with a small nudge $\varepsilon$, accurate to about $\varepsilon^2$:
#
# $$ \frac{\partial f}{\partial x_i} \approx \frac{f(x_i + \varepsilon) - f(x_i - \varepsilon)}{2\varepsilon}. $$
#
# **Code.** A random-expression generator that uses every operation (guarding against the inputs where an
# operation is undefined: log of a negative number, division by zero), and a numerical gradient for comparison:

# %%
def random_expression(xs, seed, n_ops=12):
    """A random formula of the inputs xs (the same seed always gives the same formula)."""
    pick = np.random.default_rng(seed)
    pool = list(xs)
    for _ in range(n_ops):
        op = pick.choice(["+", "-", "*", "/", "**", "exp", "log", "tanh", "sigmoid", "relu"])
        p = pool[pick.integers(len(pool))]
        q = pool[pick.integers(len(pool))]
        if op == "+":
            result = p + q
        elif op == "-":
            result = p - q
        elif op == "*":
            result = p * q
        elif op == "/":
            result = p / (q * q + 1.0)  # the denominator is at least 1
        elif op == "**":
            result = p ** int(pick.integers(2, 4))
        elif op == "exp":
            result = p.tanh().exp()  # tanh first keeps exp from overflowing
        elif op == "log":
            result = (p * p + 0.5).log()  # always positive
        else:
            result = getattr(p, op)()
        pool.append(result)
    return sum(pool[len(xs):], pool[0])  # the output depends on every step


def numerical_gradient(f, xs, eps=1e-6):
    """Central differences: one pair of forward passes per input."""
    grads = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += eps
        down[i] -= eps
        grads.append((f(up) - f(down)) / (2 * eps))
    return np.array(grads)


worst = 0.0
for seed in range(20):
    numbers = rng.uniform(-2, 2, size=3).tolist()
    inputs = [Value(v) for v in numbers]
    out = random_expression(inputs, seed)
    out.backward()
    ours = np.array([v.grad for v in inputs])
    nudged = numerical_gradient(lambda vs: random_expression([Value(v) for v in vs], seed).data, numbers)
    worst = max(worst, np.max(np.abs(ours - nudged) / (1 + np.abs(nudged))))
print(f"20 random expressions: largest relative difference from the numerical gradient = {worst:.1e}")
assert worst < 1e-8  # quoted below

# %% [markdown]
# Twenty random formulas, every operation used, and the largest relative difference between the engine and the
# measured slopes is below $10^{-8}$: they agree to at least 8 significant digits. The small remainder is the
# numerical gradient's own error (a nudge of $\varepsilon = 10^{-6}$ and the rounding of 64-bit floats), not the engine's.
#
# The course package holds the tested version of this engine, `nbhelpers.engine.Value`, with the same
# operations plus clear error messages (try `engine.Value("a")`), and the chapters after this one import it. On the
# same random formulas the two engines give identical gradients:

# %%
for seed in range(20):
    numbers = rng.uniform(-2, 2, size=3).tolist()
    mine, package = [Value(v) for v in numbers], [engine.Value(v) for v in numbers]
    out_mine, out_package = random_expression(mine, seed), random_expression(package, seed)
    out_mine.backward()
    out_package.backward()
    assert math.isclose(out_mine.data, out_package.data, rel_tol=1e-12)
    assert np.allclose([v.grad for v in mine], [v.grad for v in package], rtol=1e-10, atol=1e-12)
print("our Value and nbhelpers.engine.Value agree on 20 random expressions")

try:
    engine.Value("a")
except TypeError as err:
    print("TypeError:", err)

# %% [markdown]
# *Optional.* If PyTorch happens to be installed, compare with its autograd too. (It is not needed anywhere in
# the course; without it this cell only prints a note.)

# %%
try:
    import torch
except ImportError:
    torch = None

# drawn with or without torch, so every later cell sees the same random numbers either way
inputs = [rng.uniform(-2, 2, size=3).tolist() for _ in range(5)]
if torch is None:
    print("PyTorch is not installed here, so the optional comparison with torch.autograd is skipped. "
          "Nothing else in the course needs it.")
else:
    torch.set_num_threads(1)  # single numbers: one thread is plenty
    for seed, numbers in enumerate(inputs):
        ts = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in numbers]
        random_expression(ts, seed).backward()
        mine = [Value(v) for v in numbers]
        random_expression(mine, seed).backward()
        assert np.allclose([t.grad.item() for t in ts], [v.grad for v in mine], rtol=1e-9, atol=1e-12)
    print(f"torch {torch.__version__}: torch.autograd and our Value agree on 5 random expressions")

# %% [markdown]
# ### Long chains: a stack instead of recursion
#
# Our `topological_order` calls itself once per node along a path. Python allows about 1000 nested calls, so a
# graph with a long chain, say a value updated 5,000 times in a loop, breaks it:

# %%
import sys

start_value = Value(1.0)
long_chain = start_value
for _ in range(5000):
    long_chain = long_chain * 1.0001 + 0.0
try:
    topological_order(long_chain)
except RecursionError:
    print(f"RecursionError: the longest path has {2 * 5000 + 1} nodes, and Python allows "
          f"{sys.getrecursionlimit()} nested calls")

# %% [markdown]
# The fix keeps the same search and does the bookkeeping itself: a list used as a **stack** holds the nodes
# whose inputs are still being visited, each with an iterator over its remaining inputs. Take the top node; if it
# has an input not placed yet, push that input and go there first; once all its inputs are placed, pop the node
# and place it. That is exactly what the recursive calls did, without nesting any calls.

# %%
def topological_order_recursive(root):  # the first version, kept to compare
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for parent in node._prev:
                visit(parent)
            order.append(node)

    visit(root)
    return order


def topological_order(root):
    """Every node that root depends on, inputs before the results made from them (root last); no recursion."""
    order, seen = [], {id(root)}
    stack = [(root, iter(root._prev))]
    while stack:
        node, inputs = stack[-1]
        for parent in inputs:
            if id(parent) not in seen:  # an input not placed yet: go there first
                seen.add(id(parent))
                stack.append((parent, iter(parent._prev)))
                break
        else:  # all inputs placed: now this node can go
            stack.pop()
            order.append(node)
    return order


small = random_expression([Value(0.5), Value(-1.0), Value(2.0)], seed=0)
assert topological_order(small) == topological_order_recursive(small)  # the same order on a small graph
long_chain.backward()  # Value.backward uses the new topological_order: the long chain works now
print(f"{len(topological_order(long_chain))} nodes in order; d(end)/d(start) = {start_value.grad:.4f} = 1.0001^5000")
assert math.isclose(start_value.grad, 1.0001**5000)

# %% [markdown]
# ## 7. A neuron, a layer and a network made of Values
#
# **Intuition.** A neuron is a weighted sum plus a bias through an activation (chapter 1). Build it from Values and
# every weight gets its gradient for free. A layer is a list of neurons; a network (a multi-layer perceptron, MLP)
# is a list of layers. Each part can list its `parameters()` so a training loop can update and reset them.
#
# **Code.**

# %%
class Neuron:
    def __init__(self, n_inputs, activation, rng):
        scale = math.sqrt((2.0 if activation == "relu" else 1.0) / n_inputs)  # keeps sums from growing
        self.w = [Value(float(v)) for v in rng.normal(0.0, scale, size=n_inputs)]
        self.b = Value(0.0)
        self.activation = activation

    def __call__(self, x):
        z = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)  # w·x + b
        return z if self.activation == "linear" else getattr(z, self.activation)()

    def parameters(self):
        return self.w + [self.b]


class Layer:
    def __init__(self, n_inputs, n_outputs, activation, rng):
        self.neurons = [Neuron(n_inputs, activation, rng) for _ in range(n_outputs)]

    def __call__(self, x):
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    def __init__(self, n_inputs, layer_sizes, activation="relu", seed=0):
        rng = np.random.default_rng(seed)
        sizes = [n_inputs] + list(layer_sizes)
        self.layers = [Layer(sizes[i], sizes[i + 1], activation if i < len(layer_sizes) - 1 else "linear", rng)
                       for i in range(len(layer_sizes))]  # the last layer is linear: a raw score

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

# %% [markdown]
# The package's tested version, `nbhelpers.scalar_nn.MLP`, is built the same way but for one thing: it records each
# neuron's weighted sum $b + \sum_i w_i x_i$ as *one* node with all $2n + 1$ inputs and their local derivatives,
# because a graph of fewer Python objects is faster to build, to walk and for Python's memory manager to check. With
# the same seed it starts from the same weights, computes the same output and the same gradients:

# %%
from nbhelpers.scalar_nn import MLP as PackageMLP

ours, theirs = MLP(2, [4, 1], activation="tanh", seed=0), PackageMLP(2, [4, 1], activation="tanh", seed=0)
assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
sample = [0.5, -1.0]
out_ours, out_theirs = ours(sample), theirs(sample)
out_ours.backward()
out_theirs.backward()
print(f"{len(ours.parameters())} parameters; output {out_ours.data:.6f} (ours) and {out_theirs.data:.6f} (package)")
assert math.isclose(out_ours.data, out_theirs.data, rel_tol=1e-12)
assert np.allclose([p.grad for p in ours.parameters()], [p.grad for p in theirs.parameters()], rtol=1e-12)

# %% [markdown]
# **Train it.** Chapter 1 set XOR's weights by hand. Now the network finds them itself: 2 inputs, 4 tanh hidden
# neurons, 1 output, squared error on the four XOR points, plain gradient descent. The loop is the one every
# later chapter uses: forward, `zero_grad()`, `backward()`, step.

# %%
from nbhelpers.datasets import logic_gate

X_xor, y_xor = logic_gate("xor")
model = MLP(2, [4, 1], activation="tanh", seed=0)
learning_rate = 0.2
losses = []
start = time.perf_counter()
for step in range(200):
    predictions = [model(x) for x in X_xor.tolist()]
    loss = sum((p - t) ** 2 for p, t in zip(predictions, y_xor.tolist())) / len(y_xor)  # mean squared error
    model.zero_grad()  # forget the previous step's gradients
    loss.backward()  # every parameter's gradient, automatically
    for p in model.parameters():
        p.data -= learning_rate * p.grad  # a step downhill
    losses.append(loss.data)
seconds = time.perf_counter() - start
outputs = np.array([model(x).data for x in X_xor.tolist()])
print(f"loss {losses[0]:.3f} -> {losses[-1]:.4f} in 200 steps ({seconds:.2f} s on this machine)")
print("outputs for 00, 01, 10, 11:", np.round(outputs, 3), " targets:", y_xor)
assert losses[0] > 0.5 and losses[-1] < 0.01 and np.array_equal(outputs > 0.5, y_xor > 0.5)

# %% [markdown]
# The loss falls from above 0.5 to below 0.01, and all four XOR outputs land on the right side of 0.5.

# %%
fig, axes = new_figure(1, 2, figsize=(10, 3.8))
axes[0].plot(losses, lw=2)
axes[0].set_yscale("log")
axes[0].set_xlabel("training step")
axes[0].set_ylabel("mean squared error (log scale)")
axes[0].set_title("The loss falls as backward() supplies every gradient")
plot_surface(axes[1], lambda P: np.array([model(p).data for p in P.tolist()]), (-0.5, 1.5), (-0.5, 1.5),
             resolution=30, colorbar=True, label="network output")
scatter_classes(axes[1], X_xor, y_xor, size=70, legend=False)
axes[1].set_xlabel("$x_1$")
axes[1].set_ylabel("$x_2$")
axes[1].set_title("The trained network's XOR: a band, as in chapter 1")
fig

# %% [markdown]
# ## 8. From scalars to arrays
#
# **Intuition.** The scalar engine makes one Python object per number per operation. A 2-16-16-1 network on a
# batch of 32 points builds a graph of more than 20,000 nodes for *every* training step (counted below), and
# Python is slow at making objects. The fix keeps the idea and changes the unit: let one node hold a whole NumPy
# array, so a layer's forward pass is one node, `X @ W + b`, instead of hundreds.
#
# **Math.** Two rules are new. For a matrix product $C = A B$ with upstream gradient $G = \partial L/\partial C$
# (same shape as $C$):
#
# $$ \frac{\partial L}{\partial A} = G\,B^{\top}, \qquad \frac{\partial L}{\partial B} = A^{\top} G. $$
#
# (Check the shapes: $A$ is $(n, k)$, $B$ is $(k, m)$, $G$ is $(n, m)$, so $G B^\top$ is $(n, k)$ like $A$.) And
# **broadcasting**: in $XW + \mathbf{b}$ NumPy adds the bias row $\mathbf{b}$ to each of the $n$ rows. The bias
# was *used* $n$ times, so, exactly like $a + a$, its gradient is the **sum** of the $n$ rows of $G$: the gradient
# is summed back down to the input's shape.

# %% [markdown]
# **Where $G B^\top$ comes from, on 2x2 matrices.** Write out $C = AB$ entry by entry:
#
# $$ C_{11} = A_{11} B_{11} + A_{12} B_{21}, \quad C_{12} = A_{11} B_{12} + A_{12} B_{22}, \quad
#    C_{21} = A_{21} B_{11} + A_{22} B_{21}, \quad C_{22} = A_{21} B_{12} + A_{22} B_{22}. $$
#
# $A_{11}$ appears in $C_{11}$ (times $B_{11}$) and in $C_{12}$ (times $B_{12}$), so, adding its two uses,
# $\partial L / \partial A_{11} = G_{11} B_{11} + G_{12} B_{12}$: row 1 of $G$ times row 1 of $B$, which is entry
# $(1, 1)$ of $G B^\top$. Every other entry works the same way, and $A^\top G$ follows likewise for $B$. With
# numbers, taking $L = \sum_{ij} G_{ij} C_{ij}$ so that $\partial L / \partial C = G$:

# %%
A2, B2 = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[0.5, -2.0], [1.0, 4.0]])
G2 = np.array([[1.0, -1.0], [2.0, 0.5]])  # the upstream gradient dL/dC
L2 = lambda A, B: np.sum(G2 * (A @ B))
by_hand = G2[0, 0] * B2[0, 0] + G2[0, 1] * B2[0, 1]  # the two uses of A11
nudged = np.zeros((2, 2))
for i, j in np.ndindex(2, 2):
    step = np.zeros((2, 2))
    step[i, j] = 1e-6
    nudged[i, j] = (L2(A2 + step, B2) - L2(A2 - step, B2)) / 2e-6
print(f"dL/dA11 by hand: {G2[0, 0]} * {B2[0, 0]} + {G2[0, 1]} * {B2[0, 1]} = {by_hand}")
print("G @ B.T:\n", G2 @ B2.T, "\nnudging each entry of A:\n", np.round(nudged, 6))
assert by_hand == (G2 @ B2.T)[0, 0] == 2.5 and np.allclose(nudged, G2 @ B2.T)

# %% [markdown]
# **Code.** A minimal array engine with just what one linear layer and a squared-error loss need. The structure is
# the scalar engine's; only the local rules are now about arrays, so each operation stores a small function, its
# *rule*, that maps the result's gradient to its inputs' gradients.

# %%
def unbroadcast(grad, shape):
    """Sum grad back down to shape: an input stretched to a bigger shape was used once per copy."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Array:
    def __init__(self, data, _prev=(), _rule=None, _op="", label=""):
        self.data = np.asarray(data, dtype=float)
        self.grad = np.zeros_like(self.data)
        self._prev, self._rule, self._op = _prev, _rule, _op  # _rule: result's gradient -> inputs' gradients
        self.label = label

    def __add__(self, other):
        a, b = self, other
        return Array(a.data + b.data, (a, b), lambda g: (unbroadcast(g, a.data.shape), unbroadcast(g, b.data.shape)), "+")

    def __sub__(self, other):
        a, b = self, other
        return Array(a.data - b.data, (a, b), lambda g: (unbroadcast(g, a.data.shape), -unbroadcast(g, b.data.shape)), "-")

    def __matmul__(self, other):
        a, b = self, other
        return Array(a.data @ b.data, (a, b), lambda g: (g @ b.data.T, a.data.T @ g), "@")  # G B^T and A^T G

    def square(self):
        a = self
        return Array(a.data**2, (a,), lambda g: (2 * a.data * g,), "**2")

    def mean(self):
        a = self
        return Array(a.data.mean(), (a,), lambda g: (np.full(a.data.shape, g / a.data.size),), "mean")

    def backward(self):
        order = topological_order(self)  # the same sort as before
        for node in order:
            if node._prev:
                node.grad = np.zeros_like(node.data)
        self.grad = self.grad + 1.0
        for node in reversed(order):
            if node._prev:
                for parent, g in zip(node._prev, node._rule(node.grad)):
                    parent.grad = parent.grad + g

# %% [markdown]
# One linear layer and its squared error, on 4 points, with three engines: our `Array`, the package's array engine
# `nbhelpers.tensor.Tensor` (the same idea with every operation an MLP needs), and the scalar `Value`, one number
# at a time. All three must give the same gradients.

# %%
from nbhelpers.tensor import Tensor

X_small = rng.normal(size=(4, 2))
W_small = rng.normal(size=(2, 1))
b_small = rng.normal(size=(1,))
y_small = rng.normal(size=(4, 1))

# our Array
W_a, b_a = Array(W_small, label="W"), Array(b_small, label="b")
loss_a = ((Array(X_small, label="X") @ W_a + b_a) - Array(y_small, label="y")).square().mean()
loss_a.label = "loss"
loss_a.backward()
# the package's Tensor
W_t, b_t = Tensor(W_small), Tensor(b_small)
loss_t = ((Tensor(X_small) @ W_t + b_t - y_small) ** 2).mean()
loss_t.backward()
# the scalar engine, one number at a time
W_v, b_v = [Value(v) for v in W_small.ravel()], Value(b_small[0])
loss_v = sum(((x0 * W_v[0] + x1 * W_v[1] + b_v) - t) ** 2 for (x0, x1), t in zip(X_small.tolist(), y_small.ravel().tolist())) / 4
loss_v.backward()

print("dL/dW  Array:", np.round(W_a.grad.ravel(), 6), " Tensor:", np.round(W_t.grad.ravel(), 6),
      " Value:", np.round([v.grad for v in W_v], 6))
print("dL/db  Array:", np.round(b_a.grad, 6), " Tensor:", np.round(b_t.grad, 6), " Value:", round(b_v.grad, 6))
assert np.allclose(W_a.grad.ravel(), [v.grad for v in W_v]) and np.allclose(W_t.grad, W_a.grad)
assert np.allclose(b_a.grad, b_v.grad) and np.allclose(b_t.grad, b_a.grad)

# %% [markdown]
# The bias has shape $(1,)$ but was added to 4 rows; its gradient is the sum over the 4 rows, as the scalar engine
# (which simply used `b_v` four times) confirms. And the array graph is small: one node per operation on a whole
# array, however many points there are.

# %%
n_array, n_scalar = len(topological_order(loss_a)), len(topological_order(loss_v))
X_big, y_big = rng.normal(size=(1000, 2)), rng.normal(size=1000)  # the same loss on 1,000 points
loss_big = sum(((x0 * W_v[0] + x1 * W_v[1] + b_v) - t) ** 2 for (x0, x1), t in zip(X_big.tolist(), y_big.tolist())) / 1000
n_big = len(topological_order(loss_big))
print(f"nodes in the graph, 4 points: Array {n_array}, Value {n_scalar};  1,000 points: Value {n_big:,}")
assert (n_array, n_scalar) == (9, 46) and n_big > 10_000  # the numbers quoted below
draw_graph(loss_a, title="The same loss with arrays: 9 nodes, each holding a whole array (X, W, b, y and their shapes)")

# %% [markdown]
# 9 nodes instead of 46. With 1,000 points the array graph still has the same 9 nodes (only the arrays grow), while
# the scalar graph grows to more than 10,000.
#
# The package's Tensor checks its inputs and says what went wrong. Two mistakes everyone makes: combining arrays
# whose shapes do not broadcast, and calling `backward()` on something that is not a single number (the gradient of
# *what*?):

# %%
for attempt in (lambda: Tensor(np.ones((4, 3))) + Tensor(np.ones((2, 3))),
                lambda: (Tensor(X_small) @ W_t).backward()):
    try:
        attempt()
    except ValueError as err:
        print("ValueError:", err)

# %% [markdown]
# **How much faster?** One training step (forward, backward, update) of the same 2-16-16-1 ReLU network on the
# same 32 points, with our scalar engine (section 7's `MLP`) and with the array engine. The data and the weights
# are passed to each step as arguments, so you can see what every call trains on.

# %%
from nbhelpers.optim import SGD

X_batch = rng.uniform(-1, 1, size=(32, 2))
y_batch = (X_batch[:, 0] * X_batch[:, 1] > 0).astype(float)
scalar_model = MLP(2, [16, 16, 1], activation="relu", seed=1)


def scalar_loss(model, X, y):
    return sum((model(x) - t) ** 2 for x, t in zip(X.tolist(), y.tolist())) / len(y)


def scalar_step(model, X, y):
    loss = scalar_loss(model, X, y)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= 0.05 * p.grad
    return loss.data


def as_tensors(model):
    """The scalar model's weights as arrays: column j of W holds neuron j's weights."""
    return [(Tensor([[n.w[i].data for n in layer.neurons] for i in range(len(layer.neurons[0].w))]),
             Tensor([n.b.data for n in layer.neurons])) for layer in model.layers]


def forward(layers, X):
    h = Tensor(X)
    for i, (W, b_layer) in enumerate(layers):
        h = h @ W + b_layer
        h = h.relu() if i < len(layers) - 1 else h
    return h.reshape(-1)


def array_step(layers, optimizer, X, y):
    loss = ((forward(layers, X) - y) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


layers = as_tensors(scalar_model)  # the same starting weights
optimizer = SGD([p for layer in layers for p in layer], lr=0.05)
n_nodes = len(topological_order(scalar_loss(scalar_model, X_batch, y_batch)))
n_tensor_ops = 12  # @ + relu, @ + relu, @ + reshape, then - ** 2 mean
for _ in range(2):  # same network, same loss; and still the same after one update
    assert math.isclose(scalar_step(scalar_model, X_batch, y_batch),
                        array_step(layers, optimizer, X_batch, y_batch), rel_tol=1e-9)
print(f"one step builds {n_nodes:,} scalar Values, against {n_tensor_ops} array operations")
assert n_nodes == 21_972  # quoted below


def cpu_time(step, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        step()
        times.append(time.process_time() - t0)
    return float(np.median(times))


t_scalar = cpu_time(lambda: scalar_step(scalar_model, X_batch, y_batch), 3)
t_array = cpu_time(lambda: array_step(layers, optimizer, X_batch, y_batch), 50)
print(f"one training step (median CPU time): scalar engine {t_scalar * 1e3:.1f} ms, array engine "
      f"{t_array * 1e3:.2f} ms; on this machine, this run, about {t_scalar / max(t_array, 1e-9):.0f} times faster")

# %% [markdown]
# Both engines compute the very same loss, step after step (the `assert` in the loop checks it). The scalar engine
# builds 21,972 Python objects for every step, the array engine one per operation on a whole array; that is
# where the time goes. The printed speed-up is a measurement, not a constant: it changes from run to run and from
# machine to machine, so the text quotes the node counts instead, which never change.
#
# That speed is what makes real training practical: here are 2,000 steps on 200 points, from a fresh start
# (a new copy of the same starting weights; the cell above has already trained its copy a few steps).

# %%
X_train = rng.uniform(-1, 1, size=(200, 2))
y_train = (X_train[:, 0] * X_train[:, 1] > 0).astype(float)  # XOR-like: two opposite quadrants are class 1
fresh = as_tensors(MLP(2, [16, 16, 1], activation="relu", seed=1))
fresh_optimizer = SGD([p for layer in fresh for p in layer], lr=0.05)
start = time.process_time()
curve = [array_step(fresh, fresh_optimizer, X_train, y_train) for _ in range(2000)]
seconds = time.process_time() - start
accuracy = np.mean((forward(fresh, X_train).data > 0.5) == (y_train > 0.5))
print(f"2000 steps on 200 points: loss {curve[0]:.3f} -> {curve[-1]:.3f}, training accuracy {accuracy:.0%} "
      f"({seconds:.2f} s of CPU time on this machine)")
assert accuracy == 1.0 and (round(curve[0], 3), round(curve[-1], 3)) == (0.288, 0.021)  # quoted below

# %%
fig, ax = new_figure(figsize=(5.2, 4.2))
plot_surface(ax, lambda P: forward(fresh, P).data, (-1, 1), (-1, 1), resolution=80, colorbar=True,
             label="network output")
scatter_classes(ax, X_train, y_train, size=18, legend=False)
ax.set_xlabel("$x_1$")
ax.set_ylabel("$x_2$")
ax.set_title("Array engine, 2000 steps: the two class-1 quadrants are found")
fig

# %% [markdown]
# From a fresh start the loss falls from 0.288 to 0.021, and all 200 training points end up on the correct side
# (training accuracy 100%). Chapter 6 takes it from here.

# %% [markdown]
# > **Optional: how the engine frees its memory.** Every training step builds a new graph and drops the old one,
# > so it matters how quickly Python can free it. Python frees an object the moment nothing refers to it, except
# > when objects refer to each other in a circle (a *reference cycle*); those wait for the slower cycle collector.
# > That is why our `Value` stores its local derivatives as plain numbers: a common alternative stores a small
# > function per node that refers back to the node itself, one cycle per node. The `Array` rules above refer only
# > to the inputs, never to the result, so they make no cycles either. The package's `nbhelpers.engine.Value` goes
# > one step further: it keeps a node's inputs and local derivatives in fixed slots of the node instead of in two
# > tuples, one object per node instead of three, so the collector (which also walks every object that holds
# > others, each time it checks memory) has a third as much to walk. `benchmarks/bench_engine.py` measures both.

# %% [markdown]
# ## Summary
#
# - A **computation graph** records each operation as it runs: every result remembers its inputs and its local
#   derivatives. No formula for the gradient is ever written down.
# - **Reverse-mode autodiff** visits the nodes from the output back (reverse topological order) and gives each input
#   (upstream gradient) x (local derivative). One backward pass gives the gradient for *every* input.
# - A value used in several places **adds up** the gradients from each use (`+=`, not `=`): $a + a$ has gradient 2.
# - Leaves **accumulate** their gradients over calls to `backward()`, as in PyTorch; intermediate nodes start from
#   zero on each call. So a training loop calls `zero_grad()` before every backward pass.
# - Check any gradient against central differences $\bigl(f(x+\varepsilon) - f(x-\varepsilon)\bigr)/2\varepsilon$.
# - The same engine on **arrays** needs two new rules: $\partial L/\partial A = G B^\top$,
#   $\partial L/\partial B = A^\top G$ for $C = AB$, and broadcast inputs get their gradient **summed** back to their
#   shape. The same idea, with one node per array operation instead of one per number.

# %% [markdown]
# **Common pitfalls**
# - Overwriting instead of adding gradients (`=` for `+=`): right on simple graphs, wrong as soon as a value is used twice.
# - Forgetting `zero_grad()`: every step then uses the sum of all past gradients, and training goes astray.
# - Trusting a new operation's derivative without a numerical check; a sign error in one local derivative is
#   silent until training fails.
# - Calling `backward()` on a non-scalar: the gradient of *which* number? Reduce it first (`loss.mean()`).
# - Recursion in the backward pass: fine for small graphs, a `RecursionError` on long ones; use an explicit stack.

# %% [markdown]
# **Key terms**
#
# | English | 简体中文 | 繁體中文 |
# |---|---|---|
# | computation graph | 计算图 | 計算圖 |
# | automatic differentiation (autodiff) | 自动微分 | 自動微分 |
# | reverse mode | 反向模式 | 反向模式 |
# | local derivative | 局部导数 | 局部導數 |
# | chain rule | 链式法则 | 鏈式法則 |
# | topological order | 拓扑排序 | 拓撲排序 |
# | gradient accumulation | 梯度累加 | 梯度累加 |
# | leaf node | 叶子节点 | 葉子節點 |
# | numerical gradient | 数值梯度 | 數值梯度 |
# | broadcasting | 广播 | 廣播 |
# | tensor | 张量 | 張量 |
#
# **Next:** [Chapter 6 · Training an MLP](06_mlp_training.ipynb): the array engine at work, training networks on
# 2-D datasets and watching their decision boundaries form.
