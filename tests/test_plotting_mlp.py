"""Chapter 6's animation player and digit images: readable frames, nothing fetched from the internet, the
player's parts present, and one clear sentence for what it cannot take."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

from nbhelpers.datasets import load_digits, make_moons
from nbhelpers.mlp import MLP
from nbhelpers.plotting.mlp import animate_training, animation_html, plot_digits
from nbhelpers.training import Trainer


@pytest.fixture(scope="module")
def animation():
    X, y = make_moons(60, noise=0.1, random_state=0)
    trainer = Trainer(MLP(2, [8, 1], seed=0), X[:40], y[:40], X[40:], y[40:], lr=0.05)
    return animate_training(trainer, epochs=20, every=5, resolution=16, title="Moons")


def _frames(html):
    return [Image.open(io.BytesIO(base64.b64decode(data)))
            for data in re.findall(r'src="data:image/(?:jpeg|png);base64,([^"]+)"', html)]


def test_frames_are_readable_and_embedded(animation):
    html = animation_html(animation, default_mode="once")
    frames = _frames(html)
    assert len(frames) == 5 and html.count("data:image/jpeg;base64") == 5
    # 4.6 x 4.3 inches at 100 dpi (matplotlib before 3.11 rounds 4.6 * 100 down to 459)
    assert all(abs(f.size[0] - 460) <= 1 and abs(f.size[1] - 430) <= 1 for f in frames), [f.size for f in frames]
    alts = re.findall(r'alt="([^"]+)"', html)
    assert alts[0] == "Moons, epoch 0: train accuracy " + alts[0].rsplit(" ", 1)[1] and "epoch 20" in alts[-1]
    # the frames differ (the boundary moves) and without JavaScript the last one shows
    assert not np.array_equal(np.asarray(frames[0]), np.asarray(frames[-1]))
    assert html.count("display:block") == 1 and html.index("display:block") > html.rindex("display:none;max")


def test_nothing_is_fetched_and_the_player_has_its_controls(animation):
    html = animation_html(animation, frame_format="png")
    assert "http" not in html and "<link" not in html and "font-awesome" not in html
    assert html.count("data:image/png;base64") == 5
    for act in ("first", "prev", "play", "pause", "next", "last"):
        assert f'data-act="{act}"' in html
    assert 'type="range"' in html and 'max="4"' in html and "loop = true;" in html
    assert html.isascii()  # glyphs as HTML entities: no page encoding can garble them


def test_the_same_animation_gives_the_same_html(animation):
    assert animation_html(animation) == animation_html(animation)


def test_refuses_what_it_cannot_play(animation):
    with pytest.raises(TypeError, match="made by animate_training"):
        animation_html("not an animation")
    with pytest.raises(ValueError, match="unknown frame_format 'gif'; choose one of 'jpeg', 'png'"):
        animation_html(animation, frame_format="gif")
    with pytest.raises(ValueError, match="unknown default_mode 'reflect'; choose one of 'loop', 'once'"):
        animation_html(animation, default_mode="reflect")


def test_digits_have_a_full_frame():
    X, y = load_digits()
    fig = plot_digits(X[:3], titles=[str(d) for d in y[:3]])
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 3 and all(all(s.get_visible() for s in ax.spines.values()) for ax in shown)
