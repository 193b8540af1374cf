# %% [markdown]
# # Chapter 3 · Gradient descent
#
# {{BADGES}}
#
# A network learns by changing its weights a little at a time so that its **loss**, the number that says how
# wrong it is, goes down. The method behind almost all of it is **gradient descent**: feel which way is
# downhill, take a small step that way, repeat. In this chapter you write it in a few lines of NumPy, watch it
# crawl, zigzag and blow up depending on one number (the learning rate), meet its two most popular
# improvements (momentum and Adam), and use it for real: fitting a line to noisy data, one point, a handful of
# points or all of them at a time.
#
# **You will learn**
# - what a loss landscape is, and how the slope (the derivative; with many parameters, the gradient) says which way is downhill;
# - the update rule $w \leftarrow w - \eta \, \frac{dL}{dw}$, by hand and in code;
# - why the learning rate $\eta$ must be neither too small (it crawls) nor too large (it overshoots and diverges);
# - how momentum and Adam cross long narrow valleys faster, and why the start point matters when there are several minima;
# - how to fit a line by gradient descent, and what batch, mini-batch and stochastic gradient descent trade;
# - why the learning rate is often lowered during training (decay).
#
# **Time:** about 60 minutes. **You need:** chapter 1, and the idea that a derivative is a slope (recapped below).
#
# Run the cells from top to bottom (in Jupyter: *Run > Run All Cells*). Every run shows the same numbers.

# %% [setup]

# %%
import numpy as np

from nbhelpers.descent import descend, least_squares_line, line_fit_landscape, noisy_line
from nbhelpers.exercises import ____
from nbhelpers.exercises import ch03 as ex
from nbhelpers.plotting import new_figure
from nbhelpers.plotting.descent import (
    PATH_COLORS, learning_rate_figure, plot_curve_path, plot_line_fit, plot_loss_curves, plot_loss_per_step,
    plot_paths_2d,
)

# %% [markdown]
# ## 1. Walking downhill in fog
#
# **Intuition.** You are on a hillside in thick fog and want to get down to the valley floor. You cannot see
# the valley, but you can feel the slope under your feet. So you take a step in the downhill direction, feel
# again, take another step, and so on. Where the ground is steep you cover more height per step; where it
# flattens out you have nearly arrived.
#
# In learning, your position is the value of a **parameter** $w$ (a weight), and the height is the **loss**
# $L(w)$. The curve of $L$ against $w$ is the **loss landscape**.
#
# **Math.** The slope at $w$ is the derivative $\frac{dL}{dw}$: positive means the loss rises to the right, so
# downhill is to the left, and the other way round. So step *against* the slope, by a step that is the
# **learning rate** $\eta$ (a small positive number) times the slope:
#
# $$ w \leftarrow w - \eta \, \frac{dL}{dw}. $$
#
# (The arrow $\leftarrow$ reads "becomes": the new $w$ is the old $w$ minus $\eta$ times the slope.) One such update
# of the parameters is one **step** of gradient descent, and for a network, one training step.
#
# Our first landscape is $L(w) = (w - 3)^2$, lowest at $w = 3$. Its slope comes next.

# %% [markdown]
# **The slope of $(w - 3)^2$, with school maths.** A slope is rise over run. Start with the plain parabola $w^2$ and
# move from $w$ a small run $\varepsilon$ to the right. The curve rises by
#
# $$ (w + \varepsilon)^2 - w^2 = 2w\varepsilon + \varepsilon^2, \qquad \text{so rise over run} =
#    \frac{2w\varepsilon + \varepsilon^2}{\varepsilon} = 2w + \varepsilon . $$
#
# The smaller the run, the closer this is to $2w$: the slope of $w^2$ at $w$ is $2w$ (at $w = 1$, a run of 0.001
# rises 0.002001). Two more facts follow the same way:
#
# - doubling a curve doubles every rise, so $2w^2$ has slope $4w$ (you will need this in the check below);
# - $(w - 3)^2$ is the parabola $w^2$ moved 3 to the right, so its slope at $w$ is the parabola's slope at $w - 3$.
#
# So $\frac{dL}{dw} = 2(w - 3)$ (the $d$'s read "the change in $L$ per change in $w$", for a tiny change).
#
# **Code.** The loss, its slope, and six steps from $w = 0$ with $\eta = 0.1$:

# %%
def loss(w):
    return (w - 3) ** 2


def slope(w):
    return 2 * (w - 3)  # the derivative of (w - 3)^2


w, lr = 0.0, 0.1
ws = [w]
print("step      w    slope  lr*slope     loss")
for step in range(6):
    print(f"{step:4d} {w:7.4f} {slope(w):8.4f} {lr * slope(w):9.4f} {loss(w):8.4f}")
    w = w - lr * slope(w)  # the update rule
    ws.append(w)
assert np.allclose(ws[:3], [0.0, 0.6, 1.08])  # the numbers quoted below

# %% [markdown]
# At $w = 0$ the slope is $-6$ (downhill is to the right), so the first step moves $w$ by
# $-0.1 \times (-6) = +0.6$, to $0.6$; then to $1.08$. Every step shrinks the distance to the minimum by the
# same factor, $1 - 2\eta = 0.8$: from 3 to 2.4 to 1.92, and so on. The steps get shorter on their own
# as the ground flattens, without anyone changing $\eta$.
#
# Is `slope` really the slope? Compare it with the rise over the run of a tiny step either side,
# $\frac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon}$ (a **numerical derivative**, the central
# difference of chapter 2; chapter 4 relies on this check):

# %%
print(f"w^2 from w = 1, run 0.001: rises {(1 + 0.001) ** 2 - 1:.6f}, rise over run {((1 + 0.001) ** 2 - 1) / 0.001:.4f}")
assert round((1 + 0.001) ** 2 - 1, 6) == 0.002001  # quoted above
eps = 1e-5
for w_check in [0.0, 1.5, 4.0]:
    numerical = (loss(w_check + eps) - loss(w_check - eps)) / (2 * eps)
    print(f"w = {w_check}: slope {slope(w_check):.6f}, rise over run {numerical:.6f}")
    assert abs(numerical - slope(w_check)) < 1e-6
distance = [3 - v for v in ws]
assert np.allclose(distance[:3], [3, 2.4, 1.92])  # quoted above
assert np.allclose(np.array(distance[1:]) / np.array(distance[:-1]), 0.8)  # the factor 1 - 2 * lr

# %% [markdown]
# The course package runs the same walk with `descend(landscape, start, lr=..., steps=...)`, which returns the
# path and says how it went. It agrees with our loop:

# %%
path = descend("parabola", start=0.0, lr=0.1, steps=20)
assert np.allclose(path.points[:7, 0], ws)
print(path.message)

# %% [markdown]
# **Picture.** The steps on the curve: long where it is steep, shorter and shorter near the bottom.

# %%
fig, axes = new_figure(1, 2, figsize=(10, 3.8))
plot_curve_path(axes[0], "parabola", path, title="lr = 0.1: long steps where steep, short near w = 3")
plot_loss_per_step(axes[1], path, title="Same factor every step: a straight line on a log scale")
fig

# %% [markdown]
# **Check.** One step by hand, before you run anything. For the same $L(w) = (w - 3)^2$ you stand at $w = 1$
# and use $\eta = 0.1$. Where are you after one step? (`ex.one_step.hint()` helps.)

# %%
w_after_one_step = ____  # a number
ex.one_step.check(w_after_one_step)

# %% [markdown]
# ## 2. The learning rate: too small, too large, about right
#
# **Intuition.** With tiny steps you will get there, eventually: you crawl. With steps too long you jump over
# the valley floor and land on the opposite slope, possibly *higher* than you started; if each jump lands
# higher than the last, you are thrown further out every time: the run **diverges**.
#
# **Math.** On our curve the update is $w - 3 \leftarrow (w - 3) - \eta \cdot 2(w - 3) = (1 - 2\eta)(w - 3)$:
# each step multiplies the distance to the minimum by $r = 1 - 2\eta$.
#
# | learning rate | factor $r = 1 - 2\eta$ | what happens |
# |---|---|---|
# | $0 < \eta < 0.5$ | between 0 and 1 | approaches from one side; slowly when $\eta$ is small |
# | $\eta = 0.5$ | 0 | lands on the minimum in one step (only on a perfect parabola!) |
# | $0.5 < \eta < 1$ | between -1 and 0 | overshoots to the other side each step, but still closes in: it zigzags |
# | $\eta = 1$ | -1 | lands exactly as far away on the other side: bounces between $w$ and $6 - w$ forever |
# | $\eta > 1$ | below -1 | overshoots further every step: diverges |
#
# In general a curve whose steepness changes at rate $c$ (the *curvature*, the slope of the slope; here the slope
# $2(w - 3)$ changes by 2 per unit of $w$, so $c = 2$) is crossed safely only when $\eta < 2 / c$. Steep, sharply
# curved landscapes need small learning rates.
#
# **Code.** Run three learning rates for 20 steps each:

# %%
def descend_1d(slope, w, lr, steps):
    for _ in range(steps):
        w = w - lr * slope(w)
    return w


for lr in [0.02, 0.3, 1.0, 1.1]:
    w_end = descend_1d(slope, 0.0, lr, steps=20)
    print(f"lr = {lr:4}: factor {1 - 2 * lr:5.2f}, after 20 steps w = {w_end:10.4f}, loss {loss(w_end):10.4g}")
w_small, w_good, w_bounce, w_big = (descend_1d(slope, 0.0, lr, 20) for lr in [0.02, 0.3, 1.0, 1.1])
assert round(w_small, 2) == 1.67 and abs(w_good - 3) < 1e-3 and loss(w_big) > 13_000  # quoted below
assert w_bounce == 0.0 and descend_1d(slope, 0.0, 1.0, 19) == 6.0  # eta = 1: 0, 6, 0, 6, ...

# %% [markdown]
# With $\eta = 0.02$ the walk has only reached $w \approx 1.67$ after 20 steps; with $\eta = 0.3$ it is at 3
# to within 0.001; with $\eta = 1$ it is back at 0 after bouncing to 6 and back ten times; with $\eta = 1.1$ the
# loss has grown from 9 to over 13,000.
#
# **Picture.** The three side by side. Top: the steps on the curve; bottom: the loss after each step.

# %%
fig, lr_paths = learning_rate_figure("parabola", lrs=(0.02, 0.3, 1.1), start=0.0, steps=20)
assert [p.status for p in lr_paths] == ["moving", "converged", "growing"] and lr_paths[1].converged_at == 9
fig

# %% [markdown]
# Too small crawls (the loss falls, but slowly); about right reaches the minimum by step 9; too large
# zigzags outwards, and its loss climbs on a straight line on the log scale: it grows by the same factor every
# step. Left alone it reaches infinity (and then NaN, "not a number"), and everything computed from it is
# garbage. The course's tools notice long before that and stop with a plain sentence (and a figure marks the step
# that blew up with an X):

# %%
from nbhelpers.optim import DivergenceError

runaway = descend("parabola", start=0.0, lr=1.5, steps=100)
print(runaway.status, "->", runaway.message)
try:
    descend("parabola", start=0.0, lr=1.5, steps=100, raise_on_divergence=True)
except DivergenceError as err:
    print("DivergenceError:", err)
assert runaway.diverged_at == 9  # the step the sentence names

# %% [markdown]
# The optimizers of `nbhelpers.optim`, which the following chapters train networks with, do the same: the moment
# a weight becomes infinite or NaN they raise `DivergenceError` with the step number and the learning rate.
#
# **Touch.** Move the learning rate (a log-scale slider: each notch multiplies it), the start and the
# number of steps. Find the largest rate that still converges, then go a little above it. Try the second
# curve, `two_valleys`: there the learning rate even decides *which* valley you end in.

# %%
from nbhelpers.widgets.descent import LearningRatePanel

LearningRatePanel(lr=0.1, start=0.0, steps=20)

# %% [markdown]
# **Check.** Predict before you run: on the curve $L(w) = 2w^2$, starting at $w = 1$, which of the learning
# rates 0.1, 0.4 and 0.6 diverges? (Hint: work out the factor $r$ for this curve.)

# %%
diverging_rate = ____  # 0.1, 0.4 or 0.6
ex.predict_divergence.check(diverging_rate)

# %% [markdown]
# Now see it happen (run this after answering):

# %%
finals = {}
for lr in [0.1, 0.4, 0.6]:
    run = descend(lambda v: 2 * float(v @ v), start=[1.0], gradient=lambda v: 4 * v, lr=lr, steps=30)
    finals[lr] = run.final[0]
    print(f"lr = {lr}: factor r = 1 - 4 lr = {1 - 4 * lr:5.2f}   {run.status:9s} w after {run.steps_taken} steps: "
          f"{run.final[0]:.3g}")
    assert (run.status == "diverged") == (lr == 0.6)
assert np.isclose(finals[0.1], finals[0.4]) and f"{finals[0.1]:.3g}" == "2.21e-07"  # the same number, below

# %% [markdown]
# The rates 0.1 and 0.4 end on the very same number, 2.21e-07. Their factors are $0.6$ and $-0.6$: the same
# size, so after 30 steps both have shrunk $w$ by $0.6^{30}$. The minus sign only makes 0.4 hop from side to
# side on the way (after an even number of hops it is back on the starting side).
#
# ## 3. Two parameters: the gradient
#
# **Intuition.** With two parameters $(x, y)$ the landscape is a surface, and we draw it like a hiking map:
# **contour lines** join points of equal loss. Downhill is now a direction on the map. At every point one
# direction is the steepest way up: the **gradient**. It crosses the contour lines at right angles. Gradient
# descent steps the opposite way.
#
# **Math.** The gradient collects the slope along each parameter. The slope along $x$ with $y$ held still is
# the **partial derivative** $\frac{\partial L}{\partial x}$ (a curly $\partial$ instead of $d$ says "the other
# parameters are held still"); work it out as in section 1, treating $y$ as a fixed number. The gradient, written
# $\nabla L$ ("grad L"), lists them:
#
# $$ \nabla L = \left( \frac{\partial L}{\partial x}, \frac{\partial L}{\partial y} \right), \qquad
#    (x, y) \leftarrow (x, y) - \eta \, \nabla L. $$
#
# Two landscapes. The round **bowl** $L = x^2 + y^2$ has $\nabla L = (2x, 2y)$ (with $y$ held still, $y^2$ is a
# constant and adds no slope), which points straight away
# from the minimum everywhere. The long **valley** $L = 0.05x^2 + 5y^2$ has $\nabla L = (0.1x, 10y)$: a
# hundred times steeper across the valley ($y$) than along its floor ($x$).
#
# **Code.** The same update, now on arrays:

# %%
def gradient_descent(gradient, start, lr, steps):
    point = np.array(start, dtype=float)
    path = [point.copy()]
    for _ in range(steps):
        point = point - lr * gradient(point)
        path.append(point.copy())
    return np.array(path)


def bowl_gradient(p):
    return np.array([2 * p[0], 2 * p[1]])


def valley_gradient(p):
    return np.array([0.1 * p[0], 10 * p[1]])


bowl_path = gradient_descent(bowl_gradient, [-2.5, 2.0], lr=0.1, steps=30)
valley_path = gradient_descent(valley_gradient, [-5.0, 1.5], lr=0.18, steps=100)
print(f"bowl, 30 steps:    distance to the minimum {np.linalg.norm(bowl_path[-1]):.4f}")
print(f"valley, 100 steps: distance to the minimum {np.linalg.norm(valley_path[-1]):.2f}, at {np.round(valley_path[-1], 3)}")

bowl_run = descend("bowl", [-2.5, 2.0], lr=0.1, steps=30)
valley_run = descend("valley", [-5.0, 1.5], lr=0.18, steps=100)
assert np.allclose(bowl_path, bowl_run.points) and np.allclose(valley_path, valley_run.points)
assert np.linalg.norm(bowl_path[-1]) < 0.004 and round(float(np.linalg.norm(valley_path[-1])), 2) == 0.81

# %% [markdown]
# In the bowl, 30 steps bring us within 0.004 of the minimum. In the valley, 100 steps leave us 0.81 away. Why?
# Across the valley the curvature is 10, so by the rule of section 2 any $\eta$ above $2 / 10 = 0.2$ diverges;
# we used 0.18. Along the floor that same $\eta$ shrinks $x$ by a factor of only $1 - 0.18 \times 0.1 = 0.982$
# per step. One learning rate must suit every direction at once, and the steepest direction decides.
#
# **Picture.**

# %%
fig, axes = new_figure(1, 2, figsize=(11, 4))
plot_paths_2d(axes[0], "bowl", bowl_run, ["gradient descent, lr = 0.1"],
              title="Bowl: the gradient points straight at the minimum")
plot_paths_2d(axes[1], "valley", valley_run, ["gradient descent, lr = 0.18"],
              title="Valley: zigzag across, then a crawl along the floor")
fig

# %% [markdown]
# ### Momentum and Adam
#
# **Intuition.** *Momentum* treats the walker as a heavy ball: it keeps part of its velocity from step to
# step. Along the valley floor the gradient keeps pointing the same way, so speed builds up; across the
# valley it keeps changing sign, so those pushes largely cancel. *Adam* instead gives every parameter its
# own step size: it divides each gradient component by a running average of that component's typical size, so
# a steep direction takes small steps and a flat one takes steps as large as a steep one.
#
# **Math.** Momentum keeps a velocity $v$ (with $\beta$ around 0.9):
#
# $$ v \leftarrow \beta v + \nabla L, \qquad \theta \leftarrow \theta - \eta v. $$
#
# Here $\theta$ ("theta") stands for all the parameters at once, $(x, y)$ on our maps. Each step keeps 90% of the
# old velocity and adds the new gradient: a *running sum* in which old gradients fade. In numbers, with
# $\beta = 0.9$, for a gradient that stays 1 and for one that flips between 1 and -1:

# %%
beta = 0.9
v_steady, v_flipping, steady, flipping = 0.0, 0.0, [], []
for t in range(30):
    v_steady = beta * v_steady + 1.0  # the same gradient every step (along the valley floor)
    v_flipping = beta * v_flipping + (-1.0) ** t  # +1, -1, +1, ... (across the valley)
    steady.append(v_steady)
    flipping.append(v_flipping)
print("steady gradient 1:     v =", np.round(steady[:4], 3), f"... after 30 steps {steady[-1]:.2f}  (limit 1/(1 - beta) = 10)")
print("flipping gradient +-1: v =", np.round(flipping[:4], 3), f"... after 30 steps {flipping[-1]:.2f}")
assert np.allclose(steady[:3], [1, 1.9, 2.71]) and 9.5 < steady[-1] < 10 and abs(flipping[-1]) < 0.55

# %% [markdown]
# A steady gradient builds the velocity up towards $1/(1 - \beta) = 10$ times itself, so along a steady slope
# momentum moves like plain descent with an effective step of $\eta / (1 - \beta)$: with $\eta = 0.05$, like 0.5.
# A flipping gradient keeps the velocity near $\pm 0.5$: the pushes cancel. That is why momentum below runs with
# $\eta = 0.05$ against 0.18 for plain descent: along the floor it already moves like 0.5, and a larger $\eta$
# mostly makes its swings wider.
#
# **Adam** keeps two running averages, of the gradient $g$ and of its square (each parameter on its own), and
# divides one by the
# square root of the other, so each parameter's step is about $\eta$ whatever the size of its gradient (step
# number $t = 1, 2, \dots$; usually $\beta_1 = 0.9$, $\beta_2 = 0.999$, and $\epsilon = 10^{-8}$ only keeps the
# division away from 0):
#
# $$ m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad s \leftarrow \beta_2 s + (1 - \beta_2) g^2, \quad
#    \theta \leftarrow \theta - \eta \frac{\hat m}{\sqrt{\hat s} + \epsilon}. $$
#
# (On a first pass read $\hat m$ and $\hat s$ as $m$ and $s$; the hats are a small correction, next.)
#
# **Optional: the bias correction** $\hat m = m / (1 - \beta_1^t)$, $\hat s = s / (1 - \beta_2^t)$ (a first pass
# can skip to the code). Both averages start at 0, so early on they are too small: after one step with $g = 15$,
# $m = 0.1 \times 15 = 1.5$. Dividing by $1 - \beta_1^t$ (0.1 at $t = 1$, 0.19 at $t = 2$, nearing 1 later) undoes
# exactly that pull towards the zero start:

# %%
m, g = 0.0, 15.0
for t in range(1, 4):
    m = 0.9 * m + 0.1 * g
    print(f"t = {t}: m = {m:.3f}, corrected m_hat = m / (1 - 0.9^{t}) = {m / (1 - 0.9**t):.3f}")
assert np.isclose(m, 4.065) and np.isclose(m / (1 - 0.9**3), 15.0)

# %% [markdown]
# **Code.** Both in a few lines each:

# %%
def momentum(gradient, start, lr, steps, beta=0.9):
    point = np.array(start, dtype=float)
    velocity = np.zeros_like(point)
    path = [point.copy()]
    for _ in range(steps):
        velocity = beta * velocity + gradient(point)  # remember most of the last velocity
        point = point - lr * velocity
        path.append(point.copy())
    return np.array(path)


def adam(gradient, start, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    point = np.array(start, dtype=float)
    m, s = np.zeros_like(point), np.zeros_like(point)
    path = [point.copy()]
    for t in range(1, steps + 1):
        g = gradient(point)
        m = beta1 * m + (1 - beta1) * g  # running average of the gradient
        s = beta2 * s + (1 - beta2) * g**2  # running average of its square
        m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)  # undo the pull towards the zero start
        point = point - lr * m_hat / (np.sqrt(s_hat) + eps)
        path.append(point.copy())
    return np.array(path)


start = [-5.0, 1.5]
paths = {
    "gradient descent, lr = 0.18": gradient_descent(valley_gradient, start, lr=0.18, steps=100),
    "momentum, lr = 0.05": momentum(valley_gradient, start, lr=0.05, steps=100),
    "Adam, lr = 0.3": adam(valley_gradient, start, lr=0.3, steps=100),
}
for name, p in paths.items():
    print(f"{name:28s} distance to the minimum after 100 steps: {np.linalg.norm(p[-1]):.3f}")

# %% [markdown]
# The package's optimizers `SGD`, `Momentum` and `Adam` (in `nbhelpers.optim`) take exactly these steps. Here
# they are in the training loop that chapters 4 to 6 use for whole networks: each parameter carries its values
# in `.data` and its gradient in `.grad`; `zero_grad()` clears the gradients, `step()` moves the values.

# %%
from nbhelpers.optim import SGD, Adam, Momentum, Parameter

optimizers = {"gradient descent, lr = 0.18": lambda params: SGD(params, lr=0.18),
              "momentum, lr = 0.05": lambda params: Momentum(params, lr=0.05, beta=0.9),
              "Adam, lr = 0.3": lambda params: Adam(params, lr=0.3)}
for name, make in optimizers.items():
    point = Parameter(start)
    opt = make([point])
    for step in range(100):
        opt.zero_grad()
        point.grad = valley_gradient(point.data)  # chapter 4 computes this by backpropagation instead
        opt.step()
    print(f"{name:28s} ends at {np.round(point.data, 4)}; our NumPy version: {np.round(paths[name][-1], 4)}")
    assert np.allclose(point.data, paths[name][-1])

runs = [descend("valley", start, lr=0.18, steps=100, optimizer="sgd"),  # the same runs, as paths to draw
        descend("valley", start, lr=0.05, steps=100, optimizer="momentum"),
        descend("valley", start, lr=0.3, steps=100, optimizer="adam")]
for ours, run in zip(paths.values(), runs):
    assert np.allclose(ours, run.points), run.optimizer
distances = [round(float(np.linalg.norm(p[-1])), 2) for p in paths.values()]
print("distances:", distances)
assert distances == [0.81, 0.02, 0.02]  # quoted below

first_adam_step = paths["Adam, lr = 0.3"][1] - paths["Adam, lr = 0.3"][0]
print("gradient at the start:", valley_gradient(start), " Adam's first step:", np.round(first_adam_step, 4))
assert np.allclose(valley_gradient(start), [-0.5, 15]) and np.allclose(np.abs(first_adam_step), 0.3)

# %% [markdown]
# After 100 steps plain gradient descent is still 0.81 from the minimum; momentum and Adam are both about 0.02
# away. Notice Adam's first step: the gradient at the start is $(-0.5, 15)$, thirty times larger across the valley
# than along it, yet Adam moves both coordinates by the same 0.3 (exactly $\eta$). That is its per-parameter
# step size at work.
#
# **Picture.** The three paths on the valley, and their loss per step:

# %%
fig, axes = new_figure(1, 2, figsize=(12, 4.2))
plot_paths_2d(axes[0], "valley", runs, list(paths), title="Momentum and Adam run along the floor; plain descent crawls")
plot_loss_per_step(axes[1], runs, list(paths), title="Loss per step: momentum and Adam are 100x lower by step 100")
assert all(r.final_loss * 100 < runs[0].final_loss for r in runs[1:])
fig

# %% [markdown]
# Momentum and Adam are not free wins: momentum overshoots and swings around the minimum (the waves in its loss),
# and both add settings to choose. On a round bowl plain gradient descent already heads straight for the
# minimum, so they have little to add there. Their advantage is in
# landscapes with very different steepness in different directions, which is what the loss of a neural
# network usually looks like.
#
# ### Where you start matters
#
# A network's loss has many valleys. Gradient descent only ever goes downhill from where it stands, so it ends
# in the valley it starts in: a **local minimum**, not necessarily the lowest one (the **global minimum**).
# The landscape $L = (x^2 - 1)^2 + 0.3x + y^2$ has two valleys, a deeper one on the left and a shallower one on
# the right, separated by a ridge near $x = 0.075$, where the slope $\partial L / \partial x = 4x^3 - 4x + 0.3$ is
# zero between the two valleys. (That slope uses the **chain rule** of chapter 2, nudges multiply: $(x^2 - 1)^2$
# changes $2(x^2 - 1)$ per unit change of $x^2 - 1$, which changes $2x$ per unit of $x$, so together
# $2(x^2 - 1) \cdot 2x = 4x^3 - 4x$; chapter 4 makes this the main tool.) `np.roots` finds where a polynomial
# is zero from its coefficients, here $[4, 0, -4, 0.3]$ for $4x^3 + 0x^2 - 4x + 0.3$; the middle one of its three
# zeros is the ridge.
#
# Its losses can be negative: a practice landscape is only a surface to walk on, and adding a constant to it
# moves no valley. (The losses of real training, such as the squared error in section 4, are never below 0.)

# %%
ridge = np.sort(np.roots([4, 0, -4, 0.3]).real)[1]  # the three zeros of the slope, in order; the middle one
print(f"the ridge: x = {ridge:.3f}")
assert round(float(ridge), 3) == 0.075

starts = [[-0.1, 1.2], [0.3, 1.2], [1.5, 1.0], [-1.8, -1.0]]
two_runs = [descend("two_minima", s, lr=0.05, steps=100) for s in starts]
for s, run in zip(starts, two_runs):
    print(f"start {s}: {run.message}")
ends = ["deeper" if run.final[0] < 0 else "shallower" for run in two_runs]
assert np.isclose(np.linalg.norm(np.subtract(starts[1], starts[0])), 0.4)  # "only 0.4 apart", below
assert ends == ["deeper", "shallower", "shallower", "deeper"]
rolled = descend("two_minima", [1.5, 1.0], lr=0.05, steps=100, optimizer="momentum")
assert rolled.landscape.nearest_minimum(rolled.final)[0] == 0  # the deeper valley: see "Touch" below

fig, ax = new_figure(figsize=(6.5, 4.6))
plot_paths_2d(ax, "two_minima", two_runs, [f"start {s}" for s in starts],
              title="Starts 0.4 apart, either side of the ridge, end in different valleys")
fig

# %% [markdown]
# The first two starts are only 0.4 apart, but on opposite sides of the ridge, and end in different valleys. In
# practice we start networks from small random weights, and a different random start can give a different
# result; chapter 6 comes back to this.
#
# **Touch.** Choose a surface, an optimizer, its learning rate and a start. Things to try: plain gradient
# descent on the valley with learning rates just below and just above 0.2; momentum on the bowl; on
# `two_minima`, starts either side of the ridge, then momentum with learning rate 0.05 from the start
# $(1.5, 1)$: it keeps enough speed to roll over the ridge into the deeper valley, which plain descent never does.
# With momentum, move the beta slider too: a larger $\beta$ remembers more (more speed, wider swings; the effective
# step $\eta / (1 - \beta)$ grows), a smaller one less, and $\beta = 0$ is plain gradient descent.

# %%
from nbhelpers.widgets.descent import OptimizerPanel

OptimizerPanel(landscape="valley", optimizer="momentum", lr=0.05, steps=100)

# %% [markdown]
# **Check.** The `ellipse` landscape $L = \frac{1}{2}x^2 + 5y^2$ is a milder valley (curvatures 1 and 10).
# Find a learning rate with which *plain* gradient descent, from $(-5, 1.5)$, gets within 0.01 of the minimum
# in at most 50 steps. Experiment with `descend("ellipse", lr=..., steps=50, tol=0.01)` and read its
# `.message`; the checker runs your rate and tells you what happened.

# %%
print(descend("ellipse", lr=0.05, steps=50, tol=0.01).message)  # try other rates here

# %%
good_lr = ____  # a learning rate
ex.find_learning_rate.check(good_lr)

# %% [markdown]
# ## 4. Real use: fitting a line
#
# **Intuition.** Here are 200 noisy points that lie roughly on a line. We look for the line $y = wx + b$ that
# fits them best, meaning the one whose vertical misses are smallest on average. The two numbers $(w, b)$ are
# the parameters; every choice of them has a loss; gradient descent walks that landscape.
#
# **Math.** Take the **mean squared error** (MSE). The line predicts $\hat y_i = w x_i + b$ for point $i$; its miss
# (prediction minus target) is $e_i = \hat y_i - y_i = w x_i + b - y_i$. The sign $\sum_{i=1}^{n}$ adds up over the
# $n$ points:
#
# $$ L(w, b) = \frac{1}{n} \sum_{i=1}^{n} e_i^2 = \frac{1}{n} \sum_{i=1}^{n} (w x_i + b - y_i)^2. $$
#
# For the gradient, use the chain rule (nudges multiply) on each term. A nudge of $w$ by $\varepsilon$ moves the
# miss $e_i$ by $x_i \varepsilon$ (since $\frac{\partial e_i}{\partial w} = x_i$), and each unit change of $e_i$
# moves $e_i^2$ by $2 e_i$ (the slope of a square, section 1). Multiplied: $e_i^2$ moves by $2 e_i x_i$ per unit
# of $w$. For $b$ the first factor is $\frac{\partial e_i}{\partial b} = 1$. So
#
# $$ \frac{\partial L}{\partial w} = \frac{1}{n} \sum_{i=1}^{n} 2 e_i x_i, \qquad
#    \frac{\partial L}{\partial b} = \frac{1}{n} \sum_{i=1}^{n} 2 e_i. $$
#
# For a line there is also a direct formula, **least squares**:
# $w = \frac{\operatorname{mean}\left((x - \bar x)(y - \bar y)\right)}{\operatorname{mean}\left((x - \bar x)^2\right)}$ and
# $b = \bar y - w \bar x$ (bars are averages). It lets us check gradient descent's answer. Networks have no
# such formula, which is why they need gradient descent.
#
# **Code.** The data (the true line is $y = 2x - 1$, plus noise), the loss, and its gradient:

# %%
x, y = noisy_line(200, slope=2.0, intercept=-1.0, noise=0.5, random_state=0)


def mse(w, b, x, y):
    y_hat = w * x + b  # the line's prediction for every point
    return np.mean((y_hat - y) ** 2)  # (prediction - target)^2, averaged


def mse_gradient(w, b, x, y):
    error = w * x + b - y  # one miss per point: prediction minus target
    return np.array([np.mean(2 * error * x), np.mean(2 * error)])  # [dL/dw, dL/db]


# check the derivation against rise over run, as in section 1
eps = 1e-6
numerical = np.array([(mse(0.5 + eps, 0.5, x, y) - mse(0.5 - eps, 0.5, x, y)) / (2 * eps),
                      (mse(0.5, 0.5 + eps, x, y) - mse(0.5, 0.5 - eps, x, y)) / (2 * eps)])
print("gradient at (0.5, 0.5):", mse_gradient(0.5, 0.5, x, y), " numerical:", numerical)
assert np.allclose(mse_gradient(0.5, 0.5, x, y), numerical, atol=1e-6)

# %% [markdown]
# Gradient descent from $(w, b) = (0, 0)$, and the least-squares answer:

# %%
w, b, lr = 0.0, 0.0, 0.2
fit_losses = [mse(w, b, x, y)]
fit_path = [(w, b)]
for step in range(200):
    dw, db = mse_gradient(w, b, x, y)
    w, b = w - lr * dw, b - lr * db
    fit_losses.append(mse(w, b, x, y))
    fit_path.append((w, b))

w_ls = np.mean((x - x.mean()) * (y - y.mean())) / np.mean((x - x.mean()) ** 2)
b_ls = y.mean() - w_ls * x.mean()
print(f"gradient descent: w = {w:.3f}, b = {b:.3f}   (loss {mse(w, b, x, y):.4f})")
print(f"least squares:    w = {w_ls:.3f}, b = {b_ls:.3f}   (loss {mse(w_ls, b_ls, x, y):.4f})")
assert (round(w, 3), round(b, 3)) == (round(w_ls, 3), round(b_ls, 3))  # they agree to 3 decimals
assert np.allclose(least_squares_line(x, y), (w_ls, b_ls)) and np.allclose(np.polyfit(x, y, 1), (w_ls, b_ls))

# %% [markdown]
# They agree to three decimals: $w = 1.968$, $b = -1.008$, close to the true $2$ and $-1$ (the noise moves them
# a little). NumPy's own `np.polyfit` and the package's `least_squares_line` give the same line.

# %%
assert (round(w, 3), round(b, 3)) == (1.968, -1.008)
line_landscape = line_fit_landscape(x, y)  # the MSE over (w, b), ready to draw
line_run = descend(line_landscape, [0.0, 0.0], lr=0.2, steps=200)
assert np.allclose(line_run.points, fit_path)

fig, axes = new_figure(1, 2, figsize=(12, 4.3))
plot_line_fit(axes[0], x, y, {"gradient descent": (w, b), "least squares": (w_ls, b_ls)},
              title="200 noisy points: both methods find the same line")
plot_paths_2d(axes[1], line_landscape, line_run, ["gradient descent, lr = 0.2"],
              title="The walk through (w, b): the MSE landscape is a tilted valley")
axes[1].set_xlabel("w (slope)")
axes[1].set_ylabel("b (intercept)")
fig

# %% [markdown]
# **Check.** Write the gradient of the MSE yourself, without looking above. It takes `w`, `b` and the arrays
# `x`, `y`, and returns `[dL/dw, dL/db]`. The checker compares it with the reference on several inputs
# (the reference is itself tested against a numerical gradient).

# %%
def my_mse_gradient(w, b, x, y):
    error = ____  # your code: the miss of every point
    return ____  # your code: [dL/dw, dL/db]


ex.mse_gradient.check(my_mse_gradient)

# %% [markdown]
# ## 5. Batch, mini-batch and stochastic gradient descent
#
# **Intuition.** Each step above averaged the gradient over all 200 points: that is **batch gradient
# descent**. Its direction is exact, but with a million points every single step would cost a million
# per-point gradients. A **mini-batch** of 20 random points gives an estimate of the same direction for a
# tenth of the work; one random point, **stochastic gradient descent** (SGD), for a two-hundredth. The
# estimates are noisy, so the walk wobbles, but you can take many more steps for the same work. One pass
# through all the points is called an **epoch**.
#
# **Math.** For a batch $B$ of points the step uses $\frac{1}{|B|} \sum_{i \in B} \nabla \ell_i$ (where
# $\ell_i = e_i^2$ is point $i$'s own loss). Averaged over the random choice of $B$ it equals the full
# gradient; the smaller the batch, the more it scatters around it.
#
# **Code.** One function for all three, counting the cost as the number of per-point gradients computed. Each
# epoch it shuffles the points and takes them in consecutive batches:

# %%
def train_line(x, y, batch_size, lr, steps, seed=0):
    """Mini-batch gradient descent on the MSE; lr is a number or a function of the step number."""
    generator = np.random.default_rng(seed)
    n = len(x)
    w, b = 0.0, 0.0
    losses, cost = [mse(w, b, x, y)], [0]
    order, position = np.arange(n), n
    for step in range(steps):
        if batch_size == n:
            batch = np.arange(n)  # batch gradient descent: every point, every step
        else:
            if position >= n:  # a new epoch: shuffle
                order, position = generator.permutation(n), 0
            batch = order[position:position + batch_size]
            position += batch_size
        rate = lr(step) if callable(lr) else lr
        dw, db = mse_gradient(w, b, x[batch], y[batch])
        w, b = w - rate * dw, b - rate * db
        losses.append(mse(w, b, x, y))  # always measured on all the points
        cost.append(cost[-1] + len(batch))  # per-point gradients computed so far
    return w, b, np.array(losses), np.array(cost)


settings = {"batch (200 points)": (200, 0.2), "mini-batch (20)": (20, 0.2), "stochastic (1)": (1, 0.05)}
per_step = {name: train_line(x, y, size, lr, steps=100, seed=1) for name, (size, lr) in settings.items()}
for name, (w_, b_, losses, cost) in per_step.items():
    share_up = np.mean(np.diff(losses) > 0)
    print(f"{name:20s} cost per step {cost[1]:3d} per-point gradients; the loss went UP on {share_up:4.0%} of steps")

# %%
from nbhelpers.descent import fit_line

for (name, (size, lr)), (w_, b_, losses, cost) in zip(settings.items(), per_step.values()):
    reference = fit_line(x, y, lr=lr, steps=100, batch_size=size, random_state=1)
    assert np.allclose(losses, reference.losses) and np.array_equal(cost, reference.examples), name
rises = {name: float(np.mean(np.diff(result[2]) > 0)) for name, result in per_step.items()}
assert rises["batch (200 points)"] == 0 and min(rises["mini-batch (20)"], rises["stochastic (1)"]) >= 0.4  # quoted below
print({name: round(r, 2) for name, r in rises.items()})

# %% [markdown]
# The package's `fit_line(x, y, batch_size=..., ...)` gives the same losses and costs. A batch step costs 200
# per-point gradients, a mini-batch step 20, a stochastic step 1. In return the batch walk goes downhill on
# every step, while the mini-batch and stochastic walks go *up* on 40% or more of theirs: what a few points
# call downhill is often uphill for the rest.
#
# Now give the three the same budget, 4,000 per-point gradients (that is 20 batch steps, 200 mini-batch steps
# or 4,000 stochastic steps), and compare how far each got for the work done. The batch walk records its loss only
# every 200 units of work, so to read every walk at exactly 1,000, `np.interp(1000, cost, losses)` draws a straight
# line between the two recorded points either side and reads it off there (*interpolation*). A single step of a
# noisy walk is luck, so at the end we average over the last 400 units of work:

# %%
budget = 4000
same_work = {name: train_line(x, y, size, lr, steps=budget // size, seed=1) for name, (size, lr) in settings.items()}
best_loss = mse(w_ls, b_ls, x, y)
for name, (w_, b_, losses, cost) in same_work.items():
    at_1000 = np.interp(1000, cost, losses)  # the loss at exactly 1,000 units of work
    late = np.mean(losses[cost >= budget - 400])  # averaged over the last 400 units of work
    print(f"{name:20s} {len(losses) - 1:5d} steps; loss above the best after 1,000: {at_1000 - best_loss:.4f}, "
          f"over the last 400: {late - best_loss:.4f}")
assert [len(r[2]) - 1 for r in same_work.values()] == [20, 200, 4000]  # steps within the same budget
gap_1000 = {name: np.interp(1000, r[3], r[2]) - best_loss for name, r in same_work.items()}
gap_end = {name: np.mean(r[2][r[3] >= budget - 400]) - best_loss for name, r in same_work.items()}
assert same_work["batch (200 points)"][3][5] == 1000  # 1,000 per-point gradients = 5 batch steps
assert gap_1000["batch (200 points)"] > 10 * max(gap_1000["mini-batch (20)"], gap_1000["stochastic (1)"])
assert gap_end["batch (200 points)"] < gap_end["mini-batch (20)"] < gap_end["stochastic (1)"]  # quoted below
assert gap_end["batch (200 points)"] < 0.002 and (round(gap_end["mini-batch (20)"], 2), round(gap_end["stochastic (1)"], 2)) == (0.03, 0.08)

# %% [markdown]
# **Picture.** How far above the best (least-squares) loss each walk is. Left: per *step* (100 steps each).
# Right: per unit of *work* (per-point gradients computed), with the same budget for all three; there each noisy
# walk is drawn faintly, with its average over the last 200 units of work in bold so the three can be compared.
# The batch walk on the left matches the best loss to 12 decimals from step 74 on; a log scale cannot go down to 0,
# so from there it is drawn on the floor of the plot, $10^{-12}$.

# %%
method_colors = {"batch (200 points)": PATH_COLORS[0], "mini-batch (20)": PATH_COLORS[1], "stochastic (1)": PATH_COLORS[2]}
fig, axes = new_figure(1, 2, figsize=(12, 4.3))
plot_loss_curves(axes[0], {name: (np.arange(len(r[2])), r[2]) for name, r in per_step.items()}, xlabel="step",
                 above=best_loss, legend_loc="center right", colors=method_colors.values(),
                 title="Per step: batch is smooth, smaller batches are noisy")
plot_loss_curves(axes[1], {name: (r[3], r[2]) for name, r in same_work.items()},
                 xlabel="per-point gradients computed (the work)", above=best_loss, smooth=200,
                 colors=method_colors.values(), title="Per unit of work: small batches get close sooner")
batch_below = np.nonzero(per_step["batch (200 points)"][2] - best_loss < 1e-12)[0]
assert batch_below[0] == 74 and np.all(np.diff(batch_below) == 1)  # "from step 74 on", above
fig

# %% [markdown]
# After 1,000 per-point gradients the batch walk has taken only 5 steps and is still more than ten times further
# from the best loss than the other two. Then the small batches stop improving: with a constant learning rate
# their noise keeps them jumping around the minimum, mini-batch at about 0.03 above the best and stochastic
# at about 0.08, while the batch walk's 20 exact steps end below 0.002. Mini-batches are the usual compromise in
# practice: they get close early for little work, and they suit hardware that works on many points in parallel.
# The jumping has a standard cure: shrink the steps over time.
#
# ## 6. Learning-rate decay
#
# **Intuition.** Far from the minimum, large steps get you there quickly, and their noise does not matter. Close
# to it, the noise of each step is larger than the distance left to go, so a constant step keeps you
# circling. Shrinking the learning rate as training goes on gives both: big strides early, fine steps at the end.
#
# **Math.** Two common schedules, for step $t = 0, 1, 2, \dots$: **step decay** multiplies the rate by a factor
# $\gamma$ every $k$ steps, and **exponential decay** by a factor $\rho$ slightly below 1 at every step:
#
# $$ \eta_t = \eta_0 \, \gamma^{\lfloor t / k \rfloor}, \qquad \eta_t = \eta_0 \, \rho^{\,t}. $$
#
# The brackets $\lfloor \; \rfloor$ are the *floor*: round down to a whole number ($\lfloor 1234 / 500 \rfloor = 2$;
# `t // k` in Python). So the rate stays put for $k$ steps, then drops.
#
# **Code.**

# %%
from nbhelpers.optim import ExponentialDecay, StepDecay


def step_decay(t, lr0=0.05, factor=0.5, every=500):
    return lr0 * factor ** (t // every)  # halve every 500 steps


def exponential_decay(t, lr0=0.05, rate=0.999):
    return lr0 * rate**t  # 0.1% smaller every step


steps = 4000
assert np.allclose([step_decay(t) for t in range(steps)], StepDecay(0.05, factor=0.5, every=500).values(steps))
assert np.allclose([exponential_decay(t) for t in range(steps)], ExponentialDecay(0.05, rate=0.999).values(steps))

assert 1234 // 500 == 2  # quoted above
schedules = {"step decay": step_decay, "exponential decay": exponential_decay, "constant 0.05": 0.05}
decay_runs = {name: train_line(x, y, 1, lr, steps=steps, seed=1) for name, lr in schedules.items()}
late = {name: float(np.mean(r[2][-500:]) - best_loss) for name, r in decay_runs.items()}
for name, gap in late.items():
    print(f"SGD with {name:18s} loss above the best, averaged over the last 500 steps: {gap:.5f}")

reference = fit_line(x, y, lr=0.05, steps=steps, batch_size=1, random_state=1, schedule=StepDecay(0.05, 0.5, 500))
assert np.allclose(decay_runs["step decay"][2], reference.losses)
assert late["step decay"] * 100 < late["constant 0.05"] and late["exponential decay"] * 100 < late["constant 0.05"]

# %% [markdown]
# With a constant rate, stochastic descent stays well above the best loss; with either decay it ends more than
# a hundred times closer, for exactly the same work. `nbhelpers.optim` has both schedules: set
# `optimizer.lr = schedule(step)` before each step.
#
# **Picture.** All three are stochastic descent, so "constant 0.05" keeps stochastic's green from section 5 (it
# is the very same walk, continued); the two decays get colours of their own. As before, the faint lines are
# every step and the bold ones their average over 200 steps.

# %%
schedule_colors = [PATH_COLORS[3], PATH_COLORS[4], method_colors["stochastic (1)"]]
assert np.allclose(decay_runs["constant 0.05"][2][:len(same_work["stochastic (1)"][2])], same_work["stochastic (1)"][2])
fig, axes = new_figure(1, 2, figsize=(12, 4.3))
plot_loss_curves(axes[0], {name: (np.arange(steps), [lr(t) if callable(lr) else lr for t in range(steps)])
                           for name, lr in schedules.items()}, xlabel="step", ylabel="learning rate",
                 legend_loc="lower left", colors=schedule_colors, title="The learning rate over time")
plot_loss_curves(axes[1], {name: (np.arange(len(r[2])), r[2]) for name, r in decay_runs.items()}, xlabel="step",
                 above=best_loss, legend_loc="lower left", smooth=200, colors=schedule_colors,
                 title="SGD: with decay the loss settles at the bottom")
fig

# %% [markdown]
# ## Summary
#
# - Gradient descent walks downhill on the loss landscape: $w \leftarrow w - \eta \, \frac{dL}{dw}$, or with
#   many parameters $\theta \leftarrow \theta - \eta \nabla L$. The gradient points uphill; we step against it.
# - The learning rate $\eta$ decides everything: too small crawls, too large overshoots and diverges. On a curve
#   of curvature $c$, plain descent converges only for $\eta < 2/c$, and the steepest direction sets the limit.
# - In long narrow valleys plain descent zigzags across and crawls along. Momentum builds up speed along the
#   floor; Adam gives each parameter its own step size. Both reached the valley's minimum far sooner here.
# - Gradient descent finds the minimum of the valley it starts in; with several valleys the start matters.
# - Fitting a line by gradient descent on the MSE gives the least-squares line (to 3 decimals here).
# - Batch steps are exact but costly; stochastic steps are cheap but noisy; mini-batches sit in between and are
#   the usual choice. Learning-rate decay lets noisy descent settle.

# %% [markdown]
# **Common pitfalls**
# - Adding the gradient instead of subtracting it: the loss goes *up*. If it rises from the very first step,
#   check the sign before the learning rate.
# - A loss that grows steadily, or becomes `inf`/`nan`: the learning rate is too large. Divide it by 10 and
#   start again from fresh weights; nothing trained on NaN can be rescued.
# - A loss that falls, but painfully slowly: the learning rate may be too small, or (more often) the landscape is
#   a narrow valley, e.g. because the inputs have very different scales. Momentum, Adam, or rescaling the inputs help.
# - Summing the gradient over the points instead of averaging: the step then grows with the size of the dataset,
#   and a learning rate that worked on a small dataset diverges on a large one.
# - Judging stochastic or mini-batch training by single steps: their loss jumps up and down; look at the trend.
# - Forgetting to shuffle: mini-batches taken in a fixed, sorted order give biased steps.

# %% [markdown]
# **Key terms**
#
# | English | 简体中文 | 繁體中文 |
# |---|---|---|
# | loss (function) | 损失（函数） | 損失（函數） |
# | loss landscape | 损失曲面 | 損失曲面 |
# | derivative / partial derivative | 导数 / 偏导数 | 導數 / 偏導數 |
# | gradient | 梯度 | 梯度 |
# | gradient descent | 梯度下降 | 梯度下降 |
# | learning rate | 学习率 | 學習率 |
# | converge / diverge | 收敛 / 发散 | 收斂 / 發散 |
# | local minimum / global minimum | 局部最小值 / 全局最小值 | 局部最小值 / 全域最小值 |
# | momentum | 动量 | 動量 |
# | Adam (adaptive moment estimation) | Adam（自适应矩估计） | Adam（自適應矩估計） |
# | mean squared error (MSE) | 均方误差 | 均方誤差 |
# | least squares | 最小二乘法 | 最小平方法 |
# | batch / mini-batch | 批量 / 小批量 | 批次 / 小批次 |
# | stochastic gradient descent (SGD) | 随机梯度下降 | 隨機梯度下降 |
# | epoch | 轮（epoch） | 輪（epoch） |
# | learning-rate decay | 学习率衰减 | 學習率衰減 |
#
# **Next:** [Chapter 4 · Backpropagation](04_backprop.ipynb): gradient descent needs the gradient of the loss
# with respect to *every* weight of a network. The chain rule, applied layer by layer, gives all of them at once.
