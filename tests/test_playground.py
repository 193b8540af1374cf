"""Chapter 6's playground, driven headlessly: change controls, press buttons, check what was drawn and said."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection

from nbhelpers.datasets import make_moons
from nbhelpers.widgets.playground import YOUR_DATA, Playground, parse_hidden


def playing(panel, ticks: int):
    """What the front end's Play button does: switch playing on, then tick (here with no pause between ticks, so
    the interval that drops queued-up ticks is set to 0)."""
    panel.play_widget.interval = 0
    panel.play()
    for _ in range(ticks):
        panel.play_widget.value += 1


def boundary_axes(panel):
    return panel.figure.axes[0]


def points(panel, hollow: bool):
    """Number of points drawn filled (training) or hollow (test) on the boundary picture."""
    count = 0
    for artist in boundary_axes(panel).collections:
        if isinstance(artist, PathCollection) and len(artist.get_offsets()):
            faces = artist.get_facecolors()
            is_hollow = len(faces) == 0 or np.all(faces[:, 3] == 0)
            if is_hollow == hollow:
                count += len(artist.get_offsets())
    return count


def curve(panel, which: int, label: str):
    """The x data of the train/test line on the loss (which=1) or accuracy (which=2) axes."""
    ax = panel.figure.axes[which]
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == label]
    return np.asarray(line.get_xdata()), np.asarray(line.get_ydata())


def neuron_axes(panel):
    return [ax for ax in panel.figure.axes if ax.get_title().startswith("neuron")]


def test_opens_ready_with_train_and_test_points_told_apart():
    panel = Playground(dataset="circles", hidden="4, 4", train_fraction=0.5)
    assert panel.message.startswith("Epoch 0 (0 steps): train accuracy")
    assert points(panel, hollow=False) == 100 and points(panel, hollow=True) == 100  # 200 points, half for test
    legend = [t.get_text() for t in boundary_axes(panel).get_legend().get_texts()]
    assert legend == ["class 0", "class 1", "hollow = test point"]  # a class legend
    assert boundary_axes(panel).get_aspect() == 1.0  # circles stay round
    assert len(neuron_axes(panel)) == 4
    assert len(boundary_axes(panel).images) == 1  # the coloured plane
    assert panel.figure.axes[1].get_ylabel() == "loss" and panel.figure.axes[2].get_ylabel() == "accuracy"
    assert panel.controls["target_accuracy"].value == "never"  # a real option: the dropdown does not start blank


def test_static_figure_text_is_readable_and_the_legend_covers_no_curve():
    panel = Playground()
    from nbhelpers.widgets import CSS_DPI

    width_px = panel.figure.get_figwidth() * CSS_DPI
    assert width_px <= 800  # shown at full size (or nearly) in a 900 px window
    for ax in panel.figure.axes[:3]:
        for label in ax.get_xticklabels() + ax.get_yticklabels():
            assert label.get_fontsize() >= 9
    ax_loss, ax_acc = panel.figure.axes[1], panel.figure.axes[2]
    assert ax_loss.get_legend() is None and ax_acc.get_title() == ""  # no "accuracy" title under the loss plot
    legend = ax_acc.get_legend()
    panel.figure.canvas.draw()
    below = legend.get_window_extent().y1 <= ax_acc.get_window_extent().y0
    assert below and [t.get_text() for t in legend.get_texts()] == ["train", "test"]


def test_train_button_trains_and_redraws():
    panel = Playground(dataset="xor", hidden="8", activation="tanh", learning_rate=0.03)
    draws = panel.draw_count
    panel.buttons["train"].click()  # what a learner's click does
    assert panel.draw_count == draws + 1
    assert panel.trainer.epoch == 50
    epochs, losses = curve(panel, 1, "train")
    assert len(epochs) == 51 and epochs[-1] == 50
    assert losses[-1] < losses[0]
    acc = panel.trainer.history.last("train_acc")
    assert f"train accuracy {acc:.1%}" in panel.message and "Epoch 50" in panel.message
    assert "train" in boundary_axes(panel).get_title() and f"{acc:.0%}" in boundary_axes(panel).get_title()
    assert acc > 0.9


def test_step_button_makes_one_update():
    panel = Playground(dataset="moons", batch_size=10, train_fraction=0.5)
    before = [p.data.copy() for p in panel.model.parameters()]
    panel.buttons["step"].click()
    assert panel.trainer.steps == 1 and 0 < panel.trainer.epoch < 1
    assert "one step (batch loss" in panel.message
    assert any(not np.array_equal(a, p.data) for a, p in zip(before, panel.model.parameters()))


def test_train_after_steps_counts_whole_epochs():
    panel = Playground(dataset="moons", batch_size=10)
    for _ in range(3):
        panel.step()
    panel.controls["epochs_per_click"].value = 200
    panel.buttons["train"].click()
    assert "trained 200 epochs" in panel.message and panel.trainer.epoch == 200  # not 199 or 199.7


def test_reset_button_goes_back_to_the_initial_weights():
    panel = Playground(dataset="moons")
    start = [p.data.copy() for p in panel.model.parameters()]
    panel.train(10)
    panel.buttons["reset"].click()
    assert panel.trainer.epoch == 0 and len(panel.trainer.history) == 1
    assert all(np.array_equal(a, p.data) for a, p in zip(start, panel.model.parameters()))
    assert "reset" in panel.message


def test_data_controls_make_new_data_and_network_controls_a_new_network():
    panel = Playground(dataset="circles")
    panel.train(5)
    panel.controls["dataset"].value = "spiral"
    assert panel.trainer.epoch == 0 and "new data (dataset changed)" in panel.message
    X_before = panel.X_train.copy()
    panel.controls["noise"].value = 0.3
    assert not np.allclose(X_before, panel.X_train)
    panel.controls["train_fraction"].value = 0.8
    assert points(panel, hollow=False) == 160 and points(panel, hollow=True) == 40
    panel.controls["hidden"].value = "8, 8"
    assert panel.model.layer_sizes == [8, 8, 1] and len(neuron_axes(panel)) == 8
    panel.controls["hidden"].value = "16"
    assert len(neuron_axes(panel)) == 8 and "first 8 of 16" in " ".join(t.get_text() for t in panel.figure.texts)
    panel.controls["activation"].value = "relu"
    assert panel.model.activation == "relu" and "new network (activation changed)" in panel.message


def test_training_controls_keep_the_weights():
    panel = Playground(dataset="xor", optimizer="adam")
    panel.train(5)
    weights = [p.data.copy() for p in panel.model.parameters()]
    panel.controls["learning_rate"].value = 0.001
    panel.controls["optimizer"].value = "momentum"
    panel.controls["l2"].value = 0.001
    panel.controls["l1"].value = 0.0001
    panel.controls["batch_size"].value = 20
    assert panel.trainer.epoch == 5
    assert all(np.array_equal(a, p.data) for a, p in zip(weights, panel.model.parameters()))
    assert panel.trainer.lr == 0.001 and panel.trainer.l2 == 0.001 and panel.trainer.batch_size == 20
    assert panel.trainer.l1 == 0.0001
    assert type(panel.trainer.optimizer).__name__ == "Momentum"
    panel.controls["epochs_per_click"].value = 10
    assert panel.buttons["train"].description == "Train 10 epochs"
    panel.buttons["train"].click()
    assert panel.trainer.epoch == 15


def test_input_toggles_change_what_the_network_sees():
    panel = Playground(dataset="circles", hidden="", learning_rate=0.1, noise=0.0)
    assert "no hidden layer" in " ".join(t.get_text() for t in panel.figure.texts)
    assert panel.features == ("x1", "x2") and panel.F_train.shape[1] == 2
    panel.train(50)
    plain = panel.trainer.history.last("train_acc")
    panel.controls["x1²"].value = True
    panel.controls["x2²"].value = True
    assert panel.model.n_inputs == 4 and panel.trainer.epoch == 0  # new inputs: a new network
    assert np.allclose(panel.F_train[:, 2], panel.X_train[:, 0] ** 2)
    assert np.allclose(panel.F_train[:, 3], panel.X_train[:, 1] ** 2)
    panel.train(50)
    assert plain < 0.8 and panel.trainer.history.last("train_acc") > 0.95
    panel.controls["x1"].value = False
    assert panel.features == ("x2", "x1²", "x2²") and np.allclose(panel.F_train[:, 0], panel.X_train[:, 1])
    assert panel.diagram()["layers"][0] == ["x2", "x1²", "x2²"]
    for name in ("x2", "x1²", "x2²"):
        panel.controls[name].value = False
    assert panel.message.startswith("Cannot use these settings: switch on at least one input")
    panel.controls["sin(πx1)"].value = True
    assert panel.features == ("sin(πx1)",) and np.allclose(panel.F_train[:, 0], np.sin(np.pi * panel.X_train[:, 0]))


def test_divergence_stops_with_a_plain_message_and_a_finite_picture():
    panel = Playground(dataset="circles", hidden="16, 16", activation="relu", loss="mse", optimizer="sgd",
                       learning_rate=10.0)
    panel.train(50)
    assert panel.message.startswith("Stopped: training diverged")
    assert "learning rate 10 is too large" in panel.message
    assert np.all(np.isfinite(boundary_axes(panel).images[0].get_array()))
    epoch = panel.trainer.epoch
    panel.train(50)  # refuses to continue on the same settings
    assert panel.trainer.epoch == epoch and panel.message.startswith("Stopped: training diverged")
    panel.controls["learning_rate"].value = 0.01  # a new learning rate continues from the rolled-back weights
    assert not panel.trainer.history.diverged
    panel.train(5)
    assert panel.trainer.epoch == epoch + 5


def test_stop_at_a_target_accuracy():
    panel = Playground(dataset="gaussians", target_accuracy=0.95, noise=0.0, epochs_per_click=500)
    panel.train()
    h = panel.trainer.history
    assert h.train_acc[-1] >= 0.95 and panel.trainer.epoch < 500
    assert "reached the target training accuracy 95%" in panel.message
    assert Playground(target_accuracy=None).controls["target_accuracy"].value == "never"


def test_an_impossible_setting_keeps_the_last_picture_and_says_why():
    panel = Playground(dataset="spiral3", hidden="16, 16", activation="relu", learning_rate=0.01)
    assert panel.model.n_outputs == 3 and "softmax cross-entropy" in panel.figure.axes[1].get_title()
    assert boundary_axes(panel).images[0].get_array().shape[-1] == 3  # a colour picture: classes mixed
    panel.train(5)
    picture, shown = np.array(boundary_axes(panel).images[0].get_array()), panel.view.boundary
    panel.controls["loss"].value = "mse"
    assert panel.message.startswith("Cannot use these settings") and "choose 'cross-entropy'" in panel.message
    assert "choose 'cross-entropy'" in panel.view.frame["notice"]  # said on the picture too
    assert panel.view.boundary == shown  # the live view keeps its last picture
    assert np.array_equal(boundary_axes(panel).images[0].get_array(), picture)  # and so does the figure
    panel.buttons["train"].click()  # pressing a button in this state only repeats the advice
    panel.controls["learning_rate"].value = 0.02
    assert panel.message.startswith("Cannot use these settings")
    panel.controls["loss"].value = "cross-entropy"
    assert "the settings work again" in panel.message and panel.view.frame["notice"] == ""
    panel.train(20)
    assert panel.trainer.epoch == 20
    binary = Playground(dataset="moons", loss="hinge")
    assert "hinge" in binary.figure.axes[1].get_title()


def test_bad_hidden_text_says_how_to_write_it_and_recovers():
    panel = Playground()
    picture = np.array(boundary_axes(panel).images[0].get_array())
    panel.controls["hidden"].value = "abc"
    assert "whole numbers separated by commas, e.g. 8, 8" in panel.message
    assert np.array_equal(boundary_axes(panel).images[0].get_array(), picture)  # not blanked
    panel.controls["hidden"].value = "6"
    assert panel.model.layer_sizes == [6, 1] and panel.message.startswith("Epoch 0")


def test_plus_and_minus_buttons_for_layers_and_neurons():
    panel = Playground(hidden="4, 4")
    panel.buttons["layer_plus"].click()
    assert panel.model.layer_sizes == [4, 4, 4, 1] and panel.controls["hidden"].value == "4, 4, 4"
    panel.buttons["layer_minus"].click()
    panel.buttons["layer_minus"].click()
    assert panel.model.layer_sizes == [4, 1]
    plus = [b for b in panel.neuron_box.children if getattr(b, "icon", "") == "plus"]
    assert len(plus) == 1  # one +/- pair per hidden layer
    plus[0].click()
    assert panel.model.layer_sizes == [5, 1]
    panel.change_neurons(0, -10)
    assert panel.model.layer_sizes == [1, 1]  # never fewer than one neuron
    panel.buttons["layer_minus"].click()
    assert panel.model.layer_sizes == [1] and panel.neuron_box.children == ()  # a linear model


def test_your_own_data_and_a_code_line_that_cannot_silently_use_other_points():
    X, y = make_moons(60, noise=0.1, random_state=4)
    labels = np.where(y == 1, "yes", "no")  # any two labels will do
    panel = Playground(X=X, y=labels, hidden="8", train_fraction=0.5)
    assert panel.controls["dataset"].value == YOUR_DATA and panel.controls["noise"].disabled
    assert points(panel, False) + points(panel, True) == 60
    assert list(panel.class_names) == ["no", "yes"]
    code = panel.code()
    assert code.startswith("Playground(X=X, y=y, train_fraction=0.5, hidden='8'") and "data_id=" in code
    again = eval(code, {"Playground": Playground, "X": X, "y": labels})  # the same points: the same panel
    assert again.values() == panel.values() and np.array_equal(again.X_train, panel.X_train)
    with pytest.raises(ValueError, match="does not match these X, y"):
        eval(code, {"Playground": Playground, "X": X + 1, "y": labels})  # other points: refused, not used
    panel.train(20)
    assert panel.trainer.epoch == 20
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        Playground(X=np.zeros((10, 3)), y=np.arange(10) % 2)
    with pytest.raises(ValueError, match="one label per row"):
        Playground(X=X, y=y[:10])
    with pytest.raises(ValueError, match="2 to 4 different classes"):
        Playground(X=X, y=np.zeros(60))
    with pytest.raises(ValueError, match="both X and y"):
        Playground(X=X)


def test_code_recreates_the_settings():
    panel = Playground(dataset="spiral", noise=0.05, hidden="16, 16", activation="relu", optimizer="momentum",
                       learning_rate=0.01, l2=0.001, l1=0.0001, batch_size=20, features="sines",
                       target_accuracy=0.99, epochs_per_click=100, n_samples=300, seed=3, show_test=False,
                       discretize=True, epochs_per_frame=5)
    panel.controls["train_fraction"].value = 0.7
    panel.controls["x1·x2"].value = True  # no preset any more: a list of columns
    code = panel.code()
    assert "\n" not in code and code.startswith("Playground(dataset='spiral'")
    assert "features=['x1', 'x2', 'x1·x2', 'sin(πx1)', 'sin(πx2)']" in code
    again = eval(code, {"Playground": Playground})
    assert again.values() == panel.values()
    assert again.n_samples == 300 and again.seed == 3
    assert np.array_equal(again.X_train, panel.X_train)
    assert panel.code_box.value == code  # shown under the picture, ready to copy
    assert Playground().code() == ("Playground(dataset='circles', noise=0.1, train_fraction=0.5, hidden='4, 4', "
                                   "activation='tanh', loss='cross-entropy', optimizer='adam', learning_rate=0.03, "
                                   "l2=0.0, batch_size=10, features='x1, x2')")


def test_the_same_loss_names_as_fit():
    assert Playground(loss="bce").controls["loss"].value == "cross-entropy"
    assert Playground(loss="Squared error").controls["loss"].value == "mse"
    assert Playground(dataset="spiral3", loss="softmax").objective.loss_name == "softmax cross-entropy"


@pytest.mark.parametrize("kwargs, words", [
    ({"dataset": "swirl"}, "unknown dataset 'swirl'; choose one of"),
    ({"hidden": "8, x"}, "whole numbers separated by commas"),
    ({"hidden": "8, 8, 8, 8, 8, 8, 8"}, "at most 6 layers"),
    ({"l2": 0.5}, "l2 must be one of"),
    ({"l1": -1}, "l1 must be one of"),
    ({"target_accuracy": 0.97}, "target_accuracy must be one of"),
    ({"n_samples": 5}, "n_samples must be a whole number from 10 to 2,000 such as 200; got 5"),
    ({"epochs_per_click": 7}, "epochs_per_click must be one of"),
    ({"loss": "l1"}, "unknown loss 'l1'; choose one of"),
    ({"learning_rate": -1}, r"learning_rate must be a number in \[0.0001, 10\] such as 0.03; got -1"),
    ({"learning_rate": 50}, "learning_rate must be a number in"),
    ({"noise": 0.9}, r"noise must be a number in \[0, 0.5\]"),
    ({"train_fraction": 1.0}, r"train_fraction must be a number in \[0.1, 0.9\]"),
    ({"batch_size": 0}, "batch_size must be a whole number from 1 to 100"),
    ({"seed": -1}, "seed must be a whole number >= 0"),
    ({"optimizer": "rmsprop"}, "unknown optimizer 'rmsprop'; choose one of 'sgd', 'momentum', 'adam'"),
    ({"activation": "abc"}, "unknown hidden-layer activation 'abc'"),
    ({"features": ["x1", "x3"]}, "unknown column 'x3'"),
    ({"epochs_per_frame": 3}, "epochs_per_frame must be one of"),
    ({"dataset": "spiral3", "loss": "mse"}, "choose 'cross-entropy'"),
])
def test_bad_settings_fail_with_a_sentence(kwargs, words):
    with pytest.raises(ValueError, match=words) as info:
        Playground(**kwargs)
    message = str(info.value)
    assert "\n" not in message and message.endswith((".", "?"))  # one sentence, not a traceback from deep inside


def test_a_number_where_a_number_belongs():
    with pytest.raises(TypeError, match="learning_rate must be a single number such as 0.03; got the text 'fast'"):
        Playground(learning_rate="fast")


def test_parse_hidden():
    assert parse_hidden("8, 8") == [8, 8] and parse_hidden("[16; 4]") == [16, 4]
    assert parse_hidden("") == [] and parse_hidden("0") == [] and parse_hidden([3, 2]) == [3, 2]


def test_fallback_display_has_a_picture_and_a_note():
    panel = Playground()
    bundle = panel._repr_mimebundle_()
    assert bundle["image/png"] and "live kernel" in bundle["text/plain"]
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == panel.widget.model_id
    assert panel.view in panel.widget.children and panel.play_widget in panel.widget.children[5].children


def test_a_click_updates_the_same_pictures_it_would_draw_from_scratch():
    panel = Playground(dataset="spiral3", hidden="8", activation="relu", learning_rate=0.01)
    ax = boundary_axes(panel)
    panel.train(20)
    assert boundary_axes(panel) is ax  # the fast path: same axes, new contents
    fast = {"image": np.array(ax.images[0].get_array()), "title": ax.get_title(),
            "loss": curve(panel, 1, "test")[1].copy(), "neurons": [np.array(a.images[0].get_array())
                                                                    for a in neuron_axes(panel)],
            "message": panel.message}
    panel._redraw()  # full drawing, from scratch
    assert boundary_axes(panel) is not ax
    assert np.allclose(fast["image"], boundary_axes(panel).images[0].get_array())
    assert fast["title"] == boundary_axes(panel).get_title() and fast["message"] == panel.message
    assert np.allclose(fast["loss"], curve(panel, 1, "test")[1])
    for before, a in zip(fast["neurons"], neuron_axes(panel)):
        assert np.allclose(before, a.images[0].get_array())
    two = Playground(dataset="moons")
    two.train(5)
    lines = [c for c in boundary_axes(two).collections if not isinstance(c, PathCollection)]
    assert len(lines) == 1  # exactly one boundary line: the old one was removed


# ------------------------------------------------------------------------------------------ playing

def test_play_makes_frames_and_pause_stops_them():
    panel = Playground(dataset="circles", hidden="8, 8", epochs_per_frame=2)
    shown = panel.view.boundary
    playing(panel, 5)
    assert panel.playing and panel.frames == 5 and panel.trainer.epoch == 10  # 2 epochs per frame
    assert panel.view.frame["epoch"] == 10 and panel.view.boundary != shown  # each frame reaches the view
    assert panel.view.frame["curves"]["epoch"][-1] == 10
    panel.pause()
    assert not panel.playing and "paused after 5 frames" in panel.message
    panel.play_widget.value += 1  # a tick that was already on its way when Pause was pressed
    assert panel.frames == 5 and panel.trainer.epoch == 10


def test_train_button_under_a_live_view_runs_as_frames_and_can_be_paused():
    panel = Playground(dataset="circles", hidden="8", epochs_per_frame=5, epochs_per_click=50)
    panel._view_message(panel.view, {"event": "shown"})  # what the browser says when it draws the view
    panel.play_widget.interval = 0
    panel.buttons["train"].click()
    assert panel.playing and panel.trainer.epoch == 0  # nothing trained inside the click itself
    for _ in range(4):
        panel.play_widget.value += 1
    assert panel.trainer.epoch == 20 and "training 50 epochs: 20 done" in panel.message
    for _ in range(10):
        panel.play_widget.value += 1
    assert not panel.playing and panel.trainer.epoch == 50 and "trained 50 epochs" in panel.message
    panel.buttons["train"].click()
    panel.play_widget.value += 1
    panel.pause()
    assert panel.trainer.epoch == 55 and "paused after 5 of 50 epochs" in panel.message


def test_under_a_live_view_the_view_asks_for_frames_and_play_is_the_button():
    panel = Playground(dataset="circles", hidden="8", epochs_per_frame=2)
    assert panel.play_widget.step == 1 and not panel.view.ticking  # no front end yet: Play's own ticks
    panel._view_message(panel.view, {"event": "shown"})  # what the browser says when it draws the view
    assert panel.play_widget.step == 0  # Play's value no longer moves; the view asks for frames
    panel.play_widget.interval = 0
    panel.play()
    assert panel.view.ticking and panel.view.interval == 0
    for n in (1, 2, 3):
        panel._view_message(panel.view, {"event": "tick", "n": n})
    assert panel.frames == 3 and panel.trainer.epoch == 6
    assert panel.view.frame["tick"] == 3  # the view counts its unanswered requests by this
    panel.pause()
    assert not panel.view.ticking and "paused after 3 frames" in panel.message
    panel._view_message(panel.view, {"event": "tick", "n": 4})  # already on its way when Pause was pressed
    panel._view_message(panel.view, {"event": "tick", "n": "x"})
    panel._view_message(panel.view, "not a dict")
    assert panel.frames == 3 and panel.trainer.epoch == 6


def test_ticks_that_queue_up_behind_a_slow_frame_are_dropped():
    panel = Playground(dataset="circles", epochs_per_frame=1)
    panel.play()
    panel.play_widget.interval = 10_000  # 10 s between ticks: these back-to-back ticks queued up meanwhile
    for _ in range(4):
        panel.play_widget.value += 1
    assert panel.frames == 1 and panel.skipped_ticks == 3


def test_auto_speed_trains_several_epochs_per_frame_on_small_problems():
    panel = Playground(dataset="circles", hidden="4, 4")
    assert panel.epochs_for_next_frame() == 1  # nothing measured yet
    playing(panel, 3)
    assert panel._epoch_cost > 0 and 1 <= panel.epochs_for_next_frame() <= 20
    assert panel.trainer.epoch == int(panel.trainer.epoch)  # whole epochs per frame


def test_a_setting_changed_while_playing_takes_effect_at_once():
    panel = Playground(dataset="xor", hidden="8", epochs_per_frame=1)
    playing(panel, 3)
    weights = [p.data.copy() for p in panel.model.parameters()]
    panel.controls["learning_rate"].value = 0.001
    panel.controls["l2"].value = 0.01
    assert panel.playing and panel.trainer.lr == 0.001 and panel.trainer.l2 == 0.01  # still playing
    assert all(np.array_equal(a, p.data) for a, p in zip(weights, panel.model.parameters()))
    panel.play_widget.value += 1
    assert panel.frames == 4 and panel.trainer.epoch == 4  # the next frame trains on with the new settings
    panel.controls["dataset"].value = "moons"  # new data: a fresh network, and Play pauses
    assert not panel.playing and panel.trainer.epoch == 0


def test_divergence_while_playing_stops_and_says_so():
    panel = Playground(dataset="circles", hidden="16, 16", activation="relu", loss="mse", optimizer="sgd",
                       learning_rate=10.0, epochs_per_frame=1)
    playing(panel, 20)
    assert not panel.playing and panel.trainer.history.diverged
    assert panel.message.startswith("Stopped: training diverged") and panel.frames < 20
    epoch = panel.trainer.epoch
    panel.play()  # Play again on the same settings: it stops at once and repeats why
    assert not panel.playing and panel.trainer.epoch == epoch and panel.message.startswith("Stopped: training diverged")


def test_reaching_the_target_while_playing_pauses():
    panel = Playground(dataset="gaussians", noise=0.0, target_accuracy=0.95, epochs_per_frame=5)
    playing(panel, 50)
    assert not panel.playing and "reached the target training accuracy 95%" in panel.message


# ------------------------------------------------------------------------------------------ the diagram and the view

def test_the_diagram_shows_every_layer_and_its_weights():
    panel = Playground(hidden="3, 12", features="squares")
    d = panel.diagram()
    assert d["layers"][0] == ["x1", "x2", "x1²", "x2²", "x1·x2"]
    assert [len(names) for names in d["layers"]] == [5, 3, 8, 1]  # at most 8 neurons drawn per layer
    assert d["sizes"] == [5, 3, 12, 1] and d["layers"][1][0] == "layer 1 neuron 1" and d["layers"][3] == ["output neuron 1"]
    assert [w.shape for w in d["weights"]] == [(5, 3), (3, 8), (8, 1)]
    assert np.array_equal(d["weights"][1], panel.model.layers[1].W.data[:, :8])
    assert all(p.shape == (20, 20) for column in d["pictures"] for p in column)
    x1_squared = d["pictures"][0][2]
    assert np.allclose(x1_squared[0], panel._small_grid[:20, 0] ** 2)  # the input column's picture
    hidden = panel.model.hidden_outputs(panel.F_small, layer=0)
    assert np.allclose(d["pictures"][1][2].ravel(), hidden[:, 2])  # a neuron's picture is its output
    frame = panel.view.frame
    assert frame["weights"][0] == np.round(d["weights"][0], 4).tolist()  # what the view draws
    assert len(panel.view.pictures) == sum(len(c) for c in d["layers"]) * 20 * 20 * 4
    assert panel.view.static["sizes"] == [5, 3, 12, 1]
    panel.train(5)
    assert not np.array_equal(panel.diagram()["weights"][0], d["weights"][0])


def test_l1_drives_small_weights_to_zero():
    def small_weights(l1):
        panel = Playground(dataset="circles", hidden="16", l1=l1, optimizer="sgd", learning_rate=0.1)
        panel.train(100)
        W = np.concatenate([layer.W.data.ravel() for layer in panel.model.layers])
        return np.mean(np.abs(W) < 0.02), panel.trainer.history.last("train_loss")

    without, _ = small_weights(0.0)
    with_l1, _ = small_weights(0.01)
    assert with_l1 > without + 0.2


def test_l1_penalty_value_and_gradient():
    from nbhelpers.tensor import Tensor
    from nbhelpers.training import l1_penalty

    w = Tensor(np.array([[0.5, -2.0], [0.0, 1.0]]))
    penalty = l1_penalty([w], 0.1)
    assert np.isclose(penalty.item(), 0.35)
    penalty.backward()
    assert np.allclose(w.grad, 0.1 * np.sign(w.data))


def test_regression_datasets_train_on_numbers_with_a_continuous_picture():
    from nbhelpers.datasets import make_bumps, make_plane

    X, y = make_plane(100, noise=0.0)
    assert np.allclose(y, X.sum(axis=1) / 2)
    Xb, yb = make_bumps(400, noise=0.0)
    assert yb.min() < -0.5 and yb.max() > 0.5 and np.all(np.abs(yb) <= 1)
    panel = Playground(dataset="bumps", hidden="8, 8", learning_rate=0.03)
    assert panel.controls["loss"].value == "mse" and panel.n_classes == 0  # a regression trains on mse
    assert "accuracy" not in panel.message and panel.view.static["n_classes"] == 0
    before = panel.trainer.history.last("train_loss")
    panel.train(100)
    assert panel.trainer.history.last("train_loss") < 0.5 * before
    colours = np.frombuffer(panel.view.boundary, np.uint8).reshape(-1, 4)[:, :3]
    assert len(np.unique(colours, axis=0)) > 50  # a continuous colour map, not two colours
    panel.controls["loss"].value = "hinge"
    assert "regression" in panel.message and "'mse'" in panel.message
    panel.controls["loss"].value = "mse"
    panel.controls["dataset"].value = "circles"  # back to classes: back to cross-entropy
    assert panel.controls["loss"].value == "cross-entropy" and panel.n_classes == 2
    panel.controls["dataset"].value = "plane"
    assert panel.controls["loss"].value == "mse"


def test_show_test_data_and_discretize_output():
    panel = Playground(dataset="circles", hidden="8")
    panel.train(20)
    panel.controls["show_test"].value = False
    assert points(panel, hollow=True) == 0 and points(panel, hollow=False) == 100
    assert panel.view.frame["show_test"] is False
    assert panel.trainer.epoch == 20  # a view setting: the training goes on
    colours = lambda: np.unique(np.frombuffer(panel.view.boundary, np.uint8).reshape(-1, 4)[:, :3], axis=0)
    assert len(colours()) > 2
    panel.controls["discretize"].value = True
    assert len(colours()) == 2  # the predicted class only
    assert len(np.unique(boundary_axes(panel).images[0].get_array().reshape(-1, 3), axis=0)) == 2
    three = Playground(dataset="spiral3", discretize=True)
    assert len(np.unique(np.frombuffer(three.view.boundary, np.uint8).reshape(-1, 4)[:, :3], axis=0)) <= 3


def test_make_features_by_columns():
    from nbhelpers.training import FEATURE_COLUMNS, feature_names, make_features

    X = np.array([[0.5, -1.0]])
    assert make_features(X, ["x2", "x1*x2"]).tolist() == [[-1.0, -0.5]]  # ASCII names are understood
    assert feature_names(["sin x1", "x1"]) == ["x1", "sin(πx1)"]
    assert make_features(X, list(FEATURE_COLUMNS)).tolist() == make_features(X, "all").tolist()
    with pytest.raises(ValueError, match="a column twice"):
        make_features(X, ["x1", "x1"])
    with pytest.raises(ValueError, match="no column"):
        make_features(X, [])


def test_the_chapters_suggestions_behave_as_the_text_says():
    # "circles with no hidden layer: a straight line, stuck far from 100%"
    linear = Playground(dataset="circles", hidden="")
    linear.train(200)
    assert linear.trainer.history.last("train_acc") < 0.75
    # "learning rate 3 with sgd and mse: training diverges, and the panel stops and says so"
    wild = Playground(dataset="circles", learning_rate=3, optimizer="sgd", loss="mse")
    wild.train(50)
    assert wild.message.startswith("Stopped: training diverged")
    # "spiral with hidden 2 ... the spiral stays out of reach"
    tiny = Playground(dataset="spiral", hidden="2")
    tiny.train(500)
    assert tiny.trainer.history.last("train_acc") < 0.8 and len(neuron_axes(tiny)) == 2
    # "noise 0.5 with hidden 64, 64: the test curve parts ways with the training curve"
    big = Playground(dataset="circles", noise=0.5, hidden="64, 64")
    big.train(200)
    h = big.trainer.history
    assert h.last("train_acc") - h.last("test_acc") > 0.2 and h.last("test_loss") > 3 * h.last("train_loss")


# ------------------------------------------------------------------------------------------ the chapter's figures

def test_decision_boundary_two_and_three_classes():
    from nbhelpers.mlp import MLP
    from nbhelpers.plotting import new_figure
    from nbhelpers.plotting.mlp import confidence_function, plot_decision_boundary

    X, y = make_moons(40, noise=0.1)
    fig, ax = new_figure()
    values = plot_decision_boundary(ax, confidence_function(MLP(2, [4, 1], seed=0)), X[:30], y[:30], X[30:], y[30:],
                                    resolution=20, title="t")
    assert values.shape == (20, 20) and np.all((values >= 0) & (values <= 1))
    filled = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)
                 and len(c.get_facecolors()) and c.get_facecolors()[0, 3] > 0)
    assert filled == 30  # the training points; the 10 test points are hollow
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "hollow = test point"
    y3 = np.arange(40) % 3
    fig, ax = new_figure()
    values = plot_decision_boundary(ax, confidence_function(MLP(2, [4, 3], seed=0)), X, y3, resolution=10)
    assert values.shape == (10, 10, 3) and np.allclose(values.sum(axis=-1), 1)
    assert ax.images[0].get_array().shape == (10, 10, 3)
    with pytest.raises(ValueError, match="NaN or infinite"):
        plot_decision_boundary(ax, lambda P: np.full(len(P), np.nan), X, y)


def test_snapshots_leave_the_model_as_it_was():
    from nbhelpers.mlp import MLP
    from nbhelpers.plotting.mlp import plot_boundary_snapshots
    from nbhelpers.training import fit

    X, y = make_moons(60, noise=0.1)
    model = MLP(2, [8, 1], seed=0)
    history = fit(model, X, y, epochs=20, snapshot_epochs=[0, 10, 20])
    before = model.get_state()
    fig = plot_boundary_snapshots(model, history, X, y)
    assert [ax.get_title().split(":")[0] for ax in fig.axes] == ["epoch 0", "epoch 10", "epoch 20"]
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_state()))
    history.states = {}
    with pytest.raises(ValueError, match="snapshot_epochs"):
        plot_boundary_snapshots(model, history, X, y)


def test_animation_frames_and_html_without_a_kernel():
    from nbhelpers.mlp import MLP
    from nbhelpers.plotting.mlp import animate_training, animation_html
    from nbhelpers.training import Trainer

    X, y = make_moons(60, noise=0.1)
    trainer = Trainer(MLP(2, [8, 1], seed=0), X[:40], y[:40], X[40:], y[40:], lr=0.05)
    animation = animate_training(trainer, epochs=20, every=5, resolution=16, dpi=30)
    epochs = [frame[0] for frame in animation.frames_data]
    assert epochs == [0, 5, 10, 15, 20] and trainer.epoch == 20
    html = animation_html(animation, default_mode="once")
    assert html.count("data:image/jpeg;base64") == 5  # every frame embedded: it plays in any browser


def test_neuron_pictures_confusion_matrix_and_digits():
    from nbhelpers.datasets import load_digits
    from nbhelpers.mlp import MLP
    from nbhelpers.plotting import new_figure
    from nbhelpers.plotting.mlp import (confusion_matrix, neuron_values, plot_confusion_matrix, plot_digits,
                                        plot_neuron_pictures)

    model = MLP(2, [12, 1], activation="tanh", seed=0)
    pictures = neuron_values(model, resolution=8)
    assert len(pictures) == 8 and all(v.shape == (8, 8) and (lo, hi) == (-1.0, 1.0) for v, lo, hi in pictures)
    fig, _ = new_figure()
    fig.clear()
    axes = plot_neuron_pictures(fig, MLP(2, [3, 1], seed=0), resolution=8)
    assert len(axes) == 3 and axes[0].get_title() == "neuron 1"
    with pytest.raises(ValueError, match="no hidden layer"):
        neuron_values(MLP(2, [1]))
    matrix = confusion_matrix([0, 1, 2, 2], [0, 2, 2, 2])
    assert matrix.tolist() == [[1, 0, 0], [0, 0, 1], [0, 0, 2]]
    fig, ax = new_figure()
    plot_confusion_matrix(ax, matrix)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "1", "2"]
    with pytest.raises(ValueError, match="3 true labels but 2 predictions"):
        confusion_matrix([0, 1, 1], [0, 1])
    X, y = load_digits()
    fig = plot_digits(X[:10], titles=[str(d) for d in y[:10]], ncols=4)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 10 and shown[3].get_title() == "3"


def test_the_saved_copy_for_a_reopened_notebook_follows_but_not_while_playing():
    class Handle:  # what IPython's display() returns; the panel updates it with the copy of its picture
        def __init__(self):
            self.bundles = []

        def update(self, bundle, raw=False):
            self.bundles.append(bundle)

    panel = Playground(dataset="circles", epochs_per_frame=2)
    first = panel._reopen_bundle()  # what display() shows under the live panel
    handle = Handle()
    panel._handles.append(handle)
    assert "Epoch 0" in first["text/plain"] and "data:image/png;base64," in first["text/html"]
    playing(panel, 3)
    assert handle.bundles == []  # no picture is drawn for the copy while playing (frames stay fast)
    panel.pause()
    assert handle.bundles, "at Pause the saved copy follows"
    last = handle.bundles[-1]
    assert "Epoch 6" in last["text/plain"] and "paused" in last["text/plain"]
    assert last["text/html"] != first["text/html"]  # a new picture
